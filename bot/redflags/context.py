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

import dataclasses
import enum
import functools
import re
from dataclasses import dataclass
from typing import Optional

from bot import clock
from bot.redflags.lexicon import CUE_KINDS
from bot.redflags.phrases import PART_BREAK, Guarded, alternation

__all__ = ["Clues", "Context", "CueSet", "Mention", "Writer", "classify", "names_child"]

# Cue kinds this module reads from the lexicon (the others are read where signs are matched).
CONTEXT_CUES = tuple(kind for kind in CUE_KINDS if kind not in ("negation", "ignore", "not_typos"))
LATIN_WORDS = re.compile(r"[a-z]+|[!?]")
ASIDE = re.compile(r"\([^()]*\)")
POSSESSIVES = re.compile(r"(?<= )(?:his|her|him|my|our)(?= )")
PRONOUNS_EN = re.compile(r"(?<= )(?:he|she|his|her|him|hes|shes)(?= )")
PRONOUNS_ZH = Guarded(r"(?<![其吉])[他她](?![们])",
                      needles=('他', '她'))
# A child said not to be the one on treatment is another child: "my toddler (not the one on
# treatment)", "二宝（不是用药的那个）" (DISCLAIMED_ZH, below CHILDREN_ZH). The child word is blanked,
# the disclaimer (an other-child cue) kept.
DISCLAIMED_EN = Guarded(r"(?:\b(?:my|our|the) )?\b(?:toddler|baby|son|daughter|boy|girl|kid|child|eldest|oldest|youngest|"
                        r"middle one|older one|younger one|little one|big one|twin)(?= not the (?:one on|one with|one who is on|one who has the|poorly|sick|ill)\b)",
                        needles=(' not the ',))
# Words that contain a cue without meaning it: 出现在 ("appears on", not 现在 "now").
# 一样的话 / 说的话 ("the same words", "what he says"), not 的话 ("if").
CHINESE_FALSE_FRIENDS = (("出现在", "出现 "), ("表现在", "表现 "), ("体现在", "体现 "),
                         ("一样的话", "一样 话"), ("说的话", "说 话"), ("讲的话", "讲 话"),
                         ("在我们家", "在 家"), ("在我家", "在 家"),  # at home, not "our child"
                         ("主要是", "主要 "), ("只要是", "只要 "), ("需要是", "需要 "),  # 要是 ("if") inside
                         ("会画了", "会画 "), ("能画了", "能画 "))  # "突然不会画了" is no drawing (画了, a pretend cue)


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
        # Longest first, so that `Clause.without` takes "病房里有个宝宝" whole, not "病房里有个".
        english = {kind: tuple(sorted((f" {c} " for c in cues[kind]["en"]), key=len, reverse=True)) for kind in CONTEXT_CUES}
        chinese = {kind: tuple(sorted(cues[kind]["zh"], key=len, reverse=True)) for kind in CONTEXT_CUES}
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
    # A clause is asked about the same cue kind again and again (once per question of `classify`,
    # per sign it names): each answer is kept, which halves the searches of a long clause.
    _found: dict = dataclasses.field(default_factory=dict, init=False, repr=False, compare=False)

    @classmethod
    @functools.lru_cache(maxsize=2048)
    def of(cls, text: str) -> "Clause":
        """(Cached: the parts of a message are read again for each sign it names.)"""
        for word, cue_free in CHINESE_FALSE_FRIENDS:
            text = text.replace(word, cue_free)
        text = DISCLAIMED_ZH.sub(lambda m: " " * len(m.group()), text)
        return cls(DISCLAIMED_EN.sub(" ", f" {' '.join(LATIN_WORDS.findall(text))} "), text)

    def has(self, cues: CueSet, kind: str) -> bool:
        key = (id(cues), kind)
        if key not in self._found:  # the entry holds `cues`, so that its id is never another's
            self._found[key] = (cues, cues.any_en[kind].search(self.words) is not None
                                or cues.any_zh[kind].search(self.chinese) is not None)
        return self._found[key][1]

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
    trail: str = ""     # the part's words after the sign


# The sign's subject is the writer: "i threw up twice", "我今天吐了两次". Not "we"/我们: parents
# say "we've had vomiting all night" of the child.
FIRST_PERSON_EN = Guarded(r"\bi(?: (?:am|have|had|was|m|ve|just|also|really|so|been|feel|felt|look|looked|got|keep|kept|"
                          r"get|getting|having|suffering|suffer|suffered|from|started|developed|"
                          r"cannot|can not|still|too|literally|totally|myself))* $",
                          needles=('i ',))
FIRST_PERSON_ZH = re.compile(r"(?:我(?!家|们|儿|女|仔|的孩子|的宝)|我俩|咱俩)(?:都|也|自己|今天|昨晚|昨天|一直|老是|有点|好像|还|总是|刚才|刚刚|真的|实在|差点|差一点|险些|简直|快要|快)*$")
# The writer says the message is about themself: "not about him this time, about me", "说说我自己".
WRITER_TOPIC = Guarded(r"\b(?:(?:this|this one|my question|the question) is about (?:me|myself)|question about myself"
                       r"|(?<!not )asking (?:about|for) myself|not about (?:him|her|my (?:son|daughter|child))(?: this time)?,? (?:it is )?about me"
                       r"|(?:that is|it is|that'?s|it'?s) me,? not (?:him|her))\b"
                       r"|说说我自己|说一下我自己|问问我自己|不是问孩子|(?<!不)是问我自己",
                       needles=('about m', 'myself', 'me not', 'me, not', '我自己', '不是问孩子'))
# A sign said, right after it, to be over for days: "fever's been gone since Tuesday", "fever free
# for 3 days". Not "he'd been fine since Tuesday" after another sign, nor "not been well for 3 days".
LONG_OVER = re.compile(r"^\W*(?:(?:s|is|has|have)\s+)?(?:been\s+)?(?:gone|free)\s+(?:since|for)\s+"
                       r"(?:(?:last|the|about|over|nearly|almost|at least)\s+)?(?:monday|tuesday|wednesday|thursday|"
                       r"friday|saturday|sunday|the weekend|yesterday|(?:\d+|two|three|four|five|six|seven|a few|several|a couple of)\s+"
                       r"(?:days|weeks))\b")
# The pump and the line, whose being fine again says nothing of the child's signs. (The pump's
# alarm and the line are not told apart: a kinked line is what sets the alarm off.)
EQUIPMENT = re.compile(r"\b(?:pump|line|tube|tubing|dressing|alarm|battery|batteries|bag)s?\b|泵|管|敷贴|贴膜|报警|电池|药袋")
# Devices at home whose screens, errors and batteries are not the pump's.
OTHER_DEVICE = re.compile(r"\b(?:printer|tablet|ipad|kindle|laptop|computer|phone|iphone|tv|telly|television|router|wifi|"
                          r"fridge|freezer|microwave|oven|dishwasher|washing machine|tumble dryer|car|console|xbox|playstation|"
                          r"nintendo|switch|game|camera|doorbell|boiler|heater|kettle|smoke alarm|fire alarm|smoke detector|"
                          r"alarm clock|thermometer|smartwatch|fitbit|baby monitor|car alarm|breast pump|shower|fish tank|aquarium)s?\b"
                          r"|手机|平板|电脑|打印机|电视|路由器|冰箱|微波炉|洗衣机|游戏机|热水器|烟雾报警器|烟感|空调|电饭煲|闹钟|体温计|温度计|手表|手环"
                          r"|吸奶器|花洒|淋浴|鱼缸|水管|水龙头"
                          r"|电动车|汽车|燃气灶|油烟机")
# Another household's pump, or a hot-water bottle: most likely not the child's, but a parent
# dictating "we're at the pool pump keeps beeping" or writing "天太热泵一直报警" means the child's,
# so a pump or line sign beside one is asked about, never dropped (session 40's review). One list
# for the regexes below and bot/nlu/other_subject.py: the words that make a pump somebody else's.
OTHER_PUMPS_EN = ("heat", "pool", "sump", "fuel", "bike", "bicycle")
OTHER_PUMPS_ZH = ("空气能热", "地源热", "过滤", "燃油", "汽油")
_ANOTHER_PUMP_EN = rf"\b(?:{'|'.join(OTHER_PUMPS_EN)}) pumps?\b|\bhot[ -]water bottles?\b"
_ANOTHER_PUMP_ZH = rf"(?:{'|'.join(OTHER_PUMPS_ZH)})泵|打气筒|热水袋"
ANOTHER_PUMP = re.compile(f"{_ANOTHER_PUMP_EN}|{_ANOTHER_PUMP_ZH}")
# … unless the parent has ruled it out: "it is not the hot water bottle, it keeps leaking", "we do not
# even have a hot water bottle", "不是热水袋 是一直在漏", "热水袋拿开了还在漏" were asked, not paged
# (session 40's second review). Not "not sure it is the hot water bottle" (still a doubt).
RULED_OUT_DEVICE = re.compile(
    rf"\b(?:not|no|never|without)(?: (?!sure\b|certain\b)\w+){{0,3}}? (?:{_ANOTHER_PUMP_EN})"
    rf"|\b(?:took|taken|removed|moved|got rid of) (?:the |his |her |that )?(?:{_ANOTHER_PUMP_EN})"
    rf"|(?:{_ANOTHER_PUMP_EN}) (?:is|was|has been|had been) (?:out|gone|away|removed|taken out)\b"
    rf"|(?:不是|没有?(?:用|放)?)(?:那个|这个)?(?:{_ANOTHER_PUMP_ZH})"
    rf"|(?:{_ANOTHER_PUMP_ZH})(?:早就?|已经|早已)?(?:拿开|拿走|拿出来|撤|移开|扔)"
    rf"|(?:拿开|拿走|撤掉|移开)了?(?:那个|这个)?(?:{_ANOTHER_PUMP_ZH})")
# A screen right before "went blank", as its subject: "the screen went blank", "my laptop has gone
# blank". Not "watching tv then went blank", "on the ipad suddenly went blank": the child's.
_OWNED = r"(?:^\W*|\b(?:the|my|his|her|our|their|your|a|s) )(?:\w+ )?"  # the part opens with it, or "the", "my"…
# A device's own trouble may come between: "the computer suddenly crashed and went blank".
_DEVICE_TROUBLE = r"(?:(?: (?:suddenly|just|keeps|kept))* (?:crashed|crashing|froze|freezing|frozen|died|flickered|flickering|glitched|glitching|lagged|lagging)(?: and| then)?)?"
SCREEN_AS_SUBJECT = re.compile(rf"{_OWNED}(?:(?:screen|display)s?(?: (?:has|had|is|was|just|also|suddenly|completely|totally))*"
                               rf"|(?:tv|telly|television|monitor|phone|tablet|ipad|laptop|computer)s?(?: (?:has|had|is|was))?)"
                               rf"{_DEVICE_TROUBLE} *$")
GOES_BLANK = re.compile(r"\s*(?:went|gone|goes|going|turned|turns|is|was)\s+(?:\w+\s+)?blank\b")
# Words before "pump" or "port" that make it somebody else's, not the child's ("usb port").
OTHER_PUMP_OR_PORT = "".join(f"(?<!{word} )" for word in ("breast", "insulin", *OTHER_PUMPS_EN, "charging", "usb", "hdmi"))
NOT_OUR_PUMP_ZH = "".join(f"(?<!{word})" for word in ("吸奶器", "吸奶器的", *OTHER_PUMPS_ZH))
OWN_EQUIPMENT = re.compile(rf"\b{OTHER_PUMP_OR_PORT}(?:pump|line|picc|port|tube|tubing|bag|dressing|catheter|hickman|cannula|drip|box"
                           r"|backpack|rucksack|connector|medicine)s?\b"
                           rf"|(?<!washing )(?<!sewing )(?<!coffee )\bmachine\b|{NOT_OUR_PUMP_ZH}泵|(?<![水气油])管|药袋|药盒|盒子|机器|贴膜|敷贴|输液|背包|接头|药")
