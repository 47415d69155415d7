"""Questions about something else: a household device, a pet that is ill, travel papers.

"my washing machine is leaking", "aquarium air pump is so noisy", "dog vomiting yellow foam",
"鱼缸氧气泵声音太吵了" share the articles' words (leaking, pump, vomiting) and got a confident
wrong article: no classifier confidence told them from real families' questions (README,
sessions 38 and 40). Such a question names the other thing and nothing of the child, the
treatment or the equipment; then the assistant says it cannot answer (bot/decision.py). A question
that names the child or the treatment as well ("can the cat sleep on her bed", "the dog chewed
through the tubing", "用blina期间养宠物ok吗") is answered as before; so is a pet question with no
illness in it ("is a rabbit ok as a pet", "要不要把猫送人"), which the pets article answers.

Red flags are judged apart (bot/nlu/redflags.py runs after this and its word is final).
"""
from __future__ import annotations

import re
from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.decision import OTHER_SUBJECT
from bot.nlu.component import RuleComponent
from bot.redflags.context import OTHER_PUMPS_EN, OTHER_PUMPS_ZH

DEVICES_EN = ("washing machines?", "dishwashers?", "boilers?", "laptops?", "computers?", "printers?", "router", "wifi",
              "phone line", "landline", "tv", "telly", "television", "hdmi", "smoke alarms?", "fire alarms?",
              "car alarms?", "alarm clocks?", "toilet", "cistern", "shower head", "faucet",
              "pool pump", "heat pump", "sump pump", "air pump", "washing line", "radiators?",
              "microwave", "oven", "kettle", "tyres?", "tires?", "gutters?", "passport", "visa", "driving permit",
              "annual leave", "mortgage", "salad dressing")
DEVICES_ZH = ("洗衣机", "洗碗机", "热水器", "笔记本", "电脑", "打印机", "路由器", "座机", "电话线", "电视", "烟雾报警器", "烟感",
              "防盗器", "马桶", "水箱", "花洒", "氧气泵", "过滤泵", "热泵", "暖气", "微波炉", "护照", "签证")
ANIMALS_EN = ("dogs?", "puppy", "puppies", "cats?", "kittens?", "budgies?", "parrots?", "hamsters?", "rabbits?",
              "guinea pigs?", "horses?", "goldfish", "tortoises?")
ANIMALS_ZH = ("狗", "猫", "鹦鹉", "仓鼠", "兔子", "乌龟", "金鱼")
ILL_EN = (r"vomit\w*", "sick", r"diarrh\w*", r"limp\w*", "fever", r"cough\w*", r"sneez\w*", "lumps?", "ill", "poorly",
          "fluffed", r"bleed\w*", "not eating", "off (?:his|her|its) food")
ILL_ZH = ("吐", "拉稀", "腹泻", "发烧", "发烫", "生病", "病了", "不吃", "长了", "炸毛", "咳", "瘸")
# The child, the treatment, the equipment, travel and the risk of infection: a question naming one
# of them is the family's ("grandma's dog is sick, can we visit", "can we travel with the passport
# during the 4 weeks", "热水器的水温可以用来擦洗敷料周围吗", session 41's review). Fridges and fish
# tanks are never something else: the medicine bags are kept in one, the pets article covers the other.
OURS_EN = ("he", "she", "his", "her", "him", "hes", "shes", r"sons?", r"daughters?", "child", "children", r"kids?",
           r"bab(?:y|ies)", r"boys?", r"girls?", "toddler", "little one", "blina", "blinatumomab", "blincyto", r"pumps?",
           r"lines?", "picc", r"ports?", "hickman", "treatment", "chemo", "chemotherapy", "leukaemia", "leukemia",
           "infusion", r"bags?", r"dressings?", r"tubes?", "tubing", "medicine", "meds", r"drugs?", r"nurses?",
           "hospital", "ward", "clinic", r"cycles?", "cancer", "immunotherapy", "patient", "travel", r"trips?",
           r"holidays?", r"flights?", "fly", "abroad", "safe", r"risks?", r"visit\w*", r"catch\w*", r"infect\w*",
           "germs", r"isolat\w*", r"spread\w*")
OURS_ZH = ("孩子", "宝宝", "儿子", "女儿", "娃", "小孩", "他", "她", "双抗", "贝林", "倍利妥", "博纳吐", "泵", "管", "picc", "输液",
           "化疗", "白血病", "治疗", "医院", "护士", "病房", "疗程", "免疫", "药", "敷料", "敷贴", "旅行", "旅游", "出国", "飞机",
           "隔离", "传染", "感染", "细菌", "安全", "风险", "探望")


def _words(english: tuple[str, ...]) -> re.Pattern:
    """Whole English words, also between Chinese characters ("用blina期间": no \\b there)."""
    return re.compile(rf"(?<![a-z])(?:{'|'.join(english)})(?![a-z])")


def _chars(chinese: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(chinese))


def _either(english: tuple[str, ...], chinese: tuple[str, ...]) -> re.Pattern:
    return re.compile(f"{_words(english).pattern}|{_chars(chinese).pattern}")


# Other households' pumps (the red-flag rules' list, and a few more) do not make a question the
# child's ("pool pump is running but no water coming out").
OTHER_PUMPS = _either(
    tuple(f"{word} pumps?" for word in (*OTHER_PUMPS_EN, "air", "tyre", "tire", "breast", "insulin", "aquarium", "fish tank")),
    (*(f"{word}泵" for word in (*OTHER_PUMPS_ZH, "氧气", "热", "营养")), "吸奶器"))
DEVICE = _either(DEVICES_EN, DEVICES_ZH)
ANIMAL_EN, ANIMAL_ZH = _words(ANIMALS_EN), _chars(ANIMALS_ZH)
ILL_EN_WORDS, ILL_ZH_WORDS = _words(ILL_EN), _chars(ILL_ZH)
OURS = _either(OURS_EN, OURS_ZH)


def about_something_else(text: str) -> bool:
    """Whether the question names a household device, travel or work papers, or an ill pet, and
    nothing of the child, the treatment or the equipment."""
    text = text.lower()
    other = DEVICE.search(text) or (ANIMAL_EN.search(text) and ILL_EN_WORDS.search(text)) \
        or (ANIMAL_ZH.search(text) and ILL_ZH_WORDS.search(text))
    return bool(other) and not OURS.search(OTHER_PUMPS.sub(" ", text))


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class OtherSubject(RuleComponent):
    """Adds `other_subject` to the parse result (bot/decision.py falls back on it)."""

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if not text.startswith("/"):  # a button payload names its intent itself
                message.set(OTHER_SUBJECT, about_something_else(text), add_to_output=True)
        return messages
