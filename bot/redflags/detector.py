"""The rule-based red-flag detector: does this message REPORT a warning sign happening now?

It runs on every message, whatever the classifier thinks, and is driven by the lexicon that
nurses edit (content/redflags.yml). It finds the signs a message names (terms and temperature
readings, forgiving typos, skipping negated ones: "no fever", "没有发烧"), then asks of each
one who and when (bot/redflags/context.py): the child, now → a report, even inside a question;
conditional, over, somebody else's, or a general question → not a report; no clue either way →
`status` "ask", and the assistant asks the parent rather than guess. The learned second opinion
(bot/redflags/second_opinion.py) may also ask where the rules found nothing, or where they found
a same-day sign's report in a message that does not sound like one; never for a red flag. Its
urgency model may make a sign an emergency when the message sounds like one, never less.
Over-triage is acceptable; a missed red flag is not.
"""
from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata
from bisect import bisect_left
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterable, Optional

from bot.clinics import DEFAULT_FEVER_THRESHOLD_C
from bot.redflags.combos import ChineseCombos, ComboMatch, EnglishCombos
from bot.redflags.context import (CHILD_ZH, CJK, NOT_STOPPING, NOW_SAID, PERFECTIVE, STILL_GOING, SUBJECTS_ZH, Clause, Clues, Context, CueSet, Mention,
                                  Writer, another_device, asks_to_keep_apart, classify, names_child)
from bot.redflags.lexicon import Lexicon, Term, load_lexicon
from bot.redflags.negated_list import in_negated_list
from bot.redflags.phrases import PART_BREAK, Phrases, alternation, chinese_pattern, negated_in_gap, without_false_negations
from bot.redflags.second_opinion import SOUNDS_URGENT, SecondOpinion, second_opinion, sounds_urgent, urgency_opinion
from bot.redflags.simplified import to_simplified
from bot.redflags.temperature import Reading, find_temperatures
from bot.redflags.vitals import find_fast_heart_rates, find_saturations
from bot.settings import ROOT

LEXICON_FILE = ROOT / "content" / "redflags.yml"
LOW_TEMPERATURE_C = 36.0
BORDERLINE_C = 37.5            # below the threshold: a red flag only with another sign
MAX_GAP_WORDS = 3              # words allowed between the words of an English term
# After these, "right" is not "well" ("not eating much right now", "not moving his right arm"):
# a term ending in "right" ("not right", "not quite right") does not match there. Not after a
# preposition: "he's not right at all", "not right on his left side" are the sign.
RIGHT_NOT_WELL = frozenset({"now", "away", "there", "here", "back",
                            "hand", "side", "arm", "leg", "eye", "ear", "foot", "knee"})
ARTICLES = frozenset({"a", "an", "the"})
NEGATION_WINDOW_WORDS = 4
NEGATION_WINDOW_CHARS = 5     # Chinese: "没有人出水痘"; the scope ends at a comma
IGNORED_MARK = "·"            # left for each character of an ignored Chinese phrase
# A feeling, then 得 and how much: a figure of speech ("笑得直抽抽", "激动得直哆嗦", "感动得说不出话",
# "压力大到头都要炸了"), as far as the part goes, up to 8 characters: a sign said there is passed
# over, unless it is life-threatening ("激动得抽起来了", "紧张得嘴唇都紫了" are reports). The words
# stay, for what they tell of the rest of the sentence ("气得直跺脚，还翻白眼" is an eye-roll).
# Not 得 typed for 的 ("笑得时候嘴角歪"), cold (冷得发抖 is a chill), fright (吓得晕过去 is a faint),
# 急 (呼吸急得很), 压 (胸口压得慌) nor 气 of breath or strength (喘气得, 屏气, 没力气到站不稳).
FIGURATIVE_ZH = re.compile(r"(?:(?:笑|乐|激动|感动|高兴|开心|兴奋|生气|(?<![喘透换吸呼叹断憋屏力脾])气|紧张|着急|害羞|馋)得"
                           r"|(?:压力大|压力太大)[得到])(?!的?时)[^，。,.!！?？\s]{1,8}")
# Where a Chinese negation's reach ends: a comma, an ignored phrase, which the negation before
# it was about ("孩子没抽泣" then "呼吸很慢": the breathing is not negated), or the child named as
# the subject of what follows, or the pump or the line ("电话打不通孩子在抽搐", "电话打不通泵一直报警",
# "no joke my daughter can't breathe" were silent).
# Also at 也 before a second thing: "不玩也不喝水" is two signs, "没发烧也吐了" a sign after a negated one.
# (Not after 不想/不希望/不要让/没让, which negate what the child does: "我不想让孩子发烧".)
# Also a space between Chinese words, as WeChat parts sentences ("他没吃东西 一直吐"), unless it comes
# right after the negation or an adverb of it ("今天没有 发烧", "没再 抽搐", "没有明显 发烧").
NEGATION_END = re.compile(rf"[,，、{IGNORED_MARK}]|也(?=[不没]|$)|(?<=[\u4e00-\u9fff])(?<![没不无未有冇再显么太很过])\s+(?=[\u4e00-\u9fff]|$)"
                          rf"|(?<!不想)(?<!想让)(?<!希望)(?<!要让)(?<!没让)(?:{SUBJECTS_ZH})")
NEGATION_END_EN = re.compile(rf",|{IGNORED_MARK}|\band\b"  # and in English, also at an "and"
                             r"|\b(?:my|our) (?:son|daughter|child|kid|boy|girl|baby|little one|toddler)\b")