# "Gone" as "become" after the sign: "nosebleed 40 mins now, soaked 2 towels, she's gone white"
# says nothing is gone.
BECOME = re.compile(r"(?<= )(?:he|she) (?:is|has) gone(?= )")
# What a sign is compared with, to the end of the part in English ("blue like last week"); in
# Chinese the span from 跟/和/像/比 to 一样/那样/似的 ("跟上次一样"), or 比 and a past time ("比上次高").
COMPARED_EN = Guarded(r"\b(?:like|than|same as|just as)\b.*",
                      needles=('like', 'than', 'same as', 'just as'))
COMPARED_ZH = Guarded(r"(?:跟|和|同|像)[^，。,！？!?\s]{0,8}?(?:一样|那样|似的|差不多)"
                      r"|比(?:上次|上周|上个月|上一次|去年|以前|之前|那次|上一轮|第一轮|上一?个疗程|第一个?疗程|头一个疗程)",
                      needles=('跟', '和', '同', '像', '比'))
# "Ago" tells of now ("10 mins ago"), but not weeks ago right after the sign: "he wet the bed
# once a few weeks ago", "the seizure was years ago" (unlike "he started blina 2 weeks ago and
# has a fever of 39", or "throwing up same as a couple of weeks ago").
_AGO = (r"(?:(?:was|were|happened)\s+)?(?:(?:once|twice|\w+ times)\s+)?(?:(?:over|about|almost|nearly|more than|around) )?"
        r"(?:(?:a few|a couple of|several|some|few|two|three|four|five|six|seven|eight|nine|ten|\d+) )?"
        r"(?:weeks|months|years) ago\b|(?:(?:once|twice|\w+ times)\s+)?a (?:week|month|year) ago\b")
LONG_AGO = re.compile(rf"^\W*(?:{_AGO})")
# … or with where it happened in between: "she fainted at school two weeks ago", "a nosebleed on
# the bus about 3 weeks ago" (not "since her bag change 2 weeks ago": that is going on).
LONG_AGO_AFTER = re.compile(rf"^\W*(?:(?:in|at|on|during|outside|inside|near) (?:(?:the|a|an|his|her|our|my|their) )?\w+ )?(?:{_AGO})")
# Years ago, however far after a sign told as past: "she had a seizure when she was first diagnosed
# two years ago" (its "ago" was read as in "10 mins ago").
YEARS_AGO = re.compile(r"\b(?:(?:(?:over|about|almost|nearly|more than|around) )?(?:a few|a couple of|several|some|many|two|three|four|five|six|seven|eight|nine|ten|\d+) years|(?:over )?a year) ago\b")
# A part that is only a date ("2019年11月初", "在今年4月15日", "In 2019") opening a sentence tells a
# story: parents telling of now say today or just now. The sign is asked about, never dropped;
# not after today's date. Not an age ("8月大"), nor a date with more in its part ("9月份开始用药").
DATE_ONLY = re.compile(r"\s*(?:在|于)?\s*(?:今年|去年|前年)?\s*(?:(?P<year>(?:19|20)\d\d)\s*年)?\s*"
                       r"(?:(?P<month>1[0-2]|0?[1-9])\s*月\s*(?:(?P<day>[1-3]?\d)\s*[日号])?)?"
                       r"\s*(?:初|底|末|中旬|上旬|下旬|左右|的时候|时)?\s*"
                       r"|\s*in (?P<en_year>(?:19|20)\d\d)\s*", re.IGNORECASE)
DIGITS = re.compile(r"\d")
CONDITIONAL_AFTER_ZH = re.compile(r"的话")
# A condition said the formal way round, opening the part: "should his lips ever look bluish, is
# that straight to 999" paged the team as an emergency. Not when the part points at now: "should
# she ever breathe this fast", "should her temperature ever be 39.8 like now" (session 41's review).
SHOULD_EVER = re.compile(r"^ should (?:\w+ ){1,3}?ever (?!(?:\w+ )*(?:this|that|so|now|these|those) )")
# Words that make what follows a question or a possibility, not a statement of what is happening.
QUESTION_OPENING = (r"^ (?:could|can|would|will|should|does|do|did|is|are|am|was|were|has|have|how|what|when|why"
                    r"|where|who|which|may|might|shall)\b")
ASKED_OR_MAYBE = re.compile(QUESTION_OPENING + r"|\b(?:would|could|might|may|will|should|can|cannot)\b")
JUST_HAPPENED_EN = re.compile(r"\bjust (?:had|been|started|threw|thrown|vomited|fitted|fainted|collapsed|stopped|now)\b"
                              r"|\b(?:has|have) (?:just )?(?:had|been|started)\b")
THEN_WHAT_ZH = re.compile(r"^\s*(?:那么?|那要是)|[了过](?:该)?(?:怎么办|咋办|呢|算吗|算不算)")
_NOW_EN, _NOW_ZH = "now|right now|at the moment|currently", "现在|正在|还在"
STRONG_NOW = re.compile(rf"\b(?:{_NOW_EN})\b")
STRONG_NOW_ZH = re.compile(_NOW_ZH)
TODAY = re.compile(r"\b(?:today|tonight|this morning|this afternoon|this evening|just now|earlier|an hour ago|minutes ago|"
                   r"after (?:his|her) nap|when (?:he|she) woke)\b|今天|今晚|今早|刚才|刚刚|上午|下午|早上|中午|晚上|小时前|分钟前|睡醒")
NOW_SAID = re.compile(rf"\b(?:{_NOW_EN}|today|tonight|this morning|just)\b|{_NOW_ZH}|今天|今晚|刚才|刚刚")
# Where a new sentence's subject begins, in a part with no stops ("… with a fever she is fitting").
SUBORDINATE = re.compile(r"(?:\b(?:if|when|whenever|that|because|until|unless|whether) |如果|要是|万一|假如)$")
SUBJECT_EN = Guarded(r"\bthere(?: is| are|'s|s)\b|\b(?:he|she|they|there|we|i) (?:is|are|am|was|were|has|had|have|can|cannot|will|keeps|kept|just|looks"
                     r"|seems|feels|got|went|started)\b|\b(?:my|our|his|her) (?:\w+ ){0,2}?(?:is|are|was|were|has|had|have"
                     r"|keeps|kept|looks|feels|seems|got|went|cannot|will)\b",
                     needles=("he ", "she ", "they ", "there", "we ", "i ", "my ", "our ", "his ", "her "))
PRESENT_STATE_EN = re.compile(r"\s*there(?:'s|s)\b|\s*(?:(?:he|she|they|there) |(?:my|our|his|her) (?:\w+ ){0,2}?)(?:is|are|keeps|cannot|will not|looks"
                              r"|seems|feels|has(?! had\b))\b")
# The child and the equipment as subjects in Chinese: where a new sentence begins, and where a
# negation's reach ends (bot/redflags/detector.py).
CHILD_ZH = "孩子|宝宝|儿子|女儿|小孩|闺女|宝贝|娃|佢|(?<!其)[他她](?!们)"
SUBJECTS_ZH = CHILD_ZH + "|管子|导管|泵|敷料|敷贴|贴膜|夹子"
SUBJECT_ZH = re.compile(rf"(?:{SUBJECTS_ZH}|我老公|老公|老婆|我妈|奶奶|爷爷|姥姥|外婆|邻居|同学|哥哥|姐姐|弟弟|妹妹)")
PERFECTIVE = re.compile(r"[了过]")   # "发烧了", "抽过": the sign has happened
GOING_ON_ZH = re.compile(r"\S{1,3}?(?:正在|一直|还在|现在|在(?!医院|家|病房|外面|学校|icu|ICU))")
# A story's time opener before the new subject: "去年娃住院的时候她发烧39度" is still that time.
STORY_TIME_ZH = re.compile(r"的时候|那时|当时|那次|那会")
CJK = re.compile(r"[\u3400-\u9fff]")
# What says a condition's consequence ("if it gets worse we will go in", "如果严重了就去医院").
CONSEQUENCE_EN = re.compile(r"\b(?:then|we will|we ll|i will|i ll|we would|we d|we should|i should|should we|should i|do we"
                            r"|do i|can we|can i|we can|we have to|we need to|who do|what do)\b|\?")
CONSEQUENCE_ZH = re.compile(r"(?<=[我你们])就|就(?=去|打|送|带|联系|给|叫|来|回|找)|那就|那么|怎么办|咋办|怎么弄|吗|[？?]")
BOUND_BEFORE_EN = re.compile(r"\b(?:at|above|over|or|be)\s*$")  # "do we ring at 38 or at 38.5", not "is 39.4 too high"
QUESTION_OPENS = re.compile(QUESTION_OPENING)  # "do we ring at 38 or at 38.5?": a part that opens as a question
QUESTION_EN = re.compile(QUESTION_OPENING + r"|\?|\bcounts?\b|\b(?:right|yeah) ?$")  # a tag, not "right arm"
QUESTION_ZH = re.compile(r"[吗么嘛？?]|算不算|要不要|算发烧|对吧|是吧|对不对|是不是|怎么办|咋办")
# What the family was told to do if something happens: "we were told to call if anything changed",
# "you said to let you know if", "医生交代如果发烧就打电话", "护士叫我们要是管子漏了就联系".
INSTRUCTED_EN = Guarded(r"\b(?:told|tell|tells|said|says|asked|advised|instructed|supposed|meant)\b(?: \w+){0,4}? (?:to )?"
                        r"(?:call|ring|phone|message|text|contact|page|let \w+ know|get in touch|come in|come back|bring \w+ in)"
                        r"\b(?: \w+){0,3}? (?:if|when|whenever)\b",
                        needles=("told", "tell", "said", "says", "asked", "advised", "instructed", "supposed", "meant"))
INSTRUCTED_ZH = Guarded(r"(?:(?:医生|护士|大夫|你们|你|您|医院|出院时|出院的时候|病房|门诊|主任|主治|之前|上次|单子|说明书|网上|书上|一个)[^，。,\s]{0,4}说|交代|嘱咐|叮嘱|告诉|让我们|叫我们|提醒)过?[^，。,]{0,6}(?:(?:如果|要是|万一|一旦|有)[^，。,]{0,12}?"
                        r"|(?:超过)?[\d三四][\d.点十一二三四五六七八九]*\s*度(?:以上)?)"
                        r"(?:就|要|得|马上|立即|立刻)?(?:打电话|联系|来医院|去医院|回医院|去急诊|找)",
                        needles=("说", "交代", "嘱咐", "叮嘱", "告诉", "让我们", "叫我们", "提醒"))
# What comes before a present verb in a question, not a statement: nothing, or a question word.
ASKED_OR_OPENS = re.compile(r"^\s*$|" + QUESTION_OPENING)
# A verb in the present says now, whatever past time the part also names: "she is fitting on
# monday night", "he has a fever of 38.6 in january" (a past cue alone made these silent).
PRESENT_EN = Guarded(r"\b(?:is|are|am) (?:\w+ )?(?!(?:going|something|nothing|anything|everything|morning|evening|during)\b)"
                     r"\w{2,}ing\b|\b(?:he|she|they) (?:has|have) (?:a|an|got)\b", needles=("is ", "are ", "am ", " has ", " have "))
