"""Who and when: is a clause that names a warning sign a report about this child, now?

Parents wrap reports in questions all the time ("he's had a seizure, is this from blina?",
"孩子发烧39度，正常吗"), so question words alone never make a clause a question. What decides is
whether the sign is said *of the child* (he, my son, 孩子, 宝宝) or *now* (this morning, 刚才,
a temperature reading, "发烧了"), and whether something takes it away: a conditional ("if",
"如果"), a sign that is over ("gone now", "退烧了"), another person ("my husband has"), or a
possibility ("can blina cause", "会不会"). A sign with none of these clues is neither a report
nor a question: the assistant asks "is this happening to your child now?" rather than guess.

The cue phrases are data that nurses edit (content/redflags.yml); this module is the decision.
"""
from __future__ import annotations

import enum
import functools
import re
from dataclasses import dataclass
from typing import Optional

from bot.redflags.lexicon import CUE_KINDS
from bot.redflags.phrases import PART_BREAK, alternation

__all__ = ["Context", "CueSet", "Mention", "classify", "names_child"]

# Cue kinds this module reads from the lexicon (the others are read where signs are matched).
CONTEXT_CUES = tuple(kind for kind in CUE_KINDS if kind not in ("negation", "ignore", "not_typos"))
LATIN_WORDS = re.compile(r"[a-z]+|[!?]")
ASIDE = re.compile(r"\([^()]*\)")
POSSESSIVES = re.compile(r"(?<= )(?:his|her|him|my|our)(?= )")
PRONOUNS_EN = re.compile(r"(?<= )(?:he|she|his|her|him|hes|shes)(?= )")
PRONOUNS_ZH = re.compile(r"(?<![其吉])[他她](?![们])")
# Words that contain a cue without meaning it: 出现在 ("appears on", not 现在 "now").
# 一样的话 / 说的话 ("the same words", "what he says"), not 的话 ("if").
CHINESE_FALSE_FRIENDS = (("出现在", "出现 "), ("表现在", "表现 "), ("体现在", "体现 "),
                         ("一样的话", "一样 话"), ("说的话", "说 话"), ("讲的话", "讲 话"))


class Context(enum.Enum):
    REPORT = "report"        # about this child, now: escalate
    QUESTION = "question"    # conditional or generic: answer the question
    NOT_NOW = "not_now"      # over, or somebody else's sign: nothing to escalate
    UNSURE = "unsure"        # a sign with no clue either way: ask the parent


@dataclass(frozen=True)
class CueSet:
    """Cue phrases per kind: English ones padded with spaces (whole words), Chinese as written."""

    english: dict[str, tuple[str, ...]]
    chinese: dict[str, tuple[str, ...]]
    others_en: re.Pattern    # other people with their possessives, one pattern per language
    others_zh: re.Pattern
    any_other_en: re.Pattern  # others_en without the possessives: a quick test, true where others_en is
    any_en: dict[str, re.Pattern]  # kind -> one pattern for all its English cues (in `words`)
    any_zh: dict[str, re.Pattern]  # kind -> one pattern for all its Chinese cues (in the text)

    @classmethod
    def from_lexicon(cls, cues: dict[str, dict[str, list[str]]]) -> "CueSet":
        english = {kind: tuple(f" {c} " for c in cues[kind]["en"]) for kind in CONTEXT_CUES}
        chinese = {kind: tuple(cues[kind]["zh"]) for kind in CONTEXT_CUES}
        return cls(english, chinese,
                   re.compile(OTHER_EN + "(?:" + alternation(cues["other_person"]["en"]) + r")\b"),
                   re.compile(OTHER_ZH + "(?:" + alternation(cues["other_person"]["zh"]) + ")" + OTHER_ZH_AFTER),
                   re.compile(r"\b(?:" + alternation(cues["other_person"]["en"]) + r")\b"),
                   {kind: re.compile(alternation(english[kind])) for kind in CONTEXT_CUES},
                   {kind: re.compile(alternation(chinese[kind])) for kind in CONTEXT_CUES})


@dataclass(frozen=True)
class Clause:
    """One clause in the forms the cue look-ups need."""

    words: str       # " he is having a seizure ? " : Latin words and ?/! between single spaces
    chinese: str     # the clause as written (normalised), for Chinese cues

    @classmethod
    @functools.lru_cache(maxsize=2048)
    def of(cls, text: str) -> "Clause":
        """(Cached: the parts of a message are read again for each sign it names.)"""
        for word, cue_free in CHINESE_FALSE_FRIENDS:
            text = text.replace(word, cue_free)
        return cls(f" {' '.join(LATIN_WORDS.findall(text))} ", text)

    def has(self, cues: CueSet, kind: str) -> bool:
        return cues.any_en[kind].search(self.words) is not None or cues.any_zh[kind].search(self.chinese) is not None

    def without(self, cues: CueSet, kind: str) -> "Clause":
        words, chinese = self.words, self.chinese
        for c in cues.english[kind]:
            words = words.replace(c, " ")
        for c in cues.chinese[kind]:
            chinese = chinese.replace(c, " ")
        return Clause(words, chinese)


