"""Escalation records: written to SQLite before anyone is notified, so nothing is lost.

A repeat report in the same conversation within the repeat window updates the open
escalation instead of creating (and paging) a new one; a rise from amber to red still pages.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Optional

from sqlite_utils import Database

from bot import clock
from bot.clock import now_iso

SEVERITY_RANK = {"amber": 1, "red": 2}
QUEUE_PAGE = 50
# The queue's filters, in the words of the page's query string.
QUEUE_STATUSES = {"all": "1", "open": "resolved_at is null",
                  "new": "resolved_at is null and acknowledged_at is null",
                  "acknowledged": "resolved_at is null and acknowledged_at is not null",
                  "resolved": "resolved_at is not null"}
QUEUE_SEVERITIES = {"all": "1", "emergency": "emergency", "red": "severity = 'red'", "amber": "severity = 'amber'"}
QUEUE_AGES = {"all": 0, "15m": 15, "1h": 60, "4h": 240, "24h": 1440}  # waiting at least this many minutes


@dataclass(frozen=True)
class Reported:
    escalation: dict
    page: bool          # notify the care team (new, or more severe than before)


class EscalationStore:
    def __init__(self, db: Database):
        self.db = db
        db["escalations"].create(
            {"id": int, "clinic": str, "conversation": str, "lang": str, "severity": str,
             "emergency": int, "category": str, "categories": str, "evidence": str,
             "temperature_c": float, "message": str, "messages": str, "reports": int,
             "created_at": str, "updated_at": str, "acknowledged_at": str,
             "acknowledged_by": str, "resolved_at": str, "resolution_note": str,
             "renotified_at": str},
            pk="id", if_not_exists=True)
        db["escalations"].create_index(["clinic", "conversation"], if_not_exists=True)
        if "source" not in db["escalations"].columns_dict:  # databases from before floods were merged
            db["escalations"].add_column("source", str)
        if "family_deleted_at" not in db["escalations"].columns_dict:  # from before families could delete
            db["escalations"].add_column("family_deleted_at", str)

    def report(self, clinic: str, conversation: str, lang: str, assessment: dict, message: str,
               repeat_window_minutes: float, source: Optional[str] = None) -> Reported:
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
        row_id = self.db["escalations"].insert(row).last_pk
        return Reported(self.get(row_id), page=True)

    def _update(self, existing: dict, assessment: dict, message: str) -> Reported:
        raised = SEVERITY_RANK[assessment["severity"]] > SEVERITY_RANK[existing["severity"]]
        now = now_iso()
        merge = lambda old, new: json.dumps(list(dict.fromkeys(json.loads(old) + new)), ensure_ascii=False)
        self.db["escalations"].update(existing["id"], {
            "severity": assessment["severity"] if raised else existing["severity"],
            "emergency": int(existing["emergency"] or assessment["emergency"]),
            "categories": merge(existing["categories"], assessment["categories"]),
            "evidence": merge(existing["evidence"], assessment["evidence"]),
            "temperature_c": max(filter(None, [existing["temperature_c"], assessment.get("temperature_c")]), default=None),
            "messages": json.dumps(json.loads(existing["messages"]) + [{"at": now, "text": message}], ensure_ascii=False),
            "reports": existing["reports"] + 1, "updated_at": now})
        return Reported(self.get(existing["id"]), page=raised)

    def open_in_window(self, clinic: str, conversation: str, minutes: float) -> Optional[dict]:
        since = (clock.now() - dt.timedelta(minutes=minutes)).isoformat(timespec="seconds")
        rows = list(self.db.query(
            "select * from escalations where clinic = ? and conversation = ? and resolved_at is null "
            "and updated_at >= ? order by id desc limit 1", [clinic, conversation, since]))
        return rows[0] if rows else None

    def opened_since(self, clinic: str, minutes: float, source: Optional[str] = None) -> int:
        """How many escalations this clinic (or one source address) opened in the last `minutes`."""
        since = (clock.now() - dt.timedelta(minutes=minutes)).isoformat(timespec="seconds")
        where, params = ("and source = ?", [source]) if source else ("", [])
        return self.db.execute(f"select count(*) from escalations where clinic = ? and created_at >= ? {where}",
                               [clinic, since, *params]).fetchone()[0]

    def get(self, escalation_id: int) -> Optional[dict]:
        rows = list(self.db.query("select * from escalations where id = ?", [escalation_id]))
        return rows[0] if rows else None

    def of_conversation(self, conversation: str) -> list[dict]:
        return list(self.db.query("select * from escalations where conversation = ? order by id", [conversation]))

    def mark_family_deleted(self, conversation: str) -> None:
        """The family asked to delete its conversation: the clinical record stays, marked."""
        self.db.execute("update escalations set family_deleted_at = ? where conversation = ? "
                        "and family_deleted_at is null", [now_iso(), conversation])
        self.db.conn.commit()

    def acknowledge(self, escalation_id: int, by: str) -> dict:
        self.db.execute("update escalations set acknowledged_at = ?, acknowledged_by = ? "
                        "where id = ? and acknowledged_at is null", [now_iso(), by, escalation_id])
        self.db.conn.commit()
        return self.get(escalation_id)

    def resolve(self, escalation_id: int, by: str, note: str) -> dict:
        """Close an escalation with what was done; resolving also acknowledges it."""
        now = now_iso()
        self.db.execute("update escalations set acknowledged_at = coalesce(acknowledged_at, ?), "
                        "acknowledged_by = coalesce(acknowledged_by, ?), resolved_at = ?, resolution_note = ? "
                        "where id = ? and resolved_at is null", [now, by, now, note, escalation_id])
        self.db.conn.commit()
        return self.get(escalation_id)

    def due_for_renotification(self, clinic: str, minutes: float) -> list[dict]:
        before = (clock.now() - dt.timedelta(minutes=minutes)).isoformat(timespec="seconds")
        return list(self.db.query(
            "select * from escalations where clinic = ? and acknowledged_at is null and resolved_at is null "
            "and renotified_at is null and created_at <= ?", [clinic, before]))

    def mark_renotified(self, escalation_id: int) -> None:
        self.db["escalations"].update(escalation_id, {"renotified_at": now_iso()})

    def list(self, clinic: str, limit: int = 100) -> list[dict]:
        return list(self.db.query("select * from escalations where clinic = ? order by id desc limit ?",
                                  [clinic, limit]))

    def queue(self, clinic: str, status: str = "all", severity: str = "all", category: str = "all",
              age: str = "all", offset: int = 0, limit: int = QUEUE_PAGE) -> list[dict]:
        """What the care team works from, with no cap: open ones first, new before acknowledged,
        emergencies, then red, then amber, the longest waiting first."""
        where, args = _queue_filter(clinic, status, severity, category, age)
        return list(self.db.query(
            f"select * from escalations where {where} order by resolved_at is not null, "
            "acknowledged_at is not null, emergency desc, severity = 'amber', created_at, id "
            "limit ? offset ?", [*args, limit, offset]))

    def queue_size(self, clinic: str, status: str = "all", severity: str = "all", category: str = "all",
                   age: str = "all") -> int:
        where, args = _queue_filter(clinic, status, severity, category, age)
        return next(self.db.query(f"select count(*) as n from escalations where {where}", args))["n"]

    def newest_unacknowledged_red(self, clinic: str, limit: int = 5) -> list[dict]:
        """The newest red reports nobody has acknowledged: pinned above the queue, however long
        it is, so that a new emergency is on the first screen at the next refresh."""
        return list(self.db.query(
            "select * from escalations where clinic = ? and severity = 'red' and acknowledged_at is null "
            "and resolved_at is null order by emergency desc, id desc limit ?", [clinic, limit]))

    def counts(self, clinic: str) -> dict[str, int]:
        """Exact counts for the overview."""
        row = next(self.db.query(
            "select count(*) filter (where resolved_at is null) as open, "
            "count(*) filter (where resolved_at is null and acknowledged_at is null) as unacknowledged, "
            "count(*) filter (where resolved_at is null and acknowledged_at is null and emergency) as emergencies "
            "from escalations where clinic = ?", [clinic]))
        return {key: int(value or 0) for key, value in row.items()}


def _queue_filter(clinic: str, status: str, severity: str, category: str = "all",
                  age: str = "all") -> tuple[str, list]:
    """Unknown status, severity and age words mean "all": they come from a query string."""
    where = f"clinic = ? and ({QUEUE_STATUSES.get(status, '1')}) and ({QUEUE_SEVERITIES.get(severity, '1')})"
    args: list = [clinic]
    if category != "all":
        where, args = where + " and categories like ?", [*args, f'%"{category}"%']
    if QUEUE_AGES.get(age):
        before = (clock.now() - dt.timedelta(minutes=QUEUE_AGES[age])).isoformat(timespec="seconds")
        where, args = where + " and created_at <= ?", [*args, before]
    return where, args
