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

Any other save (a tracker it did not read, a second save in a turn) counts as Rasa does. A new
model (a new domain, perhaps new slots) drops what is kept. The check assumes that only Rasa
servers write a conversation's rows, which holds for this project: the gateway only deletes
them, and more than one Rasa server needs PostgreSQL, whose ids are never reused (SQLite reuses
the highest ids after a delete). The table, the rows and everything else are Rasa's own.
"""
from __future__ import annotations

import itertools
from collections import OrderedDict
from typing import Any, Iterator, Optional, Text

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
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

    @property
    def domain(self) -> Domain:
        return self._domain

    @domain.setter
    def domain(self, domain: Optional[Domain]) -> None:
        """A tracker's slots come from the domain it was read with: a new model's reads anew."""
        self._domain = domain or Domain.empty()
        self._kept.clear()

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
        if read is None or stamp is None or not self._reads_back_the_same(tracker, read):
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
    def _reads_back_the_same(tracker: DialogueStateTracker, read: int) -> bool:
        """Rasa reads back the events stamped at or after the latest session start. A tracker
        that began a session this turn also holds the one before; an event stamped earlier than
        the session start (sent through the HTTP API with its own timestamp) is not read back.
        Such a tracker is not kept."""
        new = list(itertools.islice(tracker.events, read, None))
        if any(isinstance(event, SessionStarted) for event in new):
            return False
        started = next((e.timestamp for e in reversed(tracker.events) if isinstance(e, SessionStarted)), None)
        return started is None or all(event.timestamp >= started for event in new)

    def _keep(self, tracker: DialogueStateTracker, stamp: Stamp) -> None:
        self._kept[tracker.sender_id] = (tracker, stamp)
        while len(self._kept) > KEPT_CONVERSATIONS:
            self._kept.popitem(last=False)