# Not seeing the sign in the child negates it past the child's name ("没发现孩子发烧", "haven't seen my
# son fitting at all"); never having seen it, or seen it like this, does not ("从没见女儿抽搐 现在怎么办"),
# nor not having seen it at first ("一开始没发现孩子在喘，现在越来越厉害了"). Not thinking it (不觉得) is no
# negation: "你们不觉得孩子抽搐了吗", "老公不认为孩子发烧，刚才仔细看确实是" are reports.
NOT_SEEN_ZH = re.compile(rf"(?<!从)(?<!从来)(?<!开始)(?<!起初)(?<!当时)(?<!之前)(?<!以前)(?:没有|没|未|不)(?:发现|看到|看见|见到|见|量到)(?:{CHILD_ZH})[^，。,！？!?\s]{{0,4}}$")
NOT_SEEN_EN = re.compile(r"\bnot (?:seen|noticed|see|notice|found|heard|felt) (?:my|our) \w+(?: (?!this|so|that|was|is)\w+)?$")
LIKE_THIS = re.compile(r"like (?:this|that)\b")
LIKE_THIS_ZH = re.compile(r"[^，。,]{0,6}(?:这样|这么|那样)")
EQUIPMENT_CATEGORIES = frozenset({"pump_failure", "line_dressing", "line_infection"})  # see Clues.equipment
FUZZY_MIN_LENGTH = 5           # shorter words must be spelt right ("fit" is not "fat")
# Bounded cost whatever is sent: the text looked at (the chat API's limit, 1000 characters, also
# after NFKC, under which "ﷺ" x 1000 would become 18000), and how many different words are
# also looked up as possible typos (the costly look-up; exact words are always looked up).
MAX_CHARS = 1000
NFKC_FIRST_CHARS = 128
MAX_TYPO_WORDS = 16
MAX_READINGS_JUDGED = 12
# Past this many sentences (ended by . ? ! 。 or a new line), the middle of a message is one part
# whose signs are asked about without weighing their words; its first sentences and its last
# LAST_CLAUSES ("… now he's not breathing properly") are judged. At most MAX_SIGNS_JUDGED signs
# are weighed ("fever. " x 280 would weigh 280); the rest are asked about.
MAX_CLAUSES = 24
LAST_CLAUSES = 8
MAX_SIGNS_JUDGED = 12
FELT_WARM = re.compile(r"hot|warm|burning|烫|摸着热|身上热")
HEADACHE = re.compile(r"head|hed|migraine|头|脑袋|脑门|脑壳|额头|太阳穴")  # a neuro_mild sign that is a headache
NEARBY_CHARS = 400  # the sentences before and after a sign that may say when it was (a long message's far end does not)
# The child named as the subject of "has" or "is" right before the sign: "my daughter has a drooping
# face" is told of her now, however the message opens ("it is the first hot day …"); not "my
# daughter keeps asking about nosebleeds", "my son has learned what breathing difficulty means".
CHILD_HAS = re.compile(r"\bmy (?:son|daughter|child|kid|boy|girl|baby|toddler|little one) (?:has|is)"
                       r"(?: (?:got|a|an|really|very|so|now|all))* ?$")
COMMON_WORDS_PER_LIST = 10_000  # how many of each frequency list's words count as spelt right
MAX_STARTS = 40
# The 过 (context.PERFECTIVE) of a bound right after the sign says nothing has happened: "发烧超过38度要打
# 电话吗" paged the team; "抽搐超过5分钟了" is still a sign that has happened.
BOUND_AFTER_ZH = re.compile(r"\s*(?:超过|高于|大于)\s*[\d半一二两三四五六七八九十][\d.点半十一二三四五六七八九]*\s*"
                            r"(?:(?P<degrees>度)|个?小时|分钟|天|次|秒)(?P<rest>[^，。,]*)")
STILL_ZH = re.compile(r"了|还没|还不|还在|还是不|一直|仍|止不住|不停")  # "鼻血超过20分钟还没停要去吗" is happening
ASKS_AFTER_ZH = re.compile(r"[吗么？?]|怎么办|咋办|要不要|要打|要去")
PERFECTIVE_WINDOW_CHARS = 2
# A reading's bound words: "超过38度", "38度以上", "above 38.5", "38 or higher", "38度的标准", "只被告知38"
# (not "over 38", which parents write of readings: "been over 38 all day").
THRESHOLD_BEFORE = re.compile(r"(?:超过|超出|高于|大于|告知|(?:规定|标准)是?(?:一次)?|\brule is|\brule says|\babove|\bhigher than|\bgreater than)\s*$", re.IGNORECASE)
# A bound the temperature has not reached is no reading: "hasn't hit 38, it's 36.9", "37.2，没到38".
NOT_REACHED_BEFORE = re.compile(r"(?:没到|没有到|没超过|没有超过|(?:\bnot|n[’']?t|\bnever) (?:hit|reached|got to|gone over|been over))\s*$",
                                re.IGNORECASE)
THRESHOLD_AFTER = re.compile(r"\s*(?:°\s*[cf]?|度|℃|degrees?)?\s*(?:及以上|或以上|以上|or (?:above|higher|more|over)\b|and (?:above|over|up)\b"
                             r"|的(?:标准|规定))",
                             re.IGNORECASE)
ROUND_VALUE = re.compile(r"\d{2,3}(?:[.,][05])?(?!\s*[.,]?\d)")  # "38", "38.5", "101": as bounds are written
# "38还是38.5？", "38 or 38.5?": readings offered as choices ask which one counts.
CHOICE = re.compile(r"\s*(?:还是|或者|或是|或|or|/)\s*")
CHOICE_WORD = re.compile(r"\bor (?:at|is it|does it|do we|should)\b|[吗呢]\s*还是")  # "38 or at 38.5" (not "or so")
CHOICE_WITHIN = 30
SENTENCE_END = re.compile(r"[.!。！\n]")
# "不过" breaks a clause only after a comma: inside "喘不过气" it is part of the sign.
CLAUSE_BREAK = re.compile(r"[!?;。！？；\n]+|\.+(?!\d)|\bbut\b|但是|可是|(?<=[,，])\s*不过")  # not "38.5"
WORD = re.compile(rf"[a-z]+|[,{IGNORED_MARK}]")  # commas and ignored phrases' marks kept: a negation's scope ends at one
# Contractions, with or without the apostrophe ("can't", "cant"), and what they expand to. No
# expansion is itself a contraction, so one pass over the text expands them all.
CONTRACTIONS = {
    "can't": "cannot", "can not": "cannot", "won't": "will not", "isn't": "is not", "aren't": "are not",
    "doesn't": "does not", "don't": "do not", "didn't": "did not", "hasn't": "has not", "haven't": "have not",
    "wasn't": "was not", "couldn't": "could not", "shouldn't": "should not", "he's": "he is", "she's": "she is",
    "it's": "it is", "i'm": "i am",
}
_EXPANSIONS = {written.replace("'", ""): expanded for written, expanded in CONTRACTIONS.items()}
CONTRACTION = re.compile(r"\b(?:" + "|".join(c.replace("'", "'?") for c in CONTRACTIONS) + r")\b")


@dataclass(frozen=True)
class Sign:
    category: str
    severity: str
    emergency: bool
    evidence: str        # the lexicon term or the temperature as written
    ask_only: bool = False