@dataclass(frozen=True)
class Mention:
    """Where a sign is named: its comma-delimited part of the sentence (the sign's own words
    blanked out), and the text of the sentence before and after that part."""

    part: str
    before: str = ""
    after: str = ""
    later: str = ""    # the sentences that follow, where a sign may be said to be over
    earlier: str = ""  # the sentences before, which may set the time ("last week ...")
    unsigned: str = ""  # the part with the sign's own words blanked: "stopped" in "stopped breathing"
                        # is the sign, not a sign that is over
    lead: str = ""      # the part's words before the sign


# "累得我都快晕倒了", "忙得我快抽风了": a sign after "…得我" is how tired or busy the parent is.
# The sign's subject is the writer: "i threw up", "we have both been sick", "我今天吐了两次".
FIRST_PERSON_EN = re.compile(r"\b(?:i|we)(?: (?:am|have|had|was|were|are|ve|re|m|just|also|both|all|really|so|been|feel|"
                             r"felt|got|keep|kept|cannot|can not|still|too|literally|totally|myself|ourselves))* $")
FIRST_PERSON_ZH = re.compile(r"(?:^|[^家])(?:我(?!家|们家|儿|女|仔|的孩子|的宝)|我们|我俩|咱俩|咱们)"
                             r"(?:都|也|自己|今天|昨晚|昨天|一直|老是|有点|好像|还|总是|刚才)*$")
RELATIVES_EN = r"(?:brother|sister|sibling|cousin|dad|mum|mom|father|mother|grandma|grandad|granny|nan|aunt|auntie|uncle)"
WRITER_EN = re.compile(r"\b(?:i am|i m|im|this is|it is|its|it s) (?:\w+ s |her |his |the )?" + RELATIVES_EN + r"\b"
                       r"|\b\w+ s " + RELATIVES_EN + r" i am\b")
WRITER_ZH = re.compile(r"我是(?:患儿|他|她|孩子|宝宝|娃)?的?(?:哥哥|姐姐|弟弟|妹妹|爸爸|妈妈|奶奶|爷爷|姥姥|姥爷|外婆|外公|姑姑|舅舅|阿姨)")
SPEAKERS_OWN = re.compile(r"得我[都也]?(?:快要|快|要)?[^，,。、]{0,2}$")  # "冻得我嘴唇发紫"

OTHER_EN = r"(?:\b(?:his|her|my|our|their|the|a)\s+)?(?:\b(?:big|little|older|younger|baby)\s+)?\b"
OTHER_ZH = r"(?:他的|她的|我的|我们的|他|她|我|孩子的|孩子)?"
OTHER_ZH_AFTER = "(?:家的孩子|家孩子|的孩子|家的小孩|家小孩|家)?"


def without_others(clause: "Clause", cues: CueSet) -> "Clause":
    """The clause without the other people it names, with their possessives ("her friend",
    "她哥哥", "我表姐家孩子"), so that what is left says whether the child is named too.
    The patterns with possessives are slow to run, so they run only where a person is named."""
    words, chinese = clause.words, clause.chinese
    if cues.any_other_en.search(words):
        words = cues.others_en.sub(" ", words)
    if cues.any_zh["other_person"].search(chinese):
        chinese = cues.others_zh.sub(" ", chinese)
    return Clause(words, chinese)