# After the sign, in its part or the next, it is said not to have stopped: "his nose started
# bleeding last week and it hasn't stopped", "上周就开始发烧，一直没退" — since then, still now.
_CANNOT_STOP = r"(?:(?:will|can) not|cannot) stop\b"  # "won't stop", "can't stop" after normalising
STILL_GOING = Guarded(
    r"\b(?:has|have|had|did|does|do|is|was) not (?:stopped|gone|go|gone away|go away|cleared|clear|cleared up"
    r"|settled|eased|come down|gone down|got better|improved|healed)\b|\bnever (?:went|gone|goes|go) away\b"
    r"|\bnot (?:gone|stopped|better|healed) yet\b|\bstill (?:going|there|happening|not)\b|\b(?:will|can) not (?:go away|settle)\b"
    r"|\b" + _CANNOT_STOP +
    r"|(?:一直|还|仍然?|到现在|至今)(?:都|也)?(?:没|未|不)(?:有)?(?:退|好|停|消|止住)|(?:没有|没|未|不见)消退",
    needles=('not ', 'never ', 'still ', '没', '未', '不'))
# A sign that goes on after what was tried against it: "still beeping after I changed the
# batteries" (its "changed the" is no sign that it is over), "换了电池也没用". Not a time ("kept
# vomiting after we got home"), nor "stopped even though…".
_TRIED = r"(?:changed|changing|swapped|swapping|replaced|replacing|checked|checking|put in|putting in|pressed|restarted|straightened|opened|silenced|cleared)"
PERSISTS_DESPITE = re.compile(rf"\b(?:still|keeps|kept)\b(?: \w+){{0,3}} (?:even )?(?:after|though|although|despite) (?:(?:i|we) (?:\w+ )?)?{_TRIED}\b"
                              r"|(?:换了|试了|关了|重启了|检查了|按了|弄了)[^，。,！？!?]{0,8}(?:也|还是|都|仍然?)(?:没用|不行|响|在响|报警|一直)")
WILL_NOT_STOP = re.compile(r"\b" + _CANNOT_STOP + r"|(?:还|仍然?|一直|还是)(?:没(?:有)?止住|止不住|停不下来)")
IT_WILL_NOT_STOP = re.compile(r"\W*(?:(?:and|but) )?(?:it )?(?:still )?" + _CANNOT_STOP)  # "…, but it cannot stop"
# A negation of stopping right before the sign says it goes on, not that the sign is negated or
# over: "he has not stopped vomiting", "she didn't stop fitting for 5 minutes" (both were silent).
NOT_STOPPING = re.compile(r"\b(?:not|never|no one|nobody)(?: \w+)? (?:stop|stops|stopped|stopping|quit|quits)(?: being)? *$")
# The sign is said to have started ("he started having diarrhoea last week", "上周五开始发烧",
# "the rash began on monday"): a past time then says when it began, not that it is over.
STARTED_LEAD = Guarded(r"\b(?:started|starting|start|began|begun|begin)(?: (?:to|with|having|getting|being|off|up|a|an|some|really|bad|this|these))* $"
                       r"|开始(?:有点|有些|有|出现|老是|总是|一直|不停地?|就)?$|开始[她他佢][\u4e00-\u9fff]{0,4}$",
                       needles=('start', 'began', 'begun', 'begin', '开始'))
STARTED_TRAIL = re.compile(r"^\W*(?:(?:has|have|had|only|just|first|all|it|that|this|which) )*(?:started|began|kicked off|came on)\b"
                           r"|^[^，。,！？!?]{0,8}?(?:开始的|开始了|起的)")
# A sign said, right after it, never to have come back is over ("the confusion he had in the first
# cycle never came back"), and that "came back" is no recurrence. Not "never came back down", nor
# somebody else who never came back ("the dressing is soaked and the nurse did not come back").
NEVER_BACK = re.compile(r"\b(?:never|did not|has not|have not) (?:came|come|been) back\b(?! (?:down|up|to normal))")
# Fine for days after the sign: over, and longer ago than the day in which a fever that came down
# still needs the call ("38.3 on day 3, normal all week since", "之后这一周都正常"). Only when the
# message orders the two (since, 之后, 后来; or the sign told as past: "he had 38.3", 烧过): "Temp
# 38.9, he's been fine all week" and "孩子发烧39.2，前几天都很正常" tell of the days before tonight.
FINE_FOR_DAYS_EN = re.compile(r"(?<! had been)(?<! d been) (?:fine|normal|well|good|ok|okay|great|grand|perfect|settled|himself|herself|no fever|no temp\w*)"
                              r"(?: \w+){0,2}? (?:all week|for days|(?:for|in) (?:the )?(?:a|one|two|three|four|five|six|seven|several|a few|a couple of|\d+|past|last)"
                              r" (?:\w+ )?(?:days|weeks|week))\b(?! (?:before|until|til|till|up to))(?P<since> since| ever since| now)?"
                              # …or the days first: "every check for the last nine days has been 36 point something"
                              r"| (?:every|each|all) (?:check|reading|temp\w*)s? (?:for|in|over) (?:the )?(?:past|last) (?:\w+ )?(?:days|weeks)"
                              r"(?: \w+){0,2}? (?:has|have) been (?:fine|normal|ok|okay|good|under|below)\b")
FINE_FOR_DAYS_ZH = re.compile(r"(?:好几|一|两|三|四|五|六|七|几|\d+)整?(?:天|周|个星期|个礼拜|星期|礼拜)了?(?:都|一直|来)?(?:很|挺|也)?"
                              r"(?:正常|好好的|没事|挺好|很好|没烧|不烧|没再烧|没发烧)")
THEN_ZH = re.compile(r"之后|后来|此后|以后")
SINCE_THEN_EN = re.compile(r"\b(?:since then|ever since|since that)\b")
# A sign told as past in its own words: "he had 38.3", "she was 38.1", "烧过一次".
TOLD_AS_PAST_EN = re.compile(r"\b(?:had|was|were|got|spiked|hit)\b")
# "It has not happened again" says the sign is over, and its "again" is no recurrence; nor is the
# "again" of a child doing well again ("back to her chatty self", "he's eating again").
NOT_AGAIN = re.compile(r"\b(?:never|did not|has not|have not|had not) happened again\b"
                       r"|\bis back to (?:his|her|their|my|our) (?:\w+ )?(?:self|normal|best)\b"
                       r"|\b(?:is|are|been|started) (?:eating|drinking|playing|smiling|laughing|chatting|walking|running around|feeding)"
                       r"(?: (?:well|properly|normally|loads|fine|happily))? again\b")  # not "he has stopped eating again"
IT_IS_BACK = re.compile(r"^ (?:and |but )?(?:now |today |tonight )?(?:(?:it|they|this|that)(?: is| are| has| have| s)?"
                        r"(?: (?:just|now|all))? (?:back|happening again|started again|starting again|come back|coming back"
                        r"|came back|returned|happened again|doing it again)\b"
                        r"|(?:he|she)(?: is| has| had| just| having| got)+ (?:another (?:one|fit|seizure|bleed|nosebleed|episode)\b|another(?! \w)|(?:them|it|one|those|these) again\b))")  # "…, he had another one tonight"
IT_IS_BACK_ZH = re.compile(r"^\s*(?:现在|今天|今晚|刚才|结果)?(?:又来了|又开始了|又犯了|又出现了|又发作了|又抽了|又烧了)")
# (…or after the cycle it was in: "the wobbly legs from cycle 1 never came back".)
NEVER_BACK_TRAIL = re.compile(r"^\W*(?:(?:he|she|they) (?:had|got)(?: \w+){0,5} |(?:from|in|during) (?:the )?(?:cycle|round|block|induction)(?: \w+)? )?"
                              + NEVER_BACK.pattern)
# A sign said as "…的时候" / "…时" in a question asks what to do when it happens ("流鼻血的时候
# 可以躺下吗"); not 时不时, 时常, 时高时低, 时有发生, nor a clause that tells what happened.
WHEN_ZH = re.compile(r"^\s*(?:的时候|时候|时(?=[，, ]|我|你|要|该|能|可以|怎|应|需|为什么|家长|孩子|会|吃|喝|用))")
ASKS_NORMAL_ZH = re.compile(r"正常吗|正常不|正不正常|是正常的吗|是不是正常")  # not 要不要紧 of a sign seen
TELLS_ON = re.compile(r"[\w\u4e00-\u9fff]{2}")  # anything but punctuation or a particle after the question
ASKS_ZH = re.compile(r"[?？吗]|怎么|怎样|如何|要不要|能不能|可不可以|该不该|可以|应该|需要|为什么|有用")
# ... unless the sign starts with how the writer found it: "我摸着很烫" is the child's.
PERCEIVED_ZH = ("摸", "看", "量", "测", "听", "感觉", "觉得", "发现")
# A writer who says who they are. A brother or sister ("hi it's Jake, Ellie's brother", "我是患儿
#的哥哥"): their "I" may be their own, and their "my sister"/"妹妹" is the child. A carer ("I'm
# her mum", "grandma here", "我是孩子奶奶"): not somebody else whose "she" the sign could be.
# (On the cleaned text: lower case, contractions expanded.)
_WHOSE = r"(?:\w+'?s |her |his |the )?(?:big |little |older |younger )?"
_WRITER_IS = r"\b(?:i am|im|this is|it is|its) " + _WHOSE
# ("it is her sister who brought the bug home" is not the writer; "im her brother who is 16" is.)
SIBLING_WRITER = Guarded(r"\b(?:i am|im|this is) " + _WHOSE + r"(?:brother|sister|sibling)\b"
                         r"|\b(?:it is|its) " + _WHOSE + r"(?:brother|sister|sibling)\b(?! who| that| brought| has| had| is| was)"
                         r"|\b\w+'?s (?:big |little |older |younger )?(?:brother|sister),? (?:i am|im)\b|我是(?:患儿|患者|病人|他|她|孩子|宝宝|娃)?的?(?:哥哥|姐姐|弟弟|妹妹)",
                         needles=('brother', 'sister', 'sibling', '我是'))
SIBLING_WORDS = {"sister": "son   ", "brother": "son    ", "sis": "son", "bro": "son",
                 "哥哥": "孩子", "姐姐": "孩子", "弟弟": "孩子", "妹妹": "孩子"}
SIBLING_WORD = re.compile("|".join(rf"\b{word}\b" if word.isascii() else word for word in SIBLING_WORDS))
# A message that says which of several children is on treatment ("二宝在用贝林妥欧单抗", "弟弟在用
# 双抗"): that one is the child, and the other children it names are somebody else.
CHILDREN_ZH = ("大儿子", "小儿子", "大女儿", "小女儿", "大宝", "二宝", "三宝", "小宝", "老大", "老二",
               "哥哥", "姐姐", "弟弟", "妹妹")
_TREATED_WITH_ZH = "(?:用|打|输|带|背)着?(?:双抗|贝林妥欧单抗|倍利妥|blina|药|泵|pump)"
ON_TREATMENT_ZH = Guarded("(" + "|".join(CHILDREN_ZH) + ")(?:现在|正在|在家|在|一直)?" + _TREATED_WITH_ZH
                          + "|" + _TREATED_WITH_ZH + "的(" + "|".join(CHILDREN_ZH) + ")",
                          needles=('用', '打', '输', '带', '背'))
CHILD_NOUN_ZH = re.compile("|".join(CHILDREN_ZH))
DISCLAIMED_ZH = Guarded("(?:" + "|".join(sorted((*CHILDREN_ZH, "老三"), key=len, reverse=True)) + ")"
                        r"(?=[（(，, ]*不是(?:在)?(?:用药|打药|打针|带泵|用泵|生病|治疗|住院)的?那)",
                        needles=('不是',))