REPORT, ASK = "report", "ask"
# What the second opinion asks about: a yes is escalated as red (facts.md: a child who looks very
# unwell is a call now), like the lexicon's own general complaints.
UNWELL = Sign("unwell", "red", False, "", ask_only=True)


@dataclass(frozen=True)
class Assessment:
    """What the message says of warning signs.

    `status` "report": escalate now. "ask": a sign with no clue whether it is happening to the
    child now; the other fields say what would be escalated if the parent says yes. None:
    nothing to escalate (and `severity` is None).
    """
    severity: Optional[str]
    emergency: bool
    categories: list[str]
    evidence: list[str]
    temperature_c: Optional[float]
    status: Optional[str] = None

    def as_dict(self) -> dict:
        return asdict(self)


# Words written another way so that they hold no sign's character: "疼了一个钟头" is not "头疼".
# An em dash ends a negation's reach (as an ignored phrase's mark does: "he was not napping — his
# eyes were twitching") without parting the sentence ("a seizure in cycle one — it is back").
SAME_MEANING = (("’", "'"), ("钟头", "小时"), ("—", f" {IGNORED_MARK} "))


# Accented Latin letters as plain ones, one for one: a parent's Spanish or Tagalog ("muy pálida")
# meets the lexicon's plain spelling, and English words are read whole ("pálida" is no "p" + "lida").
PLAIN_LETTERS = str.maketrans("áàâäãåéèêëíìîïóòôöõúùûüñç", "aaaaaaeeeeiiiiooooouuuunc")


@functools.lru_cache(maxsize=256)
def normalise(text: str) -> str:
    """Full-width to ASCII, lower case, accents off Latin letters, Traditional Chinese as
    Simplified, contractions expanded (lexicon terms are written so)."""
    text = to_simplified(_nfkc_start(text[:MAX_CHARS]).lower().translate(PLAIN_LETTERS))
    for written, same in SAME_MEANING:
        text = text.replace(written, same)
    return CONTRACTION.sub(_expand, text)


def term_words(term: str) -> list[str]:
    """An English term's words as a message's words are read: a nurse may write "couldn't
    breathe" or "wouldn't wake" (a message's "couldn't" is read as "could not", its "wouldn't" as
    "wouldn" and "t"); written as they were, such terms never matched."""
    return normalise(term).replace("'", " ").split()


def cues_as_read(cues: dict[str, dict[str, list[str]]]) -> dict[str, dict[str, list[str]]]:
    """The lexicon's cue phrases as a message is read (see term_words): "dont know if" is looked
    for as "do not know if", which is what a message's "dont know if" becomes."""
    return {kind: {lang: [normalise(cue) for cue in texts] for lang, texts in by_lang.items()}
            for kind, by_lang in cues.items()}


def _nfkc_start(text: str) -> str:
    """NFKC of the text, cut at MAX_CHARS. A character can expand 18-fold ("ﷺ"), so a short
    start is normalised first and lengthened only while it comes out short of MAX_CHARS: 1000
    expanding characters cost what 125 do."""
    length = NFKC_FIRST_CHARS
    while True:
        normalised = unicodedata.normalize("NFKC", text[:length])
        if len(normalised) >= MAX_CHARS or length >= len(text):
            return normalised[:MAX_CHARS]
        length *= 4


def _expand(contraction: re.Match) -> str:
    """The expansion of a contraction matched by CONTRACTION, written with or without "'"."""
    return _EXPANSIONS[contraction.group().replace("'", "")]


