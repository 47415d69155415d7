"""Questions the assistant could not answer, kept for nurses to turn into content."""
from __future__ import annotations

from typing import Optional

from sqlite_utils import Database

from bot.content.store import now_iso


class UnansweredLog:
    def __init__(self, db: Database):
        self.table = db["unanswered"]
        self.table.create(
            {"id": int, "at": str, "clinic": str, "lang": str, "text": str, "sender": str,
             "intent": str, "confidence": float},
            pk="id", if_not_exists=True)

    def add(self, text: str, lang: str, clinic: str, sender: str, intent: Optional[str],
            confidence: Optional[float]) -> None:
        self.table.insert({"at": now_iso(), "clinic": clinic, "lang": lang, "text": text,
                           "sender": sender, "intent": intent, "confidence": confidence})