_CARERS = r"(?:mum|mom|mummy|mommy|mother|dad|daddy|father|grandma|granny|gran|nan|nana|nanna|grandad|granddad|grandpa|auntie|aunt|uncle)"
CARER_INTRO = Guarded(_WRITER_IS + _CARERS + r"\b|^\W*" + _CARERS + r" (?:here|speaking)\b"
                      r"|我是(?:孩子|他|她|宝宝|娃|患儿|患者|病人)?的?(?:妈妈|爸爸|奶奶|爷爷|外婆|外公|姥姥|姥爷)",
                      needles=('mum', 'mom', 'mother', 'dad', 'father', 'gran', 'nan', 'aunt', 'uncle', '我是'))
# "累得我都快晕倒了", "冻得我嘴唇发紫", "我在外头排队冻得直哆嗦": a sign after "…得我" (and the
# writer's own body part), or after "我 … 冻得/累得" with nobody else named, is how tired, busy or
# cold the writer is (not 热得: "我抱着热得发烫" is the child in the writer's arms).
SPEAKERS_OWN = Guarded(r"(?<![不觉记懂晓值使显获])得我[都也]?(?:快要|快|要)?(?:嘴唇|脸|手脚|手|脚|浑身|全身|头|心口|胸口)?$"
                       r"|^\s*我(?![家们儿女])[^他她孩宝娃儿女子]{0,12}[冻冷累困饿]得[直都快要]?$",
                       needles=('我',))
# The other person's sex, against a he/she that follows: "my husband is holding her and she is
# fitting" — "she" is the child.
MALE_EN = frozenset("husband hubby dad daddy father grandad granddad grandpa brother son uncle boyfriend".split())
FEMALE_EN = frozenset("wife mum mom mummy mommy mother grandma granny nan nana sister daughter aunt auntie girlfriend".split())
MALE_PRONOUNS, FEMALE_PRONOUNS = frozenset({"he", "him", "his"}), frozenset({"she", "her"})

OTHER_EN = r"(?:\b(?:his|her|my|our|their|the|a)\s+)?(?:\b(?:big|little|older|younger|baby)\s+)?\b"
OTHER_ZH = r"(?:他的|她的|佢的|佢嘅|我的|我们的|他|她|佢|我|孩子的|孩子|娃的|娃)?"  # whose: "娃他弟" is the child's brother
OTHER_ZH_AFTER = "(?:家的孩子|家孩子|的孩子|家的小孩|家小孩|家)?"


# A teenager on treatment who says so ("ok so I'm the patient", "我是患者本人"): their "I" is the child.
PATIENT_WRITER = Guarded(r"\b(?:i am|im) (?:the patient|(?:the one )?on (?:the |my )?(?:blina|blinatumomab|pump|treatment))\b"
                         r"|\bwith my (?:blina|blinatumomab|pump|infusion)\b|\bmy (?:blina|blinatumomab) (?:pump|bag|infusion)\b"
                         r"|我(?:就)?是(?:患者|病人|患儿)(?:本人|自己)?(?![的家])|我(?:还|正)?(?:在用|在打|背着|挂着)(?:贝林|双抗|博纳吐|泵)(?![的包])"
                         r"|(?:泵还背着|还背着泵|挂着泵呢)|\b(?:i|my)\b[^.?!]*, on the pump\W*$",
                         needles=('patient', 'the one on', 'im on', 'i am on', 'with my', 'my b', 'on the pump', '我', '泵'))


@dataclass(frozen=True)
class Writer:
    """What the message says of who writes it and which child is on treatment: read once per
    message (on the cleaned text), whichever sign it is about."""

    sibling: bool = False         # "hi it's Jake, Ellie's brother": "my sister" is the child
    about_self: bool = False      # "not about him this time, about me", "说说我自己"
    patient_zh: Optional[str] = None  # "弟弟在用双抗": the one of several children on treatment
    patient: bool = False         # "I'm the patient", "我是患者本人": the writer's "I" is the child

    @classmethod
    def of(cls, text: str) -> "Writer":
        patient = ON_TREATMENT_ZH.search(text)
        return cls(bool(SIBLING_WRITER.search(text)), bool(WRITER_TOPIC.search(text)),
                   (patient.group(1) or patient.group(2)) if patient else None, bool(PATIENT_WRITER.search(text)))


FIRST_PERSON_WORD = re.compile(r"\b(?:i|im)\b")
MY = re.compile(r"\bmy\b")


def as_the_patient(clause: "Clause") -> "Clause":
    """The clause with the patient writer's "I"/我 told as "he"/他: "I've had the runs" and "my throat
    feels tight" are no other person's."""
    return Clause(FIRST_PERSON_WORD.sub("he", MY.sub("his", clause.words)), clause.chinese.replace("我", "他"))


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


def without_anyone_else(clause: "Clause", cues: CueSet) -> "Clause":
    """The clause without other people and other families' children ("病友家孩子"): what is left
    says whether this child is named."""
    return without_others(clause.without(cues, "other_child"), cues)


@dataclass(frozen=True)
class Clues:
    """What the detector knows of a sign besides where it is named.

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
    `comes_and_goes`: a red neurological sign, which comes and goes on this drug: over, but told
    of today ("今晚有几分钟她说不出话来…现在好了"), it is still a report.
    `equipment`: the sign is the pump's or the line's (see `over_of_the_same`).
    `other_device`: the sentence names another device and not the pump or the line, so that a
    screen, an error or a battery in it is that device's: how sure that makes it not the child's
    (`another_device`).
    `choice`: the reading is one of two offered ("38还是38.5？"): the parent is asking which counts.
    `threshold`: the reading is a bound ("超过38度", "above 38.5"): in a question of nobody named,
    and not now, a rule asked about ("发烧超过38度要打电话吗" paged the team); so is any reading in a
    part that opens as a question about it as a bound ("do we ring at 38 or at 38.5?"), or about a
    round value, as bounds are ("is 38 a fever?"; not "is 39.4 too high?").
    `round_value`: the reading is written as a whole or a half degree (38, 38.0, 38.5, 101).
    `keep_apart`: the message asks whether somebody should be kept apart from the child.
    `writer`: what the message says of who writes it (a sibling, a message about the writer, which
    child is on treatment).
    """

    writer: Writer = Writer()
    perfective: bool = False
    measured: bool = False
    child_in_message: bool = False
    exposure: bool = False
    red: bool = True
    lasting: bool = True
    comes_and_goes: bool = False
    equipment: bool = False
    other_device: Optional[Context] = None
    choice: bool = False
    threshold: bool = False
    round_value: bool = False
    keep_apart: bool = False


def classify(where: Mention, cues: CueSet, clues: Clues = Clues()) -> Context:
    """The context of a sign named at `where`: asked in turn whether it is hypothetical, whether
    it is over or past, whose it is, and how it is said; the first answer decides."""
    where = as_the_writer_means(where, clues.writer)
    for question in (hypothetical, another_devices, over_or_past, somebody_elses):
        context = question(where, cues, clues)
        if context is not None:
            return context
    context = how_it_is_said(where, cues, clues)
    return Context.UNSURE if context is Context.REPORT and may_be_somebody_elses(where, cues, clues) else context


def may_be_somebody_elses(where: Mention, cues: CueSet, clues: Clues) -> bool:
    """A report that may be somebody else's after all, so the parent is asked: a sign with nobody
    named in its part, in a message asking whether somebody should be kept apart from the child
    ("I'm the one with the temperature, 38.3, should I keep away from my son?", "老二发烧38度5 老大在
    打贝林 俩孩子要不要分开睡"); or a body sign next to the writer saying they are the one who is ill
    ("I've come down with flu, 38.7 and aching", "是我发烧不是孩子，38度3")."""
    clause = Clause.of(where.part)
    if clues.keep_apart and not (clause.has(cues, "child") or clause.has(cues, "now") or ON_TREATMENT.search(where.lead)) \
            and somebody_else_named_first(where, cues):
        return True
    return not (clues.equipment or OWN_EQUIPMENT.search(where.lead)) and writer_ill_next_to_the_sign(where, cues)


def somebody_else_named_first(where: Mention, cues: CueSet) -> bool:
    """Somebody other than the child is named before the sign ("老二发烧38度5", "Papa ko 38.6",
    "大宝今天…一量38度5"): the sign may be theirs. Not "发烧38度7 寒战 要不要跟哥哥分开睡", where the
    brother is named only after it."""
    told = Clause.of(f"{where.earlier} {where.before} {where.lead}")
    return told.has(cues, "other_person") or told.has(cues, "other_child") \
        or bool(SOMEBODY_AT_HOME.search(told.words) or SOMEBODY_AT_HOME.search(told.chinese))


def hypothetical(where: Mention, cues: CueSet, clues: Clues) -> Optional[Context]:
    """A conditional, play ("dressed as a zombie"), "what to do when it happens", or something
    that only looks like a sign."""
    clause = Clause.of(where.part)
    if pretend_governs(where, clause, cues) or conditional_governs(where, clause, cues):
        # A conditional reaches over commas ("如果孩子出冷汗、手脚冰凉"). When the part also says
        # the child has it now ("如果38度1也算发烧的话 那我家娃现在就是在发烧"), the parent is asked.
        return Context.UNSURE if asked_though_conditional(where, clause, cues) else Context.QUESTION
    if inside_the_rule(where) and not (clause.has(cues, "child") or says_now(told_up_to_the_sign(where), clause, cues)):
        return Context.QUESTION  # a bound in the rule the family was given: "医生交代过38度就打电话"
    if WHEN_ZH.match(where.trail) and ASKS_ZH.search(where.part + where.after) \
            and not (clues.perfective or clause.has(cues, "now") or clause.has(cues, "report")):
        # "流鼻血的时候可以躺下吗": what to do when it happens; asked, if it is life-threatening or a fever.
        return Context.UNSURE if clues.lasting else Context.QUESTION
    if SHOULD_IT_HAPPEN.search(where.lead):
        return Context.QUESTION  # "Should he get dizzy in the night, do I ring 999?": "if he gets"
    if EXAMPLE_LEAD.search(where.lead) and asks_in_general(sentence_of(where), cues):
        return Context.QUESTION  # "Would it be sudden, like a seizure, or more gradual?": an example
    if sentence_of(where).has(cues, "look_alike"):
        return Context.UNSURE  # blue lips after a blue slushie, 38.5 "degrees" of a cup of tea
    return None


# "Should he get …" right before the sign is "if he gets …" (not "should she get a flannel, temp is 38.7").
SHOULD_IT_HAPPEN = re.compile(r"^\W*should (?:he|she|they|it) (?:get|become|start|have|feel)(?: (?:a|an|any|very|really))?\s*$")
# A sign given as an example, at the start of its part: "…, like a seizure, or …?", "比如抽搐" (only
# in a question in general, see asks_in_general: "Breathing weird, like gasping, is that normal??"
# describes the child's sign).
EXAMPLE_LEAD = re.compile(r"^\W*(?:like|such as|e\.?g\.?|for example|for instance)(?: (?:a|an|the|being|having|getting|going))?\s*$"
                          r"|^\W*(?:比如|例如|比方说)\s*$")
# A condition that points at what the parent sees: "should she ever breathe this fast", "should he
# ever be blue like this" ask about now (session 41's review; one was dropped).
POINTS_AT_NOW = re.compile(r" (?:this|that) (?:\w+ )?(?:fast|much|pale|blue|grey|gray|red|swollen|floppy|sleepy|drowsy|high"
                           r"|hot|often|long|quick|slow|yellow|white|purple) | like (?:this|that|now) | right now ")
# The next sentence takes the question back: "If his wee goes dark should I worry? Actually it's
# been really dark all day".
ACTUALLY = re.compile(r"\W*(?:actually|in fact|well actually|其实|实际上|说实话)")
# The condition is the moment the parent writes in: "what do I do if the line is leaking now?",
# "如果现在体温38.7要打电话吗" — in the condition's own words (not "now that she is home", "从现在开始",
# nor 现在 before the 如果).
NOW_IN_CONDITION = re.compile(r"\bif\b(?:[^,;?!.]|\.(?=\d)){0,60}?\b(?:now(?! that| and| on)|at the moment)\b"
                              r"|(?:如果|要是|假如|万一)(?:[^，,。？?从]){0,12}?(?:现在|此刻|这会儿)(?!开始|起)")
