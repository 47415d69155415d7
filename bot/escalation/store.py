"""Escalation records: written to the database before anyone is notified, so nothing is lost.

A repeat report in the same conversation within the repeat window updates the open
escalation instead of creating (and paging) a new one; a rise from amber to red still pages.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Optional

from sqlalchemy import and_, func, select, true, update
from sqlalchemy.sql import ColumnElement

from bot import clock
from bot.clock import now_iso
from bot.storage import Database
from bot.storage.schema import escalations

SEVERITY_RANK = {"amber": 1, "red": 2}
QUEUE_PAGE = 50
c = escalations.c
# The queue's filters, in the words of the page's query string.
QUEUE_STATUSES: dict[str, ColumnElement] = {
    "all": true(), "open": c.resolved_at.is_(None),
    "new": and_(c.resolved_at.is_(None), c.acknowledged_at.is_(None)),
    "acknowledged": and_(c.resolved_at.is_(None), c.acknowledged_at.isnot(None)),
    "resolved": c.resolved_at.isnot(None)}
QUEUE_SEVERITIES: dict[str, ColumnElement] = {
    "all": true(), "emergency": c.emergency == 1, "red": c.severity == "red", "amber": c.severity == "amber"}
QUEUE_AGES = {"all": 0, "15m": 15, "1h": 60, "4h": 240, "24h": 1440}  # waiting at least this many minutes
# Emergencies first. NULLS LAST: PostgreSQL would otherwise put a row without the flag first.
EMERGENCIES_FIRST = c.emergency.desc().nulls_last()


@dataclass(frozen=True)
class Reported:
    escalation: dict
    page: bool          # notify the care team (new, more severe than before, or now an emergency)


class EscalationStore:
    def __init__(self, db: Database):
        self.db = db

    def report(self, clinic: str, conversation: str, lang: str, assessment: dict, message: str,
               repeat_window_minutes: float, source: Optional[str] = None) -> Reported:
        """One transaction: finding the open escalation and updating it, or inserting a new
        one, commit together or not at all. (A chat's reports do not race each other: Rasa's
        lock store handles one conversation's messages one at a time.)"""
        with self.db.begin():
            open_one = self.open_in_window(clinic, conversation, repeat_window_minutes)
            if open_one:
                return self._update(open_one, assessment, message)
            now = now_iso()
            row = {"clinic": clinic, "conversation": conversation, "lang": lang,
                   "severity": assessment["severity"], "emergency": int(assessment["emergency"]),
                   "category": assessment["categories"][0] if assessment["categories"] else "fever",
                   "categories": json.dumps(assessment["categories"]),
                   "evidence": json.dumps(assessment["evidence"], ensure_ascii=False),
                   "temperature_c": assessment.get("temperature_c"), "message": message,
                   "messages": json.dumps([{"at": now, "text": message}], ensure_ascii=False),
                   "reports": 1, "created_at": now, "updated_at": now, "source": source}
            return Reported(self.get(self.db.insert(escalations, row)), page=True)

    def _update(self, existing: dict, assessment: dict, message: str) -> Reported:
        worse = SEVERITY_RANK[assessment["severity"]] > SEVERITY_RANK[existing["severity"]]
        # "He had a fever" then "now he's fitting": the team hears that it became an emergency.
        raised = worse or (bool(assessment["emergency"]) and not existing["emergency"])
        now = now_iso()
        merge = lambda old, new: json.dumps(list(dict.fromkeys(json.loads(old) + new)), ensure_ascii=False)
        self.db.execute(update(escalations).where(c.id == existing["id"]).values(
            severity=assessment["severity"] if worse else existing["severity"],
            emergency=int(existing["emergency"] or assessment["emergency"]),
            categories=merge(existing["categories"], assessment["categories"]),
            evidence=merge(existing["evidence"], assessment["evidence"]),
            temperature_c=max(filter(None, [existing["temperature_c"], assessment.get("temperature_c")]), default=None),
            messages=json.dumps(json.loads(existing["messages"]) + [{"at": now, "text": message}], ensure_ascii=False),
            reports=existing["reports"] + 1, updated_at=now))
        return Reported(self.get(existing["id"]), page=raised)

    def open_in_window(self, clinic: str, conversation: str, minutes: float) -> Optional[dict]:
        since = (clock.now() - dt.timedelta(minutes=minutes)).isoformat(timespec="seconds")
        return self.db.first(
            select(escalations).where(c.clinic == clinic, c.conversation == conversation, c.resolved_at.is_(None),
                                      c.updated_at >= since).order_by(c.id.desc()).limit(1))

    def opened_since(self, clinic: str, minutes: float, source: Optional[str] = None) -> int:
        """How many escalations this clinic (or one source address) opened in the last `minutes`."""
        since = (clock.now() - dt.timedelta(minutes=minutes)).isoformat(timespec="seconds")
        query = select(func.count()).select_from(escalations).where(c.clinic == clinic, c.created_at >= since)
        if source:
            query = query.where(c.source == source)
        return self.db.scalar(query)

    def get(self, escalation_id: int) -> Optional[dict]:
        return self.db.first(select(escalations).where(c.id == escalation_id))

    def of_conversation(self, conversation: str) -> list[dict]:
        return self.db.query(select(escalations).where(c.conversation == conversation).order_by(c.id))

    def mark_family_deleted(self, conversation: str) -> None:
        """The family asked to delete its conversation: the clinical record stays, marked."""
        self.db.execute(update(escalations).where(c.conversation == conversation, c.family_deleted_at.is_(None))
                        .values(family_deleted_at=now_iso()))

    def acknowledge(self, escalation_id: int, by: str) -> dict:
        self.db.execute(update(escalations).where(c.id == escalation_id, c.acknowledged_at.is_(None))
                        .values(acknowledged_at=now_iso(), acknowledged_by=by))
        return self.get(escalation_id)

    def resolve(self, escalation_id: int, by: str, note: str) -> dict:
        """Close an escalation with what was done; resolving also acknowledges it."""
        now = now_iso()
        self.db.execute(update(escalations).where(c.id == escalation_id, c.resolved_at.is_(None)).values(
            acknowledged_at=func.coalesce(c.acknowledged_at, now), acknowledged_by=func.coalesce(c.acknowledged_by, by),
            resolved_at=now, resolution_note=note))
        return self.get(escalation_id)

    def due_for_renotification(self, clinic: str, minutes: float) -> list[dict]:
        before = (clock.now() - dt.timedelta(minutes=minutes)).isoformat(timespec="seconds")
        return self.db.query(select(escalations).where(
            c.clinic == clinic, c.acknowledged_at.is_(None), c.resolved_at.is_(None), c.renotified_at.is_(None),
            c.created_at <= before))

    def mark_renotified(self, escalation_id: int) -> None:
        self.db.execute(update(escalations).where(c.id == escalation_id).values(renotified_at=now_iso()))

    def list(self, clinic: str, limit: int = 100) -> list[dict]:
        return self.db.query(select(escalations).where(c.clinic == clinic).order_by(c.id.desc()).limit(limit))

    def queue(self, clinic: str, status: str = "all", severity: str = "all", category: str = "all",
              age: str = "all", offset: int = 0, limit: int = QUEUE_PAGE) -> list[dict]:
        """What the care team works from, with no cap: open ones first, new before acknowledged,
        emergencies, then red, then amber, the longest waiting first."""
        return self.db.query(
            select(escalations).where(_queue_filter(clinic, status, severity, category, age))
            .order_by(c.resolved_at.isnot(None), c.acknowledged_at.isnot(None), EMERGENCIES_FIRST,
                      c.severity == "amber", c.created_at, c.id)
            .limit(limit).offset(offset))

    def queue_size(self, clinic: str, status: str = "all", severity: str = "all", category: str = "all",
                   age: str = "all") -> int:
        return self.db.scalar(select(func.count()).select_from(escalations)
                              .where(_queue_filter(clinic, status, severity, category, age)))

    def newest_unacknowledged_red(self, clinic: str, limit: int = 5) -> list[dict]:
        """The newest red reports nobody has acknowledged: pinned above the queue, however long
        it is, so that a new emergency is on the first screen at the next refresh."""
        return self.db.query(
            select(escalations).where(c.clinic == clinic, c.severity == "red", c.acknowledged_at.is_(None),
                                      c.resolved_at.is_(None))
            .order_by(EMERGENCIES_FIRST, c.id.desc()).limit(limit))

    def counts(self, clinic: str) -> dict[str, int]:
        """Exact counts for the overview."""
        waiting = and_(c.resolved_at.is_(None), c.acknowledged_at.is_(None))
        return self.db.first(select(
            func.count().filter(c.resolved_at.is_(None)).label("open"),
            func.count().filter(waiting).label("unacknowledged"),
            func.count().filter(and_(waiting, c.emergency == 1)).label("emergencies"),
        ).where(c.clinic == clinic))


def _queue_filter(clinic: str, status: str, severity: str, category: str = "all",
                  age: str = "all") -> ColumnElement:
    """Unknown status, severity and age words mean "all": they come from a query string."""
    conditions = [c.clinic == clinic, QUEUE_STATUSES.get(status, true()), QUEUE_SEVERITIES.get(severity, true())]
    if category != "all":
        conditions.append(c.categories.like(f'%"{category}"%'))
    if QUEUE_AGES.get(age):
        before = (clock.now() - dt.timedelta(minutes=QUEUE_AGES[age])).isoformat(timespec="seconds")
        conditions.append(c.created_at <= before)
    return and_(*conditions)