def classify(where: Mention, cues: CueSet, *, perfective: bool = False, measured: bool = False,
             child_in_message: bool = False, exposure: bool = False, red: bool = True,
             lasting: bool = True, choice: bool = False) -> Context:
    """The context of a sign named at `where`.

    `perfective`: a Chinese sign is followed by 了 ("发烧了"), which says it has happened.
    `measured`: the sign is a temperature reading, which is a report unless something takes it
    away; in a general question with no child ("is 38.2 a fever?") the parent is asked.
    `child_in_message`: another part of the message names the child ("Tom is 4. vomiting all night").
    `exposure`: the sign is contact with an infection, which is by nature somebody else's illness:
    without the child named, the parent is asked.
    `red`: a red sign said in a part with no subject after somebody else is asked about.
    `lasting`: the sign counts even when the message says it is over ("抽了一下，现在好了", a
    fever that came down with medicine): life-threatening signs and fevers. Only a past time
    ("last week") takes them away.
    `choice`: the reading is one of two offered ("38还是38.5？"): the parent is asking which counts.
    """
    if SPEAKERS_OWN.search(where.lead):
        return Context.NOT_NOW
    clause, before = Clause.of(where.part), Clause.of(where.before)
    unsigned = Clause.of(where.unsigned or where.part)
    if clause.has(cues, "conditional") or before.has(cues, "conditional"):
        # A conditional reaches over commas ("如果孩子出冷汗、手脚冰凉"). When the part also says
        # the child has it now ("如果38度1也算发烧的话 那我家娃现在就是在发烧"), the parent is asked.
        return Context.UNSURE if clause.has(cues, "now") and clause.has(cues, "child") else Context.QUESTION
    if sentence_of(where).has(cues, "look_alike"):
        return Context.UNSURE  # blue lips after a blue slushie, 38.5 "degrees" of a cup of tea
    again = clause.has(cues, "recurrence")
    over_now = unsigned.has(cues, "over") or Clause.of(where.after).has(cues, "over") \
        or Clause.of(where.later).has(cues, "over")  # "dressing was loose but the nurse redid it"
    if not (lasting or again) and over_now:
        return Context.NOT_NOW
    if over_now and not (again or clause.has(cues, "now")) and Clause.of(where.earlier).has(cues, "past"):
        # "We were worried last week. She had a high temperature ... fine since Friday": most
        # likely over, but a life-threatening sign or a fever is asked about, not dropped.
        return Context.UNSURE if lasting else Context.NOT_NOW
    if unsigned.has(cues, "past") and over_now and not again:
        return Context.NOT_NOW  # over, and long ago: "his chills stopped in hospital, fine since"
    if unsigned.has(cues, "past") and not (again or clause.has(cues, "now")):
        return Context.NOT_NOW
    another = named_before_the_sign_is_another(where, cues)
    if another == "theirs":
        # "The boy in the next bed had a seizure and it frightened my son"
        return Context.UNSURE if exposure or measured else Context.NOT_NOW
    writer_not_child = child_in_message or writer_is_another(where)
    nobody_named = not (clause.has(cues, "child") or clause.has(cues, "other_person"))
    if another == "maybe" or (speaker_is_subject(where) and writer_not_child and not clause.has(cues, "child")) \
            or (writer_is_another(where) and nobody_named):
        # Asked about when red: a teenager on treatment also writes "I"; an amber sign is theirs.
        return Context.UNSURE if exposure or measured or red else Context.NOT_NOW
    if clause.has(cues, "other_child") and not subject_is_child(clause.without(cues, "other_child"), cues):
        return Context.UNSURE if exposure else Context.NOT_NOW  # "my friend says her son has a rash"
    previous = Clause.of(PART_BREAK.split(where.before.rstrip(",，、 "))[-1])
    if clause.has(cues, "other_person") and not clause.has(cues, "relay"):
        # (Somebody who tells the parent something tells it about the child: "grandma says
        # his lips are blue", "孩子他爸说泵一直响".)
        clause = without_others(without_asides(where), cues)
        if not subject_is_child(clause, cues):
            # A reading is asked about: "那个孩子现在烧到三十九度" ("那个" is also a filler word).
            return Context.UNSURE if exposure or measured else Context.NOT_NOW
    elif clause.has(cues, "other_person") and not subject_is_child(without_others(clause, cues), cues):
        # Somebody tells of a sign, naming nobody: the child's ("grandma says lips gone blue"),
        # their own ("姥爷老说胸口疼") or children's in general ("my mate said they puff up").
        # Asked about, because a relayed report is never dropped.
        return Context.UNSURE
    elif not names_child_by_more_than_a_pronoun(clause, cues) \
            and (previous.has(cues, "other_person") or previous.has(cues, "other_child")) \
            and not (measured and previous.has(cues, "relay")) and not without_others(previous, cues).has(cues, "child"):
        # A part with no subject of its own, or only "he"/"her", is likely about the last one
        # named ("我自己哮喘犯了，喘不上气", "our neighbour's girl had a reaction, her face
        # swelled up"): not a report of an amber sign; a red one is asked about.
        return Context.UNSURE if exposure or red else Context.NOT_NOW
    if measured:
        sentence = sentence_of(where)
        generic = sentence.has(cues, "generic") or sentence.has(cues, "possibility")
        return Context.UNSURE if choice or (generic and not (clause.has(cues, "child") or child_in_message)) \
            else Context.REPORT
    if perfective:
        return Context.REPORT
    if clause.has(cues, "now"):
        # "Do headaches usually come with blina?" reads like news but names nobody: asked about.
        general = clause.has(cues, "generic") and not (clause.has(cues, "child") or child_in_message)
        return Context.UNSURE if general else Context.REPORT
    # "Is that from the steroids?" asks the cause of a sign, not whether it could happen.
    possible = clause.without(cues, "attribution").has(cues, "possibility")
    if clause.has(cues, "child") and not (possible or clause.has(cues, "report")) and asks_why_of_any_child(where, cues):
        return Context.UNSURE
    if clause.has(cues, "child") and not possible:
        return Context.REPORT
    if clause.has(cues, "report") and not possible:
        # "How do you tell a tremor apart from just shivering?": news words in a general
        # question that names nobody are asked about.
        general = clause.has(cues, "generic") and not child_in_message
        return Context.UNSURE if general else Context.REPORT
    if possible or clause.has(cues, "generic") or (sentence_of(where).has(cues, "cause") and not child_in_message):
        return Context.QUESTION  # (the cause of a sign said of nobody: "what causes pancreatitis?")
    # A bare sign, or a bare "seizure, what to do?": a question word alone decides nothing.
    return Context.REPORT if child_in_message else Context.UNSURE