# The child on treatment named as such: "Ella (on the pump)", "the one on blina", "在打双抗的弟弟".
ON_TREATMENT = re.compile(r"\b(?:on (?:the )?(?:pump|blina\w*|treatment|infusion)|the one on)\b|" + _TREATED_WITH_ZH)
# Somebody else at home, named as family members name each other (which may also name the child on
# treatment or tell of the child, so only where the message asks about keeping them apart): "老二",
# "大宝", "爸爸", "my older boy", "papa".
SOMEBODY_AT_HOME = re.compile("|".join((*CHILDREN_ZH, "老三", "爸爸", "妈妈", "老公", "老婆"))
                              + r"|\b(?:older|oldest|eldest|youngest|other|big|little) (?:boy|girl|son|daughter|one|brother|sister|bro|sis)\b"
                              r"|\b(?:papa|husband|wife|partner)\b")
# Another family's parent telling of their own child: "another dad on the ward said his daughter",
# "病友群里一个妈妈说她家娃" (not "another mum said he's been fitting", a relay of this child's sign,
# nor "跟病友说话的时候").
ANOTHER_FAMILY_TELLS = re.compile(
    r"(?:\b(?:another|other|a|one) (?:mum|mom|mother|dad|father|parent|family)s? (?:\w+ ){0,4}?(?:said|says|posted|wrote|told|shared)"
    r"|\b(?:someone|somebody|people) (?:in|on) (?:the|our|my|a) (?:\w+ )?(?:group|forum|chat|page)s? (?:said|says|posted|wrote))"
    r"(?: me)?(?: that)? (?:her|his|their) (?:own )?(?:little )?(?:son|daughter|child|kid|boy|girl|baby|one)\b"
    r"|(?<![跟和与])(?:群里|病友群|群友|病友|家长群|隔壁床|邻床|同病房)[^，。！？!?]{0,8}?(?<!说话)(?:说|讲|发帖说|分享)"
    r"(?:她家|他家|她儿子|她女儿|他儿子|他女儿|她孩子|他孩子|她的孩子|他的孩子|她闺女|自己家|自家)")
# This family's child, named after it: "…, and now my son is shaking".
OUR_CHILD = re.compile(r"\b(?:my|our) (?:son|daughter|child|kid|boy|girl|baby|little one)\b|\bours\b|我家|我们家|我儿子|我女儿|我闺女|我孩子")
# A sentence, with its question mark (not ended by the point of "38.5").
ASKED_SENTENCE = re.compile(r"(?:[^.!。！\n?？]|\.(?=\d))+[?？]?")


def near_the_sign(where: Mention, before: int = 80, after: int = 40) -> str:
    """The sign's part from `before` characters ahead of the sign to `after` past it: a condition
    is said next to its sign (and a long part costs no more than a short one)."""
    end = len(where.part) - len(where.trail)
    return where.part[max(0, len(where.lead) - before):end + after]


def asks_to_keep_apart(whole: str, cues: CueSet) -> bool:
    """A sentence of the message asks whether somebody should be kept apart from the child ("should
    he keep away from his sister?", "要不要分开睡"); not "we have kept them apart all week"."""
    return Clause.of(whole).has(cues, "keep_apart") and any(
        asks(said) and said.has(cues, "keep_apart") for said in map(Clause.of, ASKED_SENTENCE.findall(whole)))


def asked_though_conditional(where: Mention, clause: Clause, cues: CueSet) -> bool:
    """A sign under a conditional that may still be happening: the parent is asked, not answered.
    The part also says the child has it now ("如果38度1也算发烧的话 那我家娃现在就是在发烧"); it follows
    the rule the family was given, or a finished condition, and names the child or gives a reading;
    it is in the rule and of the child or now ("the nurse told us to message if my son is fitting");
    the condition is now ("如果现在体温38.7要打电话吗"); or it is told in the present after an earlier
    part's "if" ("if anything happens, she is fitting")."""
    told, before = told_up_to_the_sign(where), Clause.of(where.before)
    if (clause.has(cues, "now") and clause.has(cues, "child")) or is_instruction(before) or ACTUALLY.match(where.later) \
            or NOW_IN_CONDITION.search(near_the_sign(where)) or POINTS_AT_NOW.search(clause.words):
        return True
    if closed_condition(before, cues) and (DIGITS.search(where.part) or names_child_by_more_than_a_pronoun(clause, cues)):
        return True
    if is_instruction(clause) and (clause.has(cues, "child") or says_now(told, clause, cues)):
        return True
    return not told.has(cues, "conditional") and says_now(told, clause, cues)


def conditional_governs(where: Mention, clause: Clause, cues: CueSet) -> bool:
    """Whether a conditional governs the sign. An "if", 如果, 要是 or 万一 governs what follows it;
    after the sign an English one governs the sign only in a question ("could a PICC line fall out
    if he moves a lot"), not in a statement ("my son is fitting and what if it doesn't stop" was
    silent). A Chinese "…的话" follows what it governs ("孩子发烧的话要去医院吗")."""
    where = from_a_new_sentence(where)  # "if it gets worse we will go in he is floppy and grey"
    told = told_up_to_the_sign(where)
    if CONDITIONAL_AFTER_ZH.search(where.trail) or Clause(told.words, "").has(cues, "conditional") \
            or SHOULD_EVER.search(Clause.of(where.part).words) or open_condition(Clause("", told.chinese), cues):
        return True  # (an English consequence in the part is still hypothetical: "if her face swells do I use the EpiPen")
    before = Clause.of(where.before)
    if is_instruction(before) or closed_condition(before, cues):
        # After the rule the family was given, or a condition whose consequence was said, a part is
        # news unless it asks without telling of now: "… if he gets a temperature, does 38 count",
        # "万一发烧怎么办，他抽搐怎么办" (not "… he's having a seizure right now what do I do?").
        return asks(clause) and not tells_of_now(told, clause, cues)
    if open_condition(before, cues):
        return True
    # "孩子在抽搐要是一直不停怎么办", "娃发烧39度万一烧到40度咋办": a Chinese 如果/要是/万一 after the sign
    # asks about what may follow; the sign stands (these were silent).
    return Clause(clause.words, "").has(cues, "conditional") and bool(ASKED_OR_MAYBE.search(told.words))


def open_condition(clause: Clause, cues: CueSet) -> bool:
    """A conditional whose consequence is not said yet: what follows may still be its condition
    ("如果孩子出冷汗、手脚冰凉", "if he has a seizure, his lips turn blue, …")."""
    return _condition(clause, cues) is False


def closed_condition(clause: Clause, cues: CueSet) -> bool:
    """A conditional whose consequence is said: what follows is news unless it asks ("如果严重了我们就
    去医院，她发烧38度9", "万一再发生怎么办 她叫不醒", "if it gets worse we will go in, his lips are blue"
    were silent)."""
    return _condition(clause, cues) is True


def _condition(clause: Clause, cues: CueSet) -> Optional[bool]:
    """None: no conditional; True: its consequence is said after the last one; False: it is not."""
    if not clause.has(cues, "conditional"):
        return None
    english = _last(cues.any_en["conditional"], clause.words)
    chinese = _last(cues.any_zh["conditional"], clause.chinese)
    return not ((english and not CONSEQUENCE_EN.search(clause.words, english.end()))
                or (chinese and not CONSEQUENCE_ZH.search(clause.chinese, chinese.end())))


def _last(pattern: re.Pattern, text: str) -> Optional[re.Match]:
    found = None
    for found in pattern.finditer(text):
        pass
    return found


IN_GENERAL = re.compile(r"\b(?:would|will|could|can|does|do) it\b|\bare there\b|\bwhat (?:are|would)\b|哪些|什么情况|什么样")


def asks_in_general(sentence: Clause, cues: CueSet) -> bool:
    """The sentence asks about signs in general ("would it be sudden…?", "are there side effects…?",
    "要注意哪些情况…?"), naming neither the child nor now."""
    return asks(sentence) and not (sentence.has(cues, "child") or sentence.has(cues, "now")) \
        and bool(IN_GENERAL.search(sentence.words) or IN_GENERAL.search(sentence.chinese))


def asks(clause: Clause) -> bool:
    """The part is a question: "does 38 count", "体温38度要打吗"."""
    return bool(QUESTION_EN.search(clause.words) or QUESTION_ZH.search(clause.chinese))


def inside_the_rule(where: Mention) -> bool:
    """The sign is named inside the rule the family was given, not after it: "医生交代过38度就打电话",
    not "医生说38度就打电话刚量了38.9" (dictated without a stop; it was silent)."""
    lead, told = len(where.lead), len(where.part) - len(where.trail)
    return any(rule.start() <= lead and rule.end() >= told for rule in instructions(where.part))


def instructions(text: str) -> list[re.Match]:
    found = list(INSTRUCTED_ZH.regex.finditer(text)) if INSTRUCTED_ZH.may_match(text) else []
    return found + (list(INSTRUCTED_EN.regex.finditer(text)) if INSTRUCTED_EN.may_match(text) else [])


def is_instruction(clause: Clause) -> bool:
    """The part tells what the family was told to do if something happens ("we were told to call
    if anything changed", "医生交代如果发烧就打电话"): a rule they were given, which the next parts do
    not fall under."""
    return bool(INSTRUCTED_EN.search(clause.words) or INSTRUCTED_ZH.search(clause.chinese))


def tells_of_now(told: Clause, clause: Clause, cues: CueSet) -> bool:
    """The part tells of something happening or just happened, question or not: "he just had a fit
    what do I do?", "他又抽了要打吗", "刚量了38.9要去吗" (all were silent after a rule or a condition);
    "does 38 count" does not."""
    if says_now(told, clause, cues) or GOING_ON_ZH.match(clause.chinese):
        return True  # (孩子在抽搐怎么办: going on)
    if THEN_WHAT_ZH.search(clause.chinese):
        return False  # "那抽搐了怎么办", "出血了怎么办": what to do if it happens
    return clause.has(cues, "recurrence") or bool(JUST_HAPPENED_EN.search(clause.words) or PERFECTIVE.search(clause.chinese))


def says_now(told: Clause, clause: Clause, cues: CueSet) -> bool:
    """The sign's own part tells of now: an "if" in an earlier part may not be its condition."""
    return clause.has(cues, "now") or bool(PRESENT_EN.search(told.words))


def pretend_governs(where: Mention, clause: Clause, cues: CueSet) -> bool:
    """Play, a costume, a drawing or a filter named before the sign, or after it unless what comes
    before says the sign is there now ("she has a fever of 38.9 so we cancelled her fancy dress
    party" was silent; "blue lips from her zombie face paint" is play)."""
    told = up_to_the_sign(where, clause)
    if Clause.of(where.before).has(cues, "pretend") or told.has(cues, "pretend"):
        return True
    return clause.has(cues, "pretend") and not (told.has(cues, "now") or PRESENT_EN.search(told.words))


def told_up_to_the_sign(where: Mention) -> Clause:
    """The part up to the end of the sign's words."""
    return Clause.of(where.part[:len(where.part) - len(where.trail)])


def up_to_the_sign(where: Mention, clause: Clause) -> Clause:
    """The part's English words up to the end of the sign, and its whole Chinese text: "can blina
    cause" or "costume" reaches what follows it, "会不会" or 扮演 what comes before it too."""
    return Clause(told_up_to_the_sign(where).words, clause.chinese)


