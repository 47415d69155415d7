"""Rasa's SQL tracker store, lighter a turn: it does not count before saving, and it does not
read back a conversation it has just saved.

Rasa 3.6's `SQLTrackerStore` reads every event of the conversation's session at the start of a
turn (JSON, then a replay of each event) and, before saving, counts the stored events to know
which are new — with py-spy, about a fifth of a Rasa server's time a turn. This store:

- notes on the tracker it hands out how many events it had, and saves the events after those
  (the turn runs under the conversation's lock, so nobody else writes meanwhile);
- keeps the trackers it has just saved, for the next turn of the same conversation. Before it
  hands one out it asks the database for the conversation's row count and highest row id: if
  anything was written (another Rasa server took the conversation over) or deleted (the family
  asked us to forget it) since, the two differ and it reads the conversation as Rasa does. A
  kept tracker is handed out once; a turn that fails before saving leaves nothing behind.

Any other save (a tracker it did not read, a second save in a turn) counts as Rasa does. The
table, the rows and everything else are Rasa's own.
"""
from __future__ import annotations

import itertools
from collections import OrderedDict
from typing import Any, Iterator, Optional, Text

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker

EVENTS_READ = "_carebot_events_read"  # on a tracker read from the store: how many events it had then
STAMP_READ = "_carebot_stamp_read"  # on a tracker read from the store: the stored rows' Stamp then
KEPT_CONVERSATIONS = 200  # trackers kept between turns; the least recently used go first

Stamp = tuple[int, Optional[int]]  # a conversation's stored rows: how many, the highest id


class TurnSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._kept: OrderedDict[str, tuple[DialogueStateTracker, Stamp]] = OrderedDict()
        self._highest_written: dict[str, int] = {}
        sa.event.listen(self.sessionmaker, "after_flush", self._note_written)

    async def _retrieve(self, sender_id: Text, fetch_events_from_all_sessions: bool) -> Optional[DialogueStateTracker]:
        if fetch_events_from_all_sessions:  # transcripts and exports: as Rasa reads them
            return await super()._retrieve(sender_id, fetch_events_from_all_sessions)
        stamp = self._stamp(sender_id)  # before the read: a write in between makes the next turn read again
        tracker, kept_stamp = self._kept.pop(sender_id, (None, None))
        if kept_stamp != stamp:
            tracker = await super()._retrieve(sender_id, fetch_events_from_all_sessions)
        if tracker is not None:
            setattr(tracker, EVENTS_READ, len(tracker.events))
            setattr(tracker, STAMP_READ, stamp)
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        read = tracker.__dict__.get(EVENTS_READ)
        stamp = tracker.__dict__.pop(STAMP_READ, None)
        self._kept.pop(tracker.sender_id, None)
        await super().save(tracker)
        highest = self._highest_written.pop(tracker.sender_id, None)
        if read is None or stamp is None or self._starts_a_session(tracker, read):
            return
        rows, highest_before = stamp
        self._keep(tracker, (rows + len(tracker.events) - read, highest if highest is not None else highest_before))

    def _additional_events(self, session, tracker: DialogueStateTracker) -> Iterator:
        stored = tracker.__dict__.pop(EVENTS_READ, None)
        if stored is None:
            return super()._additional_events(session, tracker)
        return itertools.islice(tracker.events, stored, len(tracker.events))

    def _stamp(self, sender_id: str) -> Stamp:
        with self.session_scope() as session:
            rows, highest = session.query(sa.func.count(self.SQLEvent.id), sa.func.max(self.SQLEvent.id)).filter(
                self.SQLEvent.sender_id == sender_id).one()
        return rows, highest

    def _note_written(self, session, _context) -> None:
        """After a flush the new rows carry the ids the database gave them."""
        for row in session.new:
            if isinstance(row, self.SQLEvent):
                self._highest_written[row.sender_id] = max(row.id, self._highest_written.get(row.sender_id, 0))

    @staticmethod
    def _starts_a_session(tracker: DialogueStateTracker, read: int) -> bool:
        """A tracker read back holds the latest session only; one that began a session this turn
        also holds the one before, so it is not kept."""
        return any(isinstance(event, SessionStarted) for event in itertools.islice(tracker.events, read, None))

    def _keep(self, tracker: DialogueStateTracker, stamp: Stamp) -> None:
        self._kept[tracker.sender_id] = (tracker, stamp)
        while len(self._kept) > KEPT_CONVERSATIONS:
            self._kept.popitem(last=False)