def asks_why_of_any_child(where: Mention, cues: CueSet) -> bool:
    """"小孩子手抖是什么原因" — why does a sign happen, of a child named only by a general noun
    (孩子, 小孩, 儿童): the title of many Q&A pages, and also how some parents report. Asked about,
    neither escalated nor taken for a question."""
    sentence = sentence_of(where)
    return sentence.has(cues, "explain") and not sentence.without(cues, "any_child").has(cues, "child")


def names_child_by_more_than_a_pronoun(clause: Clause, cues: CueSet) -> bool:
    """"my son", "孩子" — not only "he", "her", "他", which may stand for somebody just named."""
    return Clause(PRONOUNS_EN.sub(" ", clause.words), PRONOUNS_ZH.sub(" ", clause.chinese)).has(cues, "child")


def named_before_the_sign_is_another(where: Mention, cues: CueSet) -> Optional[str]:
    """In the sign's part, somebody else is named before it: "theirs" when the child is not
    named there (the sign is theirs, whoever is named after it), "maybe" when the child is named
    only by "he"/"she", which may stand for that person ("my wife has a fever and she's got the
    shivers"); None otherwise."""
    lead = Clause.of(where.lead)
    if not (lead.has(cues, "other_child") or lead.has(cues, "other_person")) or lead.has(cues, "relay"):
        return None
    rest = without_others(lead.without(cues, "other_child"), cues)
    if not subject_is_child(rest, cues):
        return "theirs"
    return None if names_child_by_more_than_a_pronoun(rest, cues) else "maybe"


def speaker_is_subject(where: Mention) -> bool:
    """The sign follows "I" or "we" (我, 我们, 咱俩) as its subject: "I threw up twice", "we've
    both been sick", "我今天吐了两次" — the parent's own, or a teenager's about themself."""
    return bool(FIRST_PERSON_EN.search(Clause.of(where.lead).words) or FIRST_PERSON_ZH.search(where.lead))


def writer_is_another(where: Mention) -> bool:
    """The writer said who they are, and it is not the child: "hi it's Jake, Ellie's brother",
    "我是患儿的哥哥"."""
    earlier = Clause.of(" ".join((where.earlier, where.before)))
    return bool(WRITER_EN.search(earlier.words) or WRITER_ZH.search(earlier.chinese))


def sentence_of(where: Mention) -> Clause:
    """The whole sentence the sign is named in, for cues that reach over commas."""
    return Clause.of(" ".join((where.before, where.part, where.after)))


def without_asides(where: Mention) -> Clause:
    """The part without what it says in brackets, unless the sign is in them: an aside is about
    whoever was just named ("my dad's PICC (he's having chemo) is red")."""
    part = where.part
    for aside in ASIDE.finditer(where.unsigned or part):
        if aside.group() == part[aside.start():aside.end()]:
            part = part[:aside.start()] + " " * len(aside.group()) + part[aside.end():]
    return Clause.of(part)


def subject_is_child(clause: Clause, cues: CueSet) -> bool:
    """The child is named other than by a possessive, which after another person is theirs:
    "my dad gets breathless with his asthma"."""
    return Clause(POSSESSIVES.sub(" ", clause.words), clause.chinese).has(cues, "child")


def names_child(text: str, cues: CueSet) -> bool:
    """Does this text name the child (he, my son, 孩子)? For clauses that do not repeat it."""
    return without_others(Clause.of(text), cues).has(cues, "child")