def one_edit_apart(a: str, b: str) -> bool:
    """One letter missing, extra, or two neighbours swapped (not substituted: fever ≠ never)."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return a == b
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


class WordMatcher:
    """Does a message word match a lexicon word (exact, `prefix*`, plural, or one typo away)?"""

    def __init__(self, word: str):
        self.prefix = word.endswith("*")
        self.word = word.rstrip("*")
        self.fuzzy = len(self.word) >= FUZZY_MIN_LENGTH

    def matches(self, token: str, typo: bool = True) -> bool:
        """`typo=False` for real words: "having" is not a misspelt "heaving"."""
        w = self.word
        fuzzy = self.fuzzy and typo
        if self.prefix:
            if token.startswith(w):
                return True
            return fuzzy and any(one_edit_apart(token[:n], w) for n in (len(w) - 1, len(w), len(w) + 1))
        if token == w or token in (w + "s", w + "es"):
            return True
        return fuzzy and one_edit_apart(token, w)


def _key_lengths(keys: Iterable[str]) -> dict[str, frozenset[int]]:
    """The lengths of an index's keys by their first two letters: a string that begins like no
    key of its length need not be looked up."""
    lengths: dict[str, set[int]] = {}
    for key in keys:
        lengths.setdefault(key[:2], set()).add(len(key))
    return {start: frozenset(found) for start, found in lengths.items()}


def _deletes(word: str, lengths: Optional[dict[str, frozenset[int]]] = None) -> set[str]:
    """The word and every string one letter shorter: two words one edit apart share one.

    `lengths` (see _key_lengths) keeps only those that can be keys: all but two of them begin
    with the word's own first two letters and are one letter shorter, so a message word that
    begins like no key of that length costs two strings instead of one per letter."""
    if lengths is None:
        return {word} | {word[:i] + word[i + 1:] for i in range(len(word))}
    keys = {word[1:], word[:1] + word[2:]}
    own = lengths.get(word[:2], frozenset())
    if len(word) - 1 in own:
        keys.update(word[:i] + word[i + 1:] for i in range(2, len(word)))
    if len(word) in own:
        keys.add(word)
    return keys


def _look_up(index: dict[str, list[WordMatcher]], keys: set[str]) -> set[WordMatcher]:
    """The matchers filed under any of `keys` (most keys find nothing: only hits are merged)."""
    found: set[WordMatcher] = set()
    for key in keys & index.keys():
        found.update(index[key])
    return found


class WordIndex:
    """Which lexicon words could a message word match? A symmetric-delete index, so that each
    message word costs a few dictionary look-ups instead of a comparison with every term."""

    def __init__(self, matchers: list[WordMatcher], real_words: frozenset):
        self.real_words = real_words
        self.words: dict[str, list[WordMatcher]] = {}
        self.prefixes: dict[str, list[WordMatcher]] = {}
        # No lexicon word is longer than this (plus one typo): longer message words are looked
        # up only by their heads, which keeps the cost per word bounded whatever is sent.
        self.longest = max((len(m.word) for m in matchers), default=0) + 2
        # The head lengths a prefix word can match: exactly its length, or one more or less
        # with a typo. Only these heads are looked up; exact heads only at the lengths of the
        # prefix words that begin like the message word (and of those shorter than two
        # letters, "*", which every word begins like).
        exact: dict[str, set[int]] = {}
        for m in matchers:
            if m.prefix:
                exact.setdefault(m.word[:2], set()).add(len(m.word))
        short = {n for start, found in exact.items() if len(start) < 2 for n in found}
        self.short_heads = tuple(sorted(short))
        self.exact_heads = {start: tuple(sorted(found | short)) for start, found in exact.items() if len(start) == 2}
        self.fuzzy_heads = sorted({n for m in matchers if m.prefix and m.fuzzy
                                   for n in (len(m.word) - 1, len(m.word), len(m.word) + 1)})
        # Candidates are listed in lexicon order, so that signs are reported in the same order
        # in every process (a set of matchers would iterate in memory-address order).
        self.rank = {m: i for i, m in enumerate(matchers)}
        for m in matchers:
            keys = _deletes(m.word) if m.fuzzy else {m.word}
            for key in keys:
                (self.prefixes if m.prefix else self.words).setdefault(key, []).append(m)
        self.word_lengths = _key_lengths(self.words)
        self.prefix_lengths = _key_lengths(self.prefixes)

    @functools.lru_cache(maxsize=4096)
    def candidates(self, token: str, typos: bool = True) -> tuple[WordMatcher, ...]:
        """`typos=False` looks up exact words and heads only (a few dictionary look-ups)."""
        typo = typos and token not in self.real_words
        found: set[WordMatcher] = set()
        if len(token) <= self.longest:
            keys = _deletes(token, self.word_lengths) if typo else {token}
            found = _look_up(self.words, keys | {token[:-1], token[:-2]})
        heads = {token[:n] for n in self.exact_heads.get(token[:2], self.short_heads) if n <= len(token)}
        if typo:
            heads |= self._typo_heads(token)
        found |= _look_up(self.prefixes, heads)
        return tuple(sorted((m for m in found if m.matches(token, typo)), key=self.rank.__getitem__))

    def _typo_heads(self, token: str) -> set[str]:
        """`_deletes(token[:n], self.prefix_lengths)` for every typo head length n, in one pass:
        which lengths can be keys is looked up once for the word, not once per head."""
        own = self.prefix_lengths.get(token[:2], frozenset())
        heads: set[str] = set()
        for n in self.fuzzy_heads:
            if n > len(token):
                break
            heads.update((token[1:n], token[:1] + token[2:n]))
            if n - 1 in own:
                heads.update(token[:i] + token[i + 1:n] for i in range(2, n))
            if n in own:
                heads.add(token[:n])
        return heads


class EnglishTerm:
    def __init__(self, term: Term, words: list[WordMatcher]):
        self.term = term
        self.words = words
        self.rest = frozenset(words[1:])  # a clause without all of these cannot match the term

    def find(self, positions: dict[WordMatcher, list[int]], starts: list[int]) -> Optional[tuple[int, int]]:
        """Indexes of the first and the last word of the first match, words in order with small
        gaps. `positions[m]` lists, in order, the message words that lexicon word m matches; it
        has all the term's words (the caller tests that first, as most terms fail there)."""
        for start in starts:
            last = self._rest_match(positions, start + 1)
            if last is not None:
                return start, last
        return None

    def _rest_match(self, positions: dict[WordMatcher, list[int]], position: int) -> Optional[int]:
        """The index of the term's last word, each next word at most MAX_GAP_WORDS further on."""
        last = position - 1
        for matcher in self.words[1:]:
            found = positions[matcher]
            i = bisect_left(found, position)
            if i == len(found) or found[i] > position + MAX_GAP_WORDS:
                return None
            last = found[i]
            position = last + 1
        return last


def _right_not_well(term: Term, tokens: list[str], at: int, last: int, rest: str) -> bool:
    """A term ending in "right" matched an adverb ("right now") or a question tag over a noun
    ("that's not a fever, right?"), not "he's just not right"."""
    if not term.text.endswith(" right"):
        return False
    following = tokens[last + 1] if last + 1 < len(tokens) else ""
    tag = rest.lstrip().startswith("?") and not ARTICLES.isdisjoint(tokens[at + 1:last])
    return following in RIGHT_NOT_WELL or tag


def _first_and_last(pattern: re.Pattern, clause: str) -> list[re.Match]:
    """The first match, and the last one when it is another."""
    first = pattern.search(clause)
    if first is None:
        return []
    last = first
    for last in pattern.finditer(clause, first.end()):
        pass
    return [first] if last is first else [first, last]


def _tightest(pattern: re.Pattern, clause: str, match: re.Match) -> re.Match:
    """The last match that starts inside `match` and ends within it ("管*漏了" in "都不管用管子漏了"
    began at 不管用): tried only when the wider match reads as negated."""
    while (later := pattern.search(clause, match.start() + 1, match.end())) is not None:
        match = later
    return match