def asks_if_possible(where: Mention, clause: Clause, cues: CueSet) -> bool:
    """Whether the part asks if the sign can happen ("can blina cause a rash?"), not only after
    telling of it ("his lips are blue and does blina cause this" was silent)."""
    told = up_to_the_sign(where, clause)
    if told.without(cues, "attribution").has(cues, "possibility"):
        return True
    return clause.without(cues, "attribution").has(cues, "possibility") and bool(ASKED_OR_MAYBE.search(told.words))


def another_devices(where: Mention, cues: CueSet, clues: Clues) -> Optional[Context]:
    """A pump or line sign said of another device: "the printer keeps flashing an error",
    "her tablet screen has cracked" (not now), "the pool pump stopped" (asked). Not when the
    sentence names the pump or the line too. A screen that "went blank" is the screen's: "the
    screen went blank on my phone" paged the team with a child's absence seizure (session 41).
    Only "the screen", "the tv"… right before it: "watching tv then went blank", "on the monitor
    then stopped breathing" are the child's (session 41's review)."""
    if clues.equipment:
        return clues.other_device
    blank_screen = SCREEN_AS_SUBJECT.search(where.lead) and GOES_BLANK.match(where.part[len(where.lead):])
    return Context.NOT_NOW if blank_screen else None


def another_device(sentence: str) -> Optional[Context]:
    """Whether a sentence (as written, lower case) names a device at home and not the pump or
    line: NOT_NOW for a device with a screen, an alarm or a leak of its own, UNSURE for another
    household's pump or a hot-water bottle (see ANOTHER_PUMP), None when it names neither."""
    if OWN_EQUIPMENT.search(sentence):
        return None
    if OTHER_DEVICE.search(sentence):
        return Context.NOT_NOW
    return Context.UNSURE if ANOTHER_PUMP.search(RULED_OUT_DEVICE.sub(" ", sentence)) else None


def over_or_past(where: Mention, cues: CueSet, clues: Clues) -> Optional[Context]:
    """A sign that is over, or was said of an earlier time, unless it has come back."""
    if still_going(where):
        return None
    where = from_a_new_sentence(where)
    clause, unsigned = Clause.of(where.part), Clause.of(where.unsigned or where.part)
    never_back = NEVER_BACK_TRAIL.match(where.trail)
    words = NOT_AGAIN.sub(" ", NEVER_BACK.sub(" ", clause.words) if never_back else clause.words)
    again = Clause(words, clause.chinese).has(cues, "recurrence") or back_in_the_next_part(where)
    if (LONG_OVER.match(where.trail) or never_back) and not again:
        return Context.NOT_NOW
    began = started(where)
    now = said_now(where, clause, cues) or began
    past = uncompared(unsigned).has(cues, "past") or of_an_earlier_cycle(where)
    # What was tried against the sign in its own part is no sign that it is over ("still beeping
    # after I changed the batteries"); what the rest of the sentence says still is ("…, but the
    # nurse fixed it").
    over = (from_the_turn_to_now(where, unsigned).has(cues, "over") and not PERSISTS_DESPITE.search(where.part)) \
        or over_after(where, cues) \
        or (Clause.of(where.later).has(cues, "over")  # "dressing was loose but the nurse redid it"
            and over_of_the_same(where, clues))
    since = None if again or now else fine_for_days_since(where)
    if since:
        return Context.NOT_NOW if since is Since.SAID or not clues.lasting else Context.UNSURE
    if over and not (clues.lasting or again or (clues.comes_and_goes and told_of_today(where))):
        return Context.NOT_NOW
    if over and not (again or now) and Clause.of(where.earlier + where.before).has(cues, "past"):
        # "We were worried last week. She had a high temperature ... fine since Friday": most
        # likely over, but a life-threatening sign or a fever is asked about, not dropped.
        return Context.UNSURE if clues.lasting else Context.NOT_NOW
    if past and over and not (again or now_up_to_the_sign(where)):
        return Context.NOT_NOW  # over, and long ago: "his chills stopped in hospital, fine since"
    if past and not (again or now):
        # An exposure is a contact in the past ("the girl next to us on Monday turned out to have
        # measles"): asked about, not dropped.
        return Context.UNSURE if clues.exposure else Context.NOT_NOW
    if not (again or began) and opens_long_past(where, cues):
        return Context.UNSURE  # "Two years ago, she had a seizure": most likely history; asked
    return None


def told_of_today(where: Mention) -> bool:
    """A time of today before the sign or in its part ("this morning", "an hour ago", 早上, 刚才),
    and not of an earlier cycle ("we saw the neuro team today about the confusion in cycle 1")."""
    return bool(TODAY.search(f"{where.before} {where.part}")) and not EARLIER_CYCLE.search(where.part)


# "And now" turning from what was before to a new sign ("…went down and now he is vomiting"),
# not "ok now", "all good now, the line was leaking", "now that…".
TURN_TO_NOW = re.compile(r"\b(?:and|but|then) now\b(?! that)")


def from_the_turn_to_now(where: Mention, unsigned: Clause) -> Clause:
    """The sign's part without its words, from the last "and now" before the sign: what was over
    before it was something else ("the rash cleared up and now his line is leaking")."""
    turn = _last(TURN_TO_NOW, where.lead)
    return unsigned if turn is None else Clause.of(f"{where.lead[turn.end():]} {where.trail}")


# A cycle of treatment before the one the family is in: "in cycle 1 he had 39.1, this cycle nothing",
# "第一疗程第一天高烧39.5，现在第二疗程了很平稳" (both paged). Cycle 1 is an earlier time only when a
# later one is named: "day 3 of cycle 1, he is 38.7" is now.
EARLIER_CYCLE = re.compile(r"\b(?:in|on|during|through) (?:the )?(?:cycle (?:1|one)|first (?:cycle|round|block)|round (?:1|one)|block (?:1|one))\b"
                           r"|第一个?疗程|第1个?疗程|首个疗程|第一轮")
LATER_CYCLE = re.compile(r"\b(?:cycle (?:[2-6]|two|three|four|five|six)|(?:second|third|fourth|2nd|3rd|4th) (?:cycle|round|block)"
                         r"|round (?:[2-6]|two|three|four)|this (?:cycle|round|block|time round))\b"
                         r"|第[二三四五六2-6]个?疗程|这个疗程|这次疗程|这一疗程|这一轮|这轮")


def of_an_earlier_cycle(where: Mention) -> bool:
    """The sign is told of an earlier cycle than the one the family is in (named in the message)."""
    lead = Clause.of(where.lead)
    if not (EARLIER_CYCLE.search(lead.words) or EARLIER_CYCLE.search(lead.chinese)):
        return False
    around = Clause.of(" ".join((where.earlier, where.before, where.part, where.after, where.later)))
    return bool(LATER_CYCLE.search(around.words) or LATER_CYCLE.search(around.chinese))


def now_up_to_the_sign(where: Mention) -> bool:
    """"Now" said right up to the sign: "he was admitted with a fever and now 39.5", "she is
    fitting they admitted her" (both were silent: the stay in hospital read as over and past)."""
    own = from_a_new_sentence_start(where)
    told = Clause.of(where.part[own:len(where.part) - len(where.trail)])
    return bool(STRONG_NOW.search(told.words) or STRONG_NOW_ZH.search(told.chinese) or PRESENT_EN.search(told.words))


def from_a_new_sentence_start(where: Mention) -> int:
    """Where the sign's own sentence begins in its part: at the last subject before it ("she is
    fine now - he was admitted on friday with a fever": the now is another sentence's)."""
    starts = subjects_before_the_sign(where)
    return starts[-1] if starts else 0


def subjects_before_the_sign(where: Mention) -> list[int]:
    """Where subjects begin in the part before the sign, or at its own subject ("his lips are blue")."""
    return [at for at in subject_starts(where.part, bool(CJK.search(where.lead))) if at < len(where.lead)]


def from_a_new_sentence(where: Mention) -> Mention:
    """A message dictated or typed without stops runs sentences into one part: "she was admitted
    last cycle with a fever she's fitting right now", "上个疗程他抽过一次他嘴唇发紫" (both were silent).
    When the sign's words begin a new subject's sentence told in the present, the times and
    endings said before it are another sentence's: the part is read from that subject on."""
    starts = subjects_before_the_sign(where)
    if len(starts) < 2:
        return where
    at = starts[-1]
    earlier = where.part[:at]
    if NOW_SAID.search(earlier):
        return where  # "孩子现在他在发烧39度以前也有过": the now before the second name is this sentence's
    fresh = dataclasses.replace(where, part=where.part[at:], before=where.before + earlier,
                                unsigned=where.unsigned[at:] if where.unsigned else "", lead=where.lead[at:])
    if CJK.search(where.lead):
        return fresh if present_zh(fresh.part) and not STORY_TIME_ZH.search(earlier) else where
    return fresh if PRESENT_STATE_EN.match(fresh.part) else where


@functools.lru_cache(maxsize=256)
def subject_starts(part: str, chinese: bool) -> tuple[int, ...]:
    """Where subjects begin in a part (cached: a part is read for each sign it names); not right
    after "if"/"that"/如果, nor inside the rule the family was given ("we were told to call if he
    has a fever" is one sentence)."""
    if chinese:
        found = list(SUBJECT_ZH.finditer(part))
    else:
        found = list(SUBJECT_EN.regex.finditer(part)) if SUBJECT_EN.may_match(part) else []
    rules = instructions(part)
    return tuple(m.start() for m in found if not SUBORDINATE.search(part, 0, m.start())
                 and not any(rule.start() < m.start() < rule.end() for rule in rules))


def present_zh(part: str) -> bool:
    """A Chinese sentence with a subject and no 了 or 过 (a state: "他嘴唇发紫"), or one said to be
    going on (正在, 一直, 还在, 现在, 在 but not a place)."""
    return bool(SUBJECT_ZH.match(part)) and (not PERFECTIVE.search(part) or bool(GOING_ON_ZH.match(part)))


def back_in_the_next_part(where: Mention) -> bool:
    """The next part says that it, the sign, has come back: "She had a seizure last month, it is
    happening again", "上个月抽搐过，又来了" (not "…, she's back to her cheeky self")."""
    following = next_part(where)
    return bool(IT_IS_BACK.match(Clause.of(following).words) or IT_IS_BACK_ZH.match(following))


def is_a_time_alone(part: Clause) -> bool:
    """A part short enough to say only when: "Last week", "Over six years ago", "去年", "上个月",
    "2019年11月初" (digits do not count)."""
    words = part.words.split()
    return len(words) <= 5 if words else len(DIGITS.sub("", part.chinese).strip()) <= 7


def opens_long_past(where: Mention, cues: CueSet) -> bool:
    """The sentence opens with a time long past ("Six years ago Hayley had…", "Last week, she
    had…", "去年，孩子抽搐过一次"), which sets the time of what follows, and the sign's part says
    nothing of now nor of something going on ("2 weeks ago he started blina and has a fever")."""
    part = Clause.of(where.unsigned or where.part)
    opening = LONG_AGO.match(part.words)
    dated = False
    if opening:
        part = Clause(part.words[opening.end():], part.chinese)
    else:
        first, *rest = PART_BREAK.split(where.before.strip(",，、 "), maxsplit=1)
        time, dated = Clause.of(first), a_date_before_today(first)
        if not (first and is_a_time_alone(time)
                and (dated or LONG_AGO.match(time.words) or (time.has(cues, "past") and not time.has(cues, "now")))):
            return False
        if rest and Clause.of(rest[0]).has(cues, "now"):
            return False  # "Last week, at clinic, all fine, today she has a fever": now, after all
    # After a date, news words ("我发现", "found") tell the story; now and "again" still count.
    return not any(part.has(cues, kind) for kind in ("now", "recurrence") + (() if dated else ("report",)))


