"""Rasa's SQL tracker store, one query a turn lighter.

Before saving a turn, Rasa 3.6's `SQLTrackerStore` counts the conversation's stored events
(`_additional_events`) to know which of the tracker's events are new — measured with py-spy, 6 %
of a Rasa server's time a turn. The count is the number of events it read at the start of the
same turn, under the conversation's lock (no other server writes meanwhile), so this store notes
that number on the tracker it hands out and saves the events after it. Any other save (a tracker
it did not read, a second save in a turn) counts as Rasa does. The table, the rows and
everything else are Rasa's own; nothing is kept in the store itself.
"""
from __future__ import annotations

import itertools
from typing import Iterator, Optional, Text

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker

EVENTS_READ = "_carebot_events_read"  # on a tracker read from the store: how many events it had then


class TurnSQLTrackerStore(SQLTrackerStore):
    async def _retrieve(self, sender_id: Text, fetch_events_from_all_sessions: bool) -> Optional[DialogueStateTracker]:
        tracker = await super()._retrieve(sender_id, fetch_events_from_all_sessions)
        if tracker is not None and not fetch_events_from_all_sessions:
            setattr(tracker, EVENTS_READ, len(tracker.events))
        return tracker

    def _additional_events(self, session, tracker: DialogueStateTracker) -> Iterator:
        stored = tracker.__dict__.pop(EVENTS_READ, None)
        if stored is None:
            return super()._additional_events(session, tracker)
        return itertools.islice(tracker.events, stored, len(tracker.events))