@functools.lru_cache(maxsize=1)
def common_english_words() -> frozenset[str]:
    """The most frequent words of English Wikipedia and of US film and TV subtitles (the lists
    zxcvbn ships): spelt right, so never read as a typo of a sign ("everyday" is not a misspelt
    "fever"). Rarer listed words stay open to typo matching ("breathin", "fiver")."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(word for name in ("english_wikipedia", "us_tv_and_film")
                     for word in FREQUENCY_LISTS[name][:COMMON_WORDS_PER_LIST] if word.isalpha())


class Detector:
    def __init__(self, lexicon: Lexicon, second: Optional[SecondOpinion] = None,
                 urgency: Optional[SecondOpinion] = None):
        self.lexicon = lexicon
        self.second = second  # may turn "nothing found" or a report into "ask", never into silence
        self.urgency = urgency  # may make a sign an emergency (and red), never anything less
        # Words spelt right are never read as typos of another: the lexicon's own words and the
        # lexicon's list of real words that sit one letter from a term ("having"/"heaving").
        english = [(t, term_words(t.text)) for t in lexicon.terms if t.lang == "en"]
        cues = cues_as_read(lexicon.cues)
        real_words = frozenset(cues["not_typos"]["en"]) | common_english_words() | {
            w for _, words in english for w in words if not w.endswith("*")}
        matchers: dict[str, WordMatcher] = {}
        self.english = [EnglishTerm(t, [matchers.setdefault(w, WordMatcher(w)) for w in words]) for t, words in english]
        self.words = WordIndex(list(matchers.values()), real_words)
        self.real_words = real_words
        self.by_first_word: dict[WordMatcher, list[EnglishTerm]] = {}
        for english in self.english:
            self.by_first_word.setdefault(english.words[0], []).append(english)
        self.chinese = [(t, chinese_pattern(t.text)) for t in lexicon.terms if t.lang == "zh"]
        # A Chinese term can only match where its first two characters are (one, if its first
        # part is one character; none, if it starts with *): a clause is searched only for the
        # few terms whose start it has.
        self.chinese_by_start: dict[str, list[int]] = {}
        for index, (term, _) in enumerate(self.chinese):
            self.chinese_by_start.setdefault(term.text.split("*")[0][:2], []).append(index)
        self.chinese_first = re.compile(alternation(start[0] for start in self.chinese_by_start if start))
        self.english_combos = EnglishCombos((c for c in lexicon.combos if c.lang == "en"), cues["negation"]["en"])
        self.chinese_combos = ChineseCombos((c for c in lexicon.combos if c.lang == "zh"), cues["negation"]["zh"])
        negation = cues["negation"]
        self.negations = {"en": [f" {c} " for c in negation["en"]], "zh": negation["zh"]}
        self.context_cues = CueSet.from_lexicon(cues)
        self.ignored = Phrases(cues["ignore"]["en"] + cues["ignore"]["zh"])

    @classmethod
    def from_file(cls, path: Path = LEXICON_FILE, second: Optional[SecondOpinion] = None,
                  urgency: Optional[SecondOpinion] = None) -> "Detector":
        return cls(load_lexicon(path), second, urgency)

    def assess(self, text: str, fever_threshold_c: float = DEFAULT_FEVER_THRESHOLD_C) -> Assessment:
        if len(text) > MAX_CHARS:  # the start, and the end where "now" usually is
            text = text[:MAX_CHARS // 2] + "\n" + text[-(MAX_CHARS // 2):]
        reported: list[Sign] = []
        unsure: list[Sign] = []
        borderline: Optional[Reading] = None
        readings = [r for r in find_temperatures(text) if not NOT_REACHED_BEFORE.search(text[max(0, r.start - 16):r.start])]
        choices = _offered_as_choices(text, readings)
        # Readings from home devices, each the sign it stands for: a low oxygen level, a racing heart.
        device_readings = [(Sign("breathing", "red", True, text[low.start:low.end] + "%"), low)
                           for low in find_saturations(text)] + \
                          [(Sign("circulation", "red", False, text[fast.start:fast.end] + " bpm"), fast)
                           for fast in find_fast_heart_rates(text)]
        whole = normalise(text)
        child_in_message = names_child(whole, self.context_cues)

        @functools.cache
        def writer() -> Writer:  # read once, when the first sign is judged
            return Writer.of(self._clean(text))

        @functools.cache
        def keep_apart() -> bool:  # likewise: most messages name no sign
            return asks_to_keep_apart(whole, self.context_cues)

        typo_words = self._typo_words(whole)
        contexts: dict[tuple, Context] = {}
        reading_reported, told_now, judged, judged_signs = False, False, 0, 0

        def context_of(where: Mention, **clues: bool) -> Context:
            key = (where, *clues.items())  # many readings can share a place
            if key not in contexts:
                contexts[key] = classify(where, self.context_cues,  # a patient writer is the child named
                                         Clues(writer=writer(), child_in_message=child_in_message or writer().patient,
                                               keep_apart=keep_apart(), **clues))
            return contexts[key]

        for start, end, weighed in _clause_spans(text):
            clause = self._clean(text[start:end])
            figures = [found.span() for found in FIGURATIVE_ZH.finditer(clause)]
            for sign, (at, stop), perfective in self._term_signs(clause, typo_words):
                if sign in reported or (not sign.emergency and any(begin < at and stop <= finish for begin, finish in figures)):
                    continue  # said again (it cannot change the decision), or a figure of speech
                judged_signs += 1
                if not weighed or judged_signs > MAX_SIGNS_JUDGED:
                    _sort(sign, Context.UNSURE, reported, unsure)
                    continue
                equipment = sign.category in EQUIPMENT_CATEGORIES
                later = self._clean(text[end:end + NEARBY_CHARS])  # cached; only needed when a sign is named
                earlier = self._clean(text[max(0, start - NEARBY_CHARS):start])
                where = dataclasses.replace(mention(clause, at, stop), later=later, earlier=earlier)
                context = context_of(where, perfective=perfective,
                                     exposure=sign.category == "exposure", red=sign.severity == "red",
                                     lasting=_lasting(sign), equipment=equipment,
                                     comes_and_goes=sign.category == "neuro" and sign.severity == "red",
                                     # read only for a pump or line sign, not for every sentence
                                     other_device=another_device(normalise(text[start:end])) if equipment else None)
                told_now = told_now or (context is Context.REPORT and sign.severity == "red"
                                        and bool(NOW_SAID.search(where.part) or CHILD_HAS.search(where.lead)))
                _sort(sign, context, reported, unsure)

            def reading_context(at: int, stop: int, choice: bool = False) -> Context:
                place = mention(text[:end], at, stop, start)
                return context_of(Mention(*map(self._clean, (place.part, place.before, place.after)),
                                          later=self._clean(text[end:end + NEARBY_CHARS]),
                                          earlier=self._clean(text[max(0, start - NEARBY_CHARS):start]),
                                          unsigned=self._clean(place.unsigned), lead=self._clean(place.lead),
                                          trail=self._clean(place.trail)),
                                  measured=True, lasting=True, choice=choice,
                                  threshold=_given_as_a_threshold(text, at, stop),
                                  round_value=bool(ROUND_VALUE.match(text, at, stop)))

            for sign, vital in device_readings:
                if start <= vital.start < end:
                    _sort(sign, reading_context(vital.start, vital.end), reported, unsure)
            for reading in (r for r in readings if start <= r.start < end):
                alarming = reading.celsius >= fever_threshold_c or reading.celsius < LOW_TEMPERATURE_C
                if (alarming and reading_reported) or (not alarming and (borderline or reading.celsius < BORDERLINE_C)):
                    continue  # it could not change the decision: judging it would only cost time
                judged += 1
                # A temperature log pasted whole: past the first few, an alarming reading is
                # asked about without judging its words, so that the cost stays bounded.
                context = reading_context(reading.start, reading.end, reading.start in choices) \
                    if judged <= MAX_READINGS_JUDGED else Context.UNSURE
                if alarming:
                    _sort(Sign("fever", "red", False, text[reading.start:reading.end]), context, reported, unsure)
                    reading_reported = context is Context.REPORT
                elif context is Context.REPORT:
                    borderline = reading
        if borderline and reported:
            reported.append(Sign("fever", "red", False, text[borderline.start:borderline.end]))
        temperature = max((r.celsius for r in readings), default=None)
        felt = [s for s in reported if _felt_warm(s)]
        if felt and temperature is not None and temperature < BORDERLINE_C and _measured_after_touch(text, readings):
            # "Granny swears he feels hot but I checked and he's 36.9": asked, not paged (not "he
            # was 36.9 this morning but now he's burning up").
            reported, unsure = [s for s in reported if s not in felt], unsure + felt
        specific = [s for s in unsure if not s.ask_only]
        if reported:
            found = _combine(reported + specific, temperature, REPORT)
            if self._doubted(text, whole, reported + specific, found.emergency,
                             firm=reading_reported or bool(borderline) or told_now) or self._kept_away(whole, found) \
                    or self._seen_and_fine_now(text, whole, found, readings):
                found = dataclasses.replace(found, status=ASK)
            return self._urgent_if_it_sounds_so(text, found)
        # A general complaint ("she's in pain") is asked about only when nothing specific was found.
        unsure = specific or unsure
        if not (unsure or readings) and self.second and self.second.would_ask(text):
            # The lexicon found nothing, but the message sounds like a report. (A temperature
            # has been judged against the clinic's threshold already: that stands.)
            unsure = [UNWELL]
        return self._urgent_if_it_sounds_so(text, _combine(unsure, temperature, ASK if unsure else None))

    def _urgent_if_it_sounds_so(self, text: str, found: Assessment) -> Assessment:
        """A sign told in words the lexicon does not know as an emergency ("孩子脸色发灰 手脚冰凉
        叫了半天才哼一声", "fit 2 min ago, stopped now"), in a message that sounds like the suite's
        emergencies: the emergency number comes first, also while the parent is asked whether it
        is happening now (the question must never delay it), and a same-day sign told that way
        is a red flag. Urgency is only ever added, never taken away."""
        if found.status and not found.emergency and self.urgency \
                and sounds_urgent(self.urgency, text, asked=found.status == ASK):
            return dataclasses.replace(found, severity="red", emergency=True,
                                       evidence=[*found.evidence, SOUNDS_URGENT])
        return found

    def _doubted(self, text: str, whole: str, signs: list[Sign], emergency: bool, firm: bool) -> bool:
        """The words say "a sign, of the child, now", but the message as a whole does not sound
        like a report ("that was a rash decision", "二宝昨晚吐了两次", "…her fever broke on Tuesday,
        she's been fine since, just updating you"): the parent is asked rather than the team paged.
        A same-day sign of one category when the model finds it more likely no report; a red flag
        only when it is far surer, in a message long enough to judge (DOUBT_RED_BELOW), and never
        when it is life-threatening (alone or together: `emergency`) nor when the report is `firm`:
        a temperature reading of the child (issue 12: a reading is a report), or a red sign told
        with "now", "today", "tonight", 现在, 今天… in its own part. Never a sign said not to have
        stopped ("he hasn't stopped vomiting": its "stopped" sounds like news that is over). Two
        same-day signs that are red together are not doubted."""
        if self.second is None or STILL_GOING.search(whole):
            return False
        if all(s.severity == "amber" for s in signs):
            return len({s.category for s in signs}) == 1 and self.second.doubts(text)
        return not (emergency or firm) and self.second.doubts_a_red_flag(text)

    def _kept_away(self, whole: str, found: Assessment) -> bool:
        """An infection going round, in a message that says the child has not been near it
        ("chickenpox in her class, but she hasn't been in school for six weeks"): the parent is
        asked, and put through on a yes, rather than the team paged."""
        return set(found.categories) == {"exposure"} and Clause.of(whole).has(self.context_cues, "no_contact")

    def _seen_and_fine_now(self, text: str, whole: str, found: Assessment, readings: list[Reading]) -> bool:
        """A fever the hospital has already seen, told as an update: "the 38.3 from last night, the
        ward checked her over and sent us home, she's 36.8 this morning" (a reading is otherwise
        always a report). The parent is asked, and put through on a yes, rather than the team
        paged. Only a reading told before the visit, not with "just", "now", "today", 刚才… (a fresh
        fever: "孩子刚才寒战，体温38.9，去了急诊…"), with the child said to be fine after it (the last
        reading normal, or the fever said to be over); never when it is back or still there ("sent
        us home but tonight he's 38.9 again"), nor when the visit was before the fever ("A&E sent us
        home yesterday. She spiked 38.8 …"); and only a fever."""
        alarming = [r for r in readings if r.celsius >= BORDERLINE_C]
        if not alarming or found.emergency or set(found.categories) != {"fever"} or STILL_GOING.search(whole) \
                or NOW_SAID.search(normalise(text[:alarming[-1].end])):
            return False
        if Clause.of(whole).without(self.context_cues, "seen").has(self.context_cues, "recurrence"):
            return False
        rest = text[alarming[-1].end:]
        after = Clause.of(self._clean(rest))
        return after.has(self.context_cues, "seen") \
            and (readings[-1].celsius < BORDERLINE_C or after.has(self.context_cues, "over")) \
            and self.assess(rest).status != REPORT  # nothing new after it ("…, she's boiling hot tonight")

    def _without_ignored(self, clause: str) -> str:
        """Drop phrases that name a sign without reporting it ("fever medicine", "验血"). Each leaves
        a mark where a negation's reach ends ("no fever meds yet he is fitting"): a Chinese one, one
        per character and not a space, which would split the part it was in."""
        return self.ignored.sub(lambda found: IGNORED_MARK * len(found.group()) if CJK.search(found.group())
                                else f" {IGNORED_MARK} ", clause)

    @functools.lru_cache(maxsize=512)
    def _clean(self, text: str) -> str:
        """Normalised, without ignored phrases (cached: readings and clauses share their parts)."""
        return self._without_ignored(normalise(text))

    def _typo_words(self, text: str) -> frozenset:
        """The words that may be looked up as typos: the first MAX_TYPO_WORDS different ones long
        enough to be a misspelt sign and not known to be spelt right (the words after those are
        not looked at)."""
        found: set[str] = set()
        for word in WORD.findall(text):
            if len(found) == MAX_TYPO_WORDS:
                break
            if len(word) >= FUZZY_MIN_LENGTH - 1 and word not in self.real_words:
                found.add(word)
        return frozenset(found)

    def _term_signs(self, clause: str, typo_words: frozenset) -> list[tuple[Sign, tuple[int, int], bool]]:
        """The signs named in `clause` and not negated, each with its span and whether a Chinese
        perfective (了) follows it."""
        signs: list[tuple[Sign, tuple[int, int], bool]] = []
        found = list(WORD.finditer(clause))
        tokens = [m.group() for m in found]
        positions: dict[WordMatcher, list[int]] = {}
        for position, token in enumerate(tokens):
            if token != ",":
                for matcher in self.words.candidates(token, token in typo_words):
                    positions.setdefault(matcher, []).append(position)
        present = positions.keys()
        for matcher, found_at in positions.items():
            for english in self.by_first_word.get(matcher, ()):
                if not present >= english.rest:
                    continue
                # A word said 250 times is looked at as a start MAX_STARTS times. The first and
                # the last time are judged: "my husband has a fever and now she has a fever".
                first = english.find(positions, found_at[:MAX_STARTS])
                last = english.find(positions, found_at[-1:]) if first is not None else None
                for span in dict.fromkeys(s for s in (first, last) if s is not None):
                    if _right_not_well(english.term, tokens, *span, clause[found[span[1]].end():]):
                        continue
                    if not self._negated_en(english.term, tokens, *span, clause, found[span[0]].start()):
                        signs.append((_sign(english.term), (found[span[0]].start(), found[span[1]].end()), False))
        for combo in self.english_combos.find(clause, found):
            signs.append((_combo_sign(combo), combo.span, False))
        if not CJK.search(clause):
            return _without_the_dressings_words(signs)
        for combo in self.chinese_combos.find(clause):
            after = clause[combo.span[1] - 1:combo.span[1] + PERFECTIVE_WINDOW_CHARS]
            perfective = bool(PERFECTIVE.search(after)) and not _a_bound_asked_about(clause, combo.span[1])
            signs.append((_combo_sign(combo), combo.span, perfective))
        for term, pattern in self._chinese_candidates(clause):
            for match in _first_and_last(pattern, clause):  # "我老公发烧了，宝宝现在也发烧了"
                if self._negated_zh(clause, match.start(), match.group(), term.text):
                    match = _tightest(pattern, clause, match)
                    if self._negated_zh(clause, match.start(), match.group(), term.text):
                        continue
                after = match.group()[-1:] + clause[match.end():match.end() + PERFECTIVE_WINDOW_CHARS]
                perfective = bool(PERFECTIVE.search(after)) and not _a_bound_asked_about(clause, match.end())
                signs.append((_sign(term), match.span(), perfective))
        return _without_the_dressings_words(signs)

    def _chinese_candidates(self, clause: str) -> list[tuple[Term, re.Pattern]]:
        """The Chinese terms whose start is in the clause, in lexicon order. Only the places that
        have a term's first character are read: most characters start no term."""
        starts = {""}
        for first in self.chinese_first.finditer(clause):
            starts.update((first.group(), clause[first.start():first.start() + 2]))
        indexes = sorted(i for start in starts for i in self.chinese_by_start.get(start, ()))
        return [self.chinese[i] for i in indexes]

    def _negated_en(self, term: Term, tokens: list[str], at: int, last: int, clause: str, offset: int) -> bool:
        # The scope of "no"/"not" ends at a comma or an "and": in "the alarm will not stop
        # and his dressing is soaked" the dressing is not negated. A negation between the words
        # of a term negates it too ("his lips are not blue"), and so does a Chinese one just
        # before an English term ("今天没有 vomit").
        if NOT_SEEN_EN.search(" ".join(tokens[max(0, at - NEGATION_WINDOW_WORDS - 2):at])) \
                and not LIKE_THIS.match(" ".join(tokens[last + 1:last + 4])):
            return True
        window = NEGATION_END_EN.split(" ".join(tokens[max(0, at - NEGATION_WINDOW_WORDS):at]))[-1]
        if NOT_STOPPING.search(window):
            return False  # "she has not stopped fitting": it goes on
        before, inside = f" {window.strip()} ", f" {' '.join(tokens[at + 1:last])} "
        own = f" {term.text} "  # "will not wake" has its own "not"
        if any(cue in before or (cue in inside and cue not in own) for cue in self.negations["en"]):
            return True
        if in_negated_list(tokens, at, last, self.negations["en"]):
            return True
        chinese = NEGATION_END.split(clause[max(0, offset - NEGATION_WINDOW_CHARS):offset])[-1]
        return any(cue in chinese for cue in self.negations["zh"])

    def _negated_zh(self, clause: str, at: int, matched: str, term_text: str) -> bool:
        # (The words with 不 are blanked in a wider window: "打不通" may begin before it.)
        before = without_false_negations(clause[max(0, at - NEGATION_WINDOW_CHARS - 2):at])
        before = NEGATION_END.split(before[-NEGATION_WINDOW_CHARS:])[-1]
        if NOT_SEEN_ZH.search(clause[max(0, at - NEGATION_WINDOW_CHARS - 8):at]) and not LIKE_THIS_ZH.search(clause, at):
            return True
        if "是不是" in clause[max(0, at - NEGATION_WINDOW_CHARS - 1):at]:
            return False  # "是不是发烧了" asks; the hypothetical cues decide
        negations = self.negations["zh"]
        return any(cue in before for cue in negations) or negated_in_gap(matched, term_text, negations)


_cache: dict[Path, tuple[float, Detector]] = {}


def detector(path: Path = LEXICON_FILE) -> Detector:
    """The detector for the lexicon file as it is now (tools, tests, the retrain gate). The
    running servers use the lexicon stored in the database: bot/redflags/lexicon_store.py."""
    mtime = path.stat().st_mtime
    cached = _cache.get(path)
    if cached is None or cached[0] != mtime:
        cached = _cache[path] = (mtime, Detector.from_file(path, second_opinion(), urgency_opinion()))
    return cached[1]


def _without_the_dressings_words(signs: list[tuple[Sign, tuple[int, int], bool]]) -> list:
    """"His dressing is peeling": "peeling" is the dressing's, not a second (skin) sign, which
    would make two same-day signs count as red. Only a same-day sign named inside the words of a
    dressing sign is given up; a red one never is."""
    dressing = [span for sign, span, _ in signs if sign.category == "line_dressing"]

    def the_dressings(sign: Sign, span: tuple[int, int]) -> bool:
        return sign.severity == "amber" and sign.category != "line_dressing" \
            and any(start <= span[0] and span[1] <= stop for start, stop in dressing)

    return [found for found in signs if not the_dressings(found[0], found[1])]


def _sign(term: Term) -> Sign:
    return Sign(term.category, term.severity, term.emergency, term.text, term.ask_only)


def _combo_sign(match: ComboMatch) -> Sign:
    return Sign(match.combo.category, match.combo.severity, match.combo.emergency, match.evidence)


def mention(clause: str, at: int, stop: int, start: int = 0) -> Mention:
    """Where clause[at:stop] names a sign: its comma-delimited part of clause[start:], with the
    sign's own words blanked out (a cue word inside "pump stopped" is the sign, not a clue), and
    the parts before and after it. Who and when are read in the part, so that "上周发烧，今天又烧了"
    and "皮疹在扩散，同学出了水痘" keep their parts apart."""
    begin = max((m.end() for m in PART_BREAK.finditer(clause, start, at)), default=start)
    after = PART_BREAK.search(clause, stop)
    end = after.start() if after else len(clause)
    unsigned = clause[begin:at] + " " * (stop - at) + clause[stop:end]
    return Mention(clause[begin:end], clause[start:begin], clause[end:], unsigned=unsigned, lead=clause[begin:at],
                   trail=clause[stop:end])


def _a_bound_asked_about(clause: str, end: int) -> bool:
    """"超过38度" after a sign, or "超过5分钟" in a question ("抽搐超过5分钟要打120吗"): a rule's bound,
    whose 过 says nothing has happened ("抽搐超过5分钟了，还没停" is a report)."""
    bound = BOUND_AFTER_ZH.match(clause, end)
    if bound is None:
        return False
    rest = bound.group("rest")
    return not STILL_ZH.search(rest) and (bool(bound.group("degrees")) or bool(ASKS_AFTER_ZH.search(rest)))


def _given_as_a_threshold(text: str, start: int, end: int) -> bool:
    """"超过38度", "38度以上", "above 38.5": a bound in a rule or a question, not a reading."""
    return bool(THRESHOLD_BEFORE.search(text[max(0, start - 12):start]) or THRESHOLD_AFTER.match(text, end))


def _offered_as_choices(text: str, readings: list[Reading]) -> set[int]:
    """Where the readings are that stand either side of "or" ("38还是38.5", "do we ring at 38 or at
    38.5?", "超过38.5度要打电话吗 还是38度就要打"): the parent asks which bound counts."""
    found: set[int] = set()
    for first, second in zip(readings, readings[1:]):
        between = text[first.end:second.start].lower()
        if CHOICE.fullmatch(between) or (len(between) <= CHOICE_WITHIN and CHOICE_WORD.search(between)
                                          and not SENTENCE_END.search(between)):
            found.update((first.start, second.start))
    return found


def _lasting(sign: Sign) -> bool:
    """A sign that still needs the call once it is over: life-threatening ones, and fever."""
    return sign.emergency or sign.category == "fever"


def _sort(sign: Sign, context: Context, reported: list[Sign], unsure: list[Sign]) -> None:
    if sign.ask_only:  # a general complaint: asked about only when said of the child, now
        if context is Context.REPORT:
            unsure.append(sign)
    elif context is Context.REPORT:
        reported.append(sign)
    elif context is Context.UNSURE:
        unsure.append(sign)


def _clause_spans(text: str) -> list[tuple[int, int, bool]]:
    """Clauses with the punctuation that ends them ("seizure!!" keeps its urgency), and whether
    each is judged word by word (see MAX_CLAUSES)."""
    spans, start = [], 0
    for brk in CLAUSE_BREAK.finditer(text.lower()):
        spans.append((start, brk.end()))
        start = brk.end()
    if start < len(text):
        spans.append((start, len(text)))
    if len(spans) <= MAX_CLAUSES:
        return [(s, e, True) for s, e in spans]
    head, tail = spans[:MAX_CLAUSES - LAST_CLAUSES], spans[-LAST_CLAUSES:]
    return [(s, e, True) for s, e in head] + [(head[-1][1], tail[0][0], False)] + [(s, e, True) for s, e in tail]


def _measured_after_touch(text: str, readings: list[Reading]) -> bool:
    """The last reading comes after the last word of warmth felt by hand."""
    touched = [m.start() for m in FELT_WARM.finditer(text.lower())]
    return bool(touched) and readings[-1].start > touched[-1]


def _felt_warm(sign: Sign) -> bool:
    """A fever told only by touch ("feels hot", "身上烫"), which a normal reading contradicts (not
    chills or rigors, which are red at any temperature)."""
    return sign.category == "fever" and bool(FELT_WARM.search(sign.evidence))


def _headache_and_another_neuro_sign(signs: list[Sign]) -> bool:
    """A new tremor with a headache: two mild neurological signs together are red (facts.md: "red
    if any other neuro sign"), though both are listed under the one amber category."""
    mild = [s for s in signs if s.category == "neuro_mild"]
    return any(HEADACHE.search(s.evidence) for s in mild) and not all(HEADACHE.search(s.evidence) for s in mild)


def _combine(signs: list[Sign], temperature: Optional[float], status: Optional[str]) -> Assessment:
    """Highest severity wins; two or more amber categories together count as red (UKONS)."""
    categories = list(dict.fromkeys(s.category for s in signs))
    amber = {s.category for s in signs if s.severity == "amber"}
    if any(s.severity == "red" for s in signs) or len(amber) >= 2 or _headache_and_another_neuro_sign(signs):
        severity: Optional[str] = "red"
    else:
        severity = "amber" if amber else None
    # Swelling of the face, lips or tongue, or a rash or hives, WITH breathing trouble is anaphylaxis.
    if "breathing" in categories and "skin" in categories and "allergic" not in categories:
        categories.append("allergic")
    emergency = any(s.emergency for s in signs) or {"allergic", "breathing"} <= set(categories)
    return Assessment(severity, emergency, categories,
                      list(dict.fromkeys(s.evidence for s in signs)), temperature, status if severity else None)