def a_date_before_today(text: str) -> bool:
    """Whether `text` is a date alone, and not today's ("2019年11月初", "4月15日", "in 2019")."""
    date = DATE_ONLY.fullmatch(text)
    if not date or not any(date.group(g) for g in ("year", "month", "en_year")):
        return False
    today, year = clock.today(), date.group("year") or date.group("en_year")
    return not ((not year or int(year) == today.year) and date.group("month") and int(date.group("month")) == today.month
                and (not date.group("day") or int(date.group("day")) == today.day))


class Since(enum.Enum):
    """How surely the rest of the message says the child has been fine for days since the sign."""
    SAID = "since"      # "…, normal all week since", "之后这一周都正常"
    TOLD_PAST = "past"  # "he had 38.3 on day 3, normal all week": most likely since


def fine_for_days_since(where: Mention) -> Optional[Since]:
    """Whether, and how surely, the rest of the message says the child has been fine for days since."""
    rest = Clause.of(f"{where.after} {where.later}")
    english = FINE_FOR_DAYS_EN.search(rest.words)
    chinese = FINE_FOR_DAYS_ZH.search(rest.chinese)
    if english is None and chinese is None:
        return None
    if (english and (english.group("since") or SINCE_THEN_EN.search(rest.words, 0, english.start()))) \
            or (chinese and THEN_ZH.search(rest.chinese, 0, chinese.start())):
        return Since.SAID
    return Since.TOLD_PAST if told_as_past(where) else None


def told_as_past(where: Mention) -> bool:
    """The sign's own words tell it as past: "he had a seizure", "烧过一次"."""
    return bool(TOLD_AS_PAST_EN.search(Clause.of(where.lead).words)) or "过" in where.part


def over_after(where: Mention, cues: CueSet) -> bool:
    """The rest of the sentence says it is over ("…, fine since Tuesday"), and does not say it is
    back besides ("…, I changed the gauze and it's soaked again"). "She's gone white" is no sign
    that is gone."""
    after = Clause.of(where.after)
    after = Clause(BECOME.sub(" ", after.words), after.chinese)
    return after.has(cues, "over") and not after.without(cues, "over").has(cues, "recurrence")


def still_going(where: Mention) -> bool:
    """The sign is said not to have stopped: whatever time it started, it is now."""
    return bool(STILL_GOING.search(where.trail) or STILL_GOING.search(next_part(where))
                or NOT_STOPPING.search(where.lead))


def will_not_stop(where: Mention) -> bool:
    """"Nose bleeding 40 min already, pinching also cannot stop", "捏了十五分钟还没止住": a sign said
    not to stop is going on now, whoever the message names."""
    return bool(WILL_NOT_STOP.search(where.trail) or WILL_NOT_STOP.search(next_part(where))
                or IT_WILL_NOT_STOP.match(where.later))


def next_part(where: Mention) -> str:
    """The part of the sentence after the sign's own."""
    return PART_BREAK.split(where.after.lstrip(",，、 "), maxsplit=1)[0]


def started(where: Mention) -> bool:
    """The sign is said to have started at some time: unless it is said to be over, it is now."""
    return bool(STARTED_LEAD.search(where.lead) or STARTED_TRAIL.search(where.trail))


def over_of_the_same(where: Mention, clues: Clues) -> bool:
    """Whether what a later sentence says is fine again can be what the sign was about: the
    pump running fine again clears its alarm, not the child's signs ("… he didn't even react.
    Pump running fine.")."""
    return clues.equipment or not EQUIPMENT.search(where.later)


def uncompared(clause: Clause) -> Clause:
    """The part without what the sign is compared with: "a seizure like the one last month",
    "跟上次一样烧到39度" say when the other one was, not this one."""
    return Clause(COMPARED_EN.sub(" ", clause.words), COMPARED_ZH.sub(" ", clause.chinese))


def said_now(where: Mention, clause: Clause, cues: CueSet) -> bool:
    """Whether the part says the sign is happening now; "weeks ago" right after the sign (and where
    it happened), or "years ago" anywhere after a sign told as past, does not ("she had a seizure
    when she was first diagnosed two years ago"; not "rash spreading, he had similar years ago")."""
    years_ago = YEARS_AGO.search(where.trail)
    for long_ago in (LONG_AGO_AFTER.match(where.trail), years_ago if years_ago and told_as_past(where) else None):
        if long_ago:
            clause = Clause(clause.words.replace(f" {' '.join(LATIN_WORDS.findall(long_ago.group()))} ", " "), clause.chinese)
    return clause.has(cues, "now") or bool(PRESENT_EN.search(clause.words))


def somebody_elses(where: Mention, cues: CueSet, clues: Clues) -> Optional[Context]:
    """The writer's own sign, another person's or another child's; asked about when it may be
    the child's after all."""
    clause, writer = Clause.of(where.part), clues.writer
    if writer.patient and not as_the_patient(clause).has(cues, "other_person"):
        return None  # the teenager on treatment tells of their own sign
    if not clues.measured and SPEAKERS_OWN.search(where.lead):
        return Context.NOT_NOW
    if writer.about_self and not clause.has(cues, "child"):
        return Context.UNSURE  # "这次想说说我自己，这几天老是胸闷" (or a teenager on treatment)
    another = named_before_the_sign_is_another(where, cues)
    if another is Owner.THEIRS and speaker_is_subject(where):
        return Context.UNSURE  # "my mum's at work and I keep throwing up" (a teenager on treatment?)
    if another is Owner.THEIRS:
        # "The boy in the next bed had a seizure and it frightened my son"; a red sign of an
        # adult named before it is asked about ("my husband came home and the line was out").
        explicit = Clause.of(where.lead).has(cues, "other_child")
        return Context.UNSURE if clues.exposure or clues.measured or (clues.red and not explicit) else Context.NOT_NOW
    if another is Owner.MAYBE or writer_may_be_the_subject(where, cues, clues):
        return Context.UNSURE  # "Mum here, she's got a rash all over"; "I threw up twice"
    if not clues.exposure and another_family_tells(where):
        return Context.NOT_NOW  # "群里一个妈妈说她家娃第二天就抽了", "…她家孩子第三天烧到40度"
    if clause.has(cues, "other_child") and not subject_is_child(clause.without(cues, "other_child"), cues):
        return Context.UNSURE if clues.exposure else Context.NOT_NOW  # "my friend says her son has a rash"
    if named_not_telling(clause, cues):
        if not subject_is_child(own_words(where, cues), cues):
            # A reading is asked about: "那个孩子现在烧到三十九度" ("那个" is also a filler word); so
            # is the pump or the line, which is the child's whoever else is named ("his pump
            # stopped so I'm writing from my husband's laptop").
            return Context.UNSURE if clues.exposure or clues.measured or clues.equipment else Context.NOT_NOW
        return None
    if clause.has(cues, "other_person") and not subject_is_child(without_others(clause, cues), cues):
        # Somebody tells of a sign, naming nobody: the child's ("grandma says lips gone blue"),
        # their own ("姥爷老说胸口疼") or children's in general ("my mate said they puff up").
        # Asked about, because a relayed report is never dropped.
        return Context.UNSURE
    # (Past a relative clause only when the sign's part relays nothing: in "My wife, who is with Ella,
    # says she's fitting" the clause names whom the relay is about.)
    previous = Clause.of(antecedent_part(where.before, past_relative_clauses=not clause.has(cues, "relay")))
    if not names_child_by_more_than_a_pronoun(clause, cues) \
            and (previous.has(cues, "other_person") or previous.has(cues, "other_child")) \
            and not (clues.measured and relays_of_ours(previous, cues)) and not without_anyone_else(previous, cues).has(cues, "child") \
            and same_sex_as_named(previous.words, clause.words):
        # A part with no subject of its own, or only "he"/"her", may be about the last one named
        # ("我自己哮喘犯了，喘不上气", "Mum here, she's got a rash all over"): asked about.
        return Context.UNSURE
    return None


# An English relative clause between commas: "My mum, who helps us with Charlie, fainted today".
RELATIVE_PART = re.compile(r"^\s*(?:who|whom|whose)\b")  # (not "which": "…, which woke Charlie, …" is about what happened)


def antecedent_part(before: str, past_relative_clauses: bool = True) -> str:
    """The last part before the sign's part, passing over relative clauses: in "My mum, who helps
    us with Charlie, fainted today" the one who fainted is the one named before "who" (the child
    named inside the clause is no subject)."""
    parts = PART_BREAK.split(before.rstrip(",，、 "))
    while past_relative_clauses and len(parts) > 1 and RELATIVE_PART.match(parts[-1]):
        parts.pop()
    return parts[-1]


def relays_of_ours(previous: Clause, cues: CueSet) -> bool:
    """The part before a reading relays it, of this family's child ("grandma said: 38.9"), not
    another family's ("同病房的妈妈说她儿子之前管子感染，烧到40度进了ICU": that reading is asked about)."""
    return previous.has(cues, "relay") and not any(_tells_of_theirs(text) for text in (previous.words, previous.chinese))


def another_family_tells(where: Mention) -> bool:
    """Another family's parent tells of a sign before it in its part (in a group chat, on a
    forum, in the next bed), and this family's child is not named between: the child told of is
    theirs ("another dad on the ward said his daughter had a fit", "隔壁床的家长说他儿子嘴唇都紫了");
    not "…, 我家孩子现在也在抽", "群里一个妈妈说发烧要马上打电话 我刚给孩子量了38.3" nor "护士说孩子的
    嘴唇有点紫". (An infection going round is an exposure, whoever tells of it.)"""
    lead = Clause.of(where.lead)  # in words: "in the parents' room"
    if not any(_tells_of_theirs(text) for text in (lead.words, lead.chinese)):
        return False
    rest = Clause.of(f"{where.trail} {where.after}")  # "…said her daughter's wee went red and my daughter's is red now"
    return not (OUR_CHILD.search(rest.words) or OUR_CHILD.search(rest.chinese))


def _tells_of_theirs(text: str) -> bool:
    """Another family tells in `text`, and our child is not named after it."""
    said = _last(ANOTHER_FAMILY_TELLS, text)
    return said is not None and not OUR_CHILD.search(text[said.end():])


def writer_ill_next_to_the_sign(where: Mention, cues: CueSet) -> bool:
    """The writer says in the sentence that they are the one who is ill, and the child is not
    named between that and the sign: "I've come down with flu, 38.7 and aching" (after the sign, a
    possessive is no subject: "shivery and 38.2, who looks after her pump if I'm ill"); not
    "我自己感冒了，现在她也开始咳嗽，呼吸特别快" nor "I am poorly, up all night with her, 38.9"."""
    if not sentence_of(where).has(cues, "writer_ill"):
        return False
    before, after = Clause.of(f"{where.before} {where.lead}"), Clause.of(f"{where.trail} {where.after}")
    for pattern, text, script in ((cues.any_en["writer_ill"], before.words, 0), (cues.any_zh["writer_ill"], before.chinese, 1)):
        said = [m.end() for m in pattern.finditer(text)]
        if said and not _in_script(text[said[-1]:], script).without(cues, "writer_ill").has(cues, "child"):
            return True  # nobody named between ("I am poorly, up all night with her, 38.9" is hers)
    for pattern, text, script in ((cues.any_en["writer_ill"], after.words, 0), (cues.any_zh["writer_ill"], after.chinese, 1)):
        said = pattern.search(text)
        if said and not subject_is_child(_in_script(text[:said.start()], script), cues):
            return True
    return False


def _in_script(text: str, script: int) -> Clause:
    """A piece of a clause's English words (0) or Chinese text (1), as a clause of its own."""
    return Clause(text, "") if script == 0 else Clause("", text)


