"""Questions the assistant could not answer, kept for nurses to turn into content.

The console shows them as an inbox of groups of similar questions (the same question asked in
slightly different words), so a nurse handles "can the dog sleep in her room" once, not ten times.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from sqlalchemy import delete, select, update

from bot.clock import now_iso
from bot.decision import COSTS_INTENT
from bot.storage import Database
from bot.storage.schema import unanswered

# Intents whose reply is the one meant for them (the costs reply says whom to ask about money):
# the family got its answer, so the message is no gap for nurses to fill with an article. An
# intent added here needs a migration that removes its old rows, as 0004 did for costs.
ANSWERED_ON_PURPOSE = frozenset({COSTS_INTENT})
SIMILAR = 0.4  # Jaccard similarity of character n-grams above which two questions are grouped
# Words in almost every Chinese question ("can", "how", "child", particles): left in, they would
# group "孩子发烧了怎么办" with "孩子便秘了怎么办".
EN_COMMON = frozenset("""a an the and or is are was be can could should would will do does did i we you he she it
my our your his her their me us him them what how when why which who to of in on at for with about if my kid child
son daughter baby""".split())
ZH_COMMON = re.compile("怎么办|怎么|什么|能不能|可不可以|可以|我们|孩子|宝宝|儿子|女儿|[吗呢了的吧啊呀能会要我他她你家]")


@dataclass
class Group:
    lang: str
    texts: list[str] = field(default_factory=list)
    ids: list[int] = field(default_factory=list)
    first_at: str = ""
    last_at: str = ""
    grams: frozenset = frozenset()

    @property
    def count(self) -> int:
        return len(self.ids)


def ngrams(text: str, lang: str) -> frozenset:
    """What two wordings of one question share: character n-grams (trigrams; bigrams for
    Chinese) of the words that carry the meaning, without case, spaces or punctuation."""
    words = re.findall(r"\w+", text.lower())
    plain, size = "".join(w for w in words if w not in EN_COMMON) or "".join(words), 3
    if lang == "zh":
        plain, size = ZH_COMMON.sub("", "".join(words)) or "".join(words), 2
    return frozenset(plain[i:i + size] for i in range(max(1, len(plain) - size + 1)))


def similarity(a: frozenset, b: frozenset) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


class UnansweredLog:
    def __init__(self, db: Database):
        self.db = db

    def add(self, text: str, lang: str, clinic: str, sender: str, intent: Optional[str],
            confidence: Optional[float]) -> None:
        """Keep a question nobody answered; one answered on purpose by its own reply is not kept."""
        if intent in ANSWERED_ON_PURPOSE:
            return
        self.db.insert(unanswered, {"at": now_iso(), "clinic": clinic, "lang": lang, "text": text,
                                    "sender": sender, "intent": intent, "confidence": confidence})

    def forget(self, sender: str) -> None:
        """A family asked to delete its conversation: its questions leave the inbox."""
        self.db.execute(delete(unanswered).where(unanswered.c.sender == sender))

    def groups(self, clinic: str) -> list[Group]:
        """Open questions of one clinic, similar ones together, biggest group first."""
        return group_similar(self.open_rows(clinic))

    def open_rows(self, clinic: str) -> list[dict]:
        """Questions waiting for a nurse (the ones answered on purpose that older versions kept
        went with migration 0004)."""
        return self.db.query(select(unanswered.c.id, unanswered.c.at, unanswered.c.lang, unanswered.c.text,
                                    unanswered.c.sender)
                             .where(unanswered.c.clinic == clinic, unanswered.c.handled.is_(None))
                             .order_by(unanswered.c.at))

    def reopen(self, how: str, clinic: str) -> int:
        """Undo: the questions handled as `how` (one dismissal) are open again."""
        return self.db.execute(update(unanswered).where(unanswered.c.handled == how, unanswered.c.clinic == clinic)
                               .values(handled=None))

    def resolve_ids(self, ids: list, how: str, clinic: Optional[str] = None) -> int:
        """Mark questions as handled (`how`: added to an article, new article, dismissed)."""
        numbers = _numbers(ids)
        if not numbers:
            return 0
        change = update(unanswered).where(unanswered.c.id.in_(numbers), unanswered.c.handled.is_(None))
        if clinic:
            change = change.where(unanswered.c.clinic == clinic)
        return self.db.execute(change.values(handled=how))

    def texts(self, ids: list, clinic: str) -> list[dict]:
        return self.db.query(select(unanswered.c.id, unanswered.c.lang, unanswered.c.text, unanswered.c.sender)
                             .where(unanswered.c.clinic == clinic, unanswered.c.id.in_(_numbers(ids)))
                             .order_by(unanswered.c.id))


def _numbers(ids: list) -> list[int]:
    """The ids of a form: anything that is not a number is ignored."""
    return [int(i) for i in ids if str(i).isdigit()]


def group_similar(rows: list[dict]) -> list[Group]:
    """Similar questions together (CPU only, no database: it can run in a worker thread)."""
    groups: list[Group] = []
    for row in rows:
        grams = ngrams(row["text"], row["lang"])
        group = next((g for g in groups if g.lang == row["lang"] and similarity(g.grams, grams) >= SIMILAR), None)
        if group is None:
            group = Group(lang=row["lang"], first_at=row["at"], grams=grams)
            groups.append(group)
        if row["text"] not in group.texts:
            group.texts.append(row["text"])
        group.ids.append(row["id"])
        group.last_at = row["at"]
    return sorted(groups, key=lambda g: (-g.count, g.last_at))