def named_not_telling(clause: Clause, cues: CueSet) -> bool:
    """Somebody else is named in the part, not as one who tells of the sign (somebody who tells
    the parent something tells it about the child: "grandma says his lips are blue", "孩子他爸说泵一直响")."""
    return clause.has(cues, "other_person") and not clause.has(cues, "relay")


def own_words(where: Mention, cues: CueSet) -> Clause:
    """The sign's part, without the other people named there (and what they are said to have),
    when they do not tell of it: what is left says whether the child is named."""
    clause = Clause.of(where.part)
    return without_others(without_asides(where), cues) if named_not_telling(clause, cues) else clause


def how_it_is_said(where: Mention, cues: CueSet, clues: Clues) -> Context:
    """Of the child or nobody, now or in general: a report, a question, or — with no clue either
    way — asked about."""
    clause = own_words(where, cues)
    child = clause.has(cues, "child") and not any_child_in_general(clause, cues)
    if clues.measured:
        sentence = sentence_of(where)
        generic = sentence.has(cues, "generic") or sentence.has(cues, "possibility")
        asked_about = where.trail.strip() and QUESTION_OPENS.match(Clause.of(where.lead).words) \
            and CJK.search(where.lead) is None and (BOUND_BEFORE_EN.search(where.lead) or clues.round_value)
        rule = (clues.threshold and asks(sentence) or asked_about) and not clues.child_in_message \
            and not (child or clause.has(cues, "now") or clause.has(cues, "report"))
        choice = clues.choice and not (child or clause.has(cues, "now"))  # "孩子39度2 要去医院吗 还是等到39度5"
        return Context.UNSURE if choice or rule or (generic and not (child or clues.child_in_message)) \
            else Context.REPORT
    if asks_how_to_tell(where, clause, cues):
        return Context.UNSURE if names_a_child_of_its_own(sentence_of(where), cues) else Context.QUESTION
    if clues.perfective:
        return Context.REPORT
    if clause.has(cues, "now") or will_not_stop(where):
        # "Do headaches usually come with blina?" reads like news but names nobody: asked about.
        general = clause.has(cues, "generic") and not (child or clues.child_in_message)
        return Context.UNSURE if general else Context.REPORT
    # "Is that from the steroids?" asks the cause of a sign, not whether it could happen.
    possible = asks_if_possible(where, clause, cues)
    if child and not (possible or clause.has(cues, "report")) and asks_why_of_any_child(where, cues):
        return Context.UNSURE
    if child and not possible:
        return Context.REPORT
    if clause.has(cues, "report") and not possible:
        # "How do you tell a tremor apart from just shivering?": news words in a general
        # question that names nobody are asked about.
        general = clause.has(cues, "generic") and not clues.child_in_message
        return Context.UNSURE if general else Context.REPORT
    if possible or clause.has(cues, "generic") or (clause.has(cues, "cause") and not clues.child_in_message):
        # The cause of a sign said of nobody, in the sign's own part: "what causes pancreatitis?".
        # Asked in the next part, it asks about the sign just told: "鼻血止不住，是双抗引起的吗".
        # A question after a sign told in the present is asked about (it was silent).
        return Context.UNSURE if tells_in_the_present(where) else Context.QUESTION
    # A bare sign, or a bare "seizure, what to do?": a question word alone decides nothing.
    return Context.REPORT if clues.child_in_message else Context.UNSURE


RECOGNISE_REACH_CHARS = 7  # "怎么判断[我儿子是不是在]抽搐": the child and 是不是 between the question and the sign


def asks_how_to_tell(where: Mention, clause: Clause, cues: CueSet) -> bool:
    """"怎么判断孩子是不是呼吸困难", "怎么看出孩子抽搐了": how to tell whether a sign is there, asked
    before the sign is named and not said to be happening now, is not a report of it (it paged
    the team as an emergency; 了 there is the question's, not a report's)."""
    lead = Clause.of(where.lead).chinese
    asked = [m.end() for m in cues.any_zh["recognise"].finditer(lead)]
    # Only the sign the question is about, right after it ("怎么判断孩子是不是[发烧]"), not the signs
    # told after it without a comma ("…是不是发烧了摸着好烫一直在哭" tells of a hot child).
    # An either-or question goes on after 还是: "如何分辨孩子是在抽搐还是[冷得发抖]".
    between = lead[asked[-1]:].rsplit("还是", 1)[-1] if asked else ""
    return bool(asked) and len(between) <= RECOGNISE_REACH_CHARS and "了" not in between and not clause.has(cues, "now")


def any_child_in_general(clause: Clause, cues: CueSet) -> bool:
    """"What does a seizure look like in a toddler?": a general question names any child ("a
    toddler", "a kid"), not this one. Not in Chinese, where 孩子 is also how parents name their own."""
    return CJK.search(clause.chinese) is None and clause.has(cues, "generic") and not names_a_child_of_its_own(clause, cues)


# "a sleeping toddler", "a little kid": any child, whatever is said of them
A_CHILD_EN = re.compile(r"(?<= )an? (?:\w+ ){0,2}?(?:child|kid|baby|toddler|infant)(?= )")


def names_a_child_of_its_own(clause: Clause, cues: CueSet) -> bool:
    """A child named by more than a general noun (孩子, "a toddler"): "my son", "宝宝", a name."""
    general = Clause(A_CHILD_EN.sub(" ", clause.words), clause.chinese)
    return general.without(cues, "any_child").has(cues, "child")


def tells_in_the_present(where: Mention) -> bool:
    """The part opens by telling something in the present: "the pump is beeping and won't stop —
    what does it mean", "is it normal that the pump is beeping" (both were silent); not "is vomiting
    common", "what does it mean when the pump is beeping"."""
    told = told_up_to_the_sign(where).words
    present = PRESENT_EN.search(told)
    if present is None:
        return False
    subject = told[:present.start()].rsplit(" that ", 1)[-1]  # "is it normal that the pump is beeping"
    return not ASKED_OR_OPENS.match(subject if subject.startswith(" ") else f" {subject}")


def asks_why_of_any_child(where: Mention, cues: CueSet) -> bool:
    """"小孩子手抖是什么原因", "小孩睡觉的时候呼吸停一两秒正常吗" — why a sign happens, or whether it is
    normal when something else does, of a child named only by a general noun (孩子, 小孩, 儿童): the
    title of many Q&A pages, and also how some parents report. Asked about, neither escalated nor
    taken for a question."""
    sentence = sentence_of(where)
    # A question standing alone, as a Q&A page's title: "…正常吗 现在还在抽" tells of now.
    when_asked = "时候" in where.lead and ASKS_NORMAL_ZH.search(where.trail) is not None \
        and not TELLS_ON.search(f"{where.after}{where.later}")
    return (sentence.has(cues, "explain") or when_asked) and not names_a_child_of_its_own(sentence, cues)


def names_child_by_more_than_a_pronoun(clause: Clause, cues: CueSet) -> bool:
    """"my son", "孩子" — not only "he", "her", "他", which may stand for somebody just named."""
    return Clause(PRONOUNS_EN.sub(" ", clause.words), PRONOUNS_ZH.sub(" ", clause.chinese)).has(cues, "child")


class Owner(enum.Enum):
    """Whose a sign is, when somebody else is named before it in its part."""

    THEIRS = "theirs"   # the child is not named there
    MAYBE = "maybe"     # the child is named there only by a he/she that may be that person


def named_before_the_sign_is_another(where: Mention, cues: CueSet) -> Optional[Owner]:
    """In the sign's part, somebody else is named before it (not as one who tells or watches:
    "grandma says", "my husband thinks"): THEIRS when the child is not named there, whoever is
    named after ("the boy in the next bed had a seizure and it frightened my son"); MAYBE when
    the child is named only by a he/she of that person's sex ("my wife has a fever and she's
    got the shivers"); None otherwise."""
    lead = Clause.of(where.lead)
    if not (lead.has(cues, "other_child") or lead.has(cues, "other_person")) or lead.has(cues, "relay"):
        return None
    rest = without_anyone_else(lead, cues)
    if not rest.has(cues, "child"):
        return Owner.THEIRS
    if not subject_is_child(rest, cues):
        return Owner.MAYBE  # only "his"/"her": "I've had him up all night vomiting"
    if names_child_by_more_than_a_pronoun(rest, cues) or not same_sex_as_named(lead.words, lead.words):
        return None
    return Owner.MAYBE


def same_sex_as_named(named: str, pronoun_in: str) -> bool:
    """Could the last he/she of `pronoun_in` be the last person named in `named`? Unknown
    (Chinese, no sex word) is yes."""
    pronoun = next((w for w in reversed(pronoun_in.split()) if w in MALE_PRONOUNS | FEMALE_PRONOUNS), None)
    person = next((w for w in reversed(named.split()) if w in MALE_EN | FEMALE_EN), None)
    if pronoun is None or person is None:
        return True
    return (pronoun in MALE_PRONOUNS) == (person in MALE_EN)


# "I can't stop the bleeding", "I can't make it stop", "我止不住血": what the writer cannot do about
# the sign, not the writer's own sign.
UNABLE = re.compile(r"\s*(?:cannot|can not|could not)\b|\s*[止停叫弄按][不没]")
UNABLE_BEFORE = re.compile(r"\b(?:cannot|can not|could not)\s*$|[止停叫弄按][不没]\s*$")


def writer_may_be_the_subject(where: Mention, cues: CueSet, clues: Clues) -> bool:
    """The sign's subject is "I"/我 (the parent's own, or a teenager on treatment), or names nobody
    while the writer said they are the child's sibling ("我是患儿的哥哥，今年15，今天吐了两次"):
    asked about, never dropped. With no child named, only a sign of the body ("I fainted in the
    shower" was paged), not what the writer cannot do ("the pump alarms and I can't make it stop")."""
    clause = Clause.of(where.part)
    if clause.has(cues, "child"):
        return False
    if clues.writer.sibling and not clause.has(cues, "other_person"):
        return True
    if not speaker_is_subject(where):
        return False
    unable = UNABLE.match(where.part[len(where.lead):]) or UNABLE_BEFORE.search(where.lead)
    return clues.child_in_message or clues.writer.sibling or not (clues.equipment or unable)


def speaker_is_subject(where: Mention) -> bool:
    """The sign follows "I"/我 as its subject: "I threw up twice", "我今天吐了两次"; not "我摸着很烫"."""
    if FIRST_PERSON_EN.search(Clause.of(where.lead).words):
        return True
    sign_start = where.part[len(where.lead):]
    return bool(FIRST_PERSON_ZH.search(where.lead)) and not sign_start.startswith(PERCEIVED_ZH)


def as_the_writer_means(where: Mention, writer: Writer) -> Mention:
    """A carer's "I'm her mum" is blanked (the writer, not somebody else); a sibling writer's
    "my sister" / "妹妹" becomes the child; so does the one of several children the message says
    is on treatment, and the others become somebody else. Same lengths, so that `lead` still
    fits `part`."""
    fields = ("part", "before", "after", "lead", "unsigned")
    texts = {name: CARER_INTRO.sub(lambda m: " " * len(m.group()), getattr(where, name)) for name in fields}
    if writer.sibling:
        texts = {name: SIBLING_WORD.sub(lambda m: SIBLING_WORDS[m.group()], text) for name, text in texts.items()}
    if writer.patient_zh:
        def who(found: re.Match) -> str:
            return ("孩子" if found.group() == writer.patient_zh else "哥哥").ljust(len(found.group()))
        texts = {name: CHILD_NOUN_ZH.sub(who, text) for name, text in texts.items()}
    return dataclasses.replace(where, **texts)


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
    return without_anyone_else(Clause.of(text), cues).has(cues, "child")
