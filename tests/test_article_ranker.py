"""The article ranker and the synonym table it reads through, without a full model."""
from __future__ import annotations

from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.article_ranker import ArticleRanker, _words
from bot.nlu.synonyms import normalise
from bot.training.data import build_training_data

LABELS = {
    "faq/pump_alarm": {"en": ["why is the pump beeping", "the pump alarm keeps going off", "what does the alarm mean"],
                       "zh": ["泵一直在报警", "泵响了怎么办", "报警是什么意思"]},
    "faq/bathing_showering": {"en": ["can she have a bath", "how does he shower with the line", "is swimming ok"],
                              "zh": ["可以洗澡吗", "怎么淋浴", "能游泳吗"]},
    "faq/blinatumomab_basics": {"en": ["what is blinatumomab", "how does blina work", "what kind of drug is it"],
                                "zh": ["贝林妥欧单抗是什么药", "这个药怎么起作用", "贝林妥欧单抗是化疗吗"]},
    "out_of_scope": {"en": ["what is the weather", "book me a flight", "tell me a joke"],
                     "zh": ["明天天气怎么样", "帮我订机票", "讲个笑话"]},
}


def test_every_name_of_a_thing_becomes_one_word():
    assert normalise("Is BLINCYTO safe?") == "is blinatumomab safe?"
    assert normalise("倍利妥和双抗是一个药吗") == "贝林妥欧单抗和贝林妥欧单抗是一个药吗"
    assert normalise("can a PICC line get wet") == "can a central line get wet"
    assert normalise("it's all fine") == "it's all fine"       # a word inside others is left alone
    assert normalise("airport") == "airport"


def trained(tmp_path) -> ArticleRanker:
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), "test")
    ranker = ArticleRanker.create(ArticleRanker.get_default_config(), storage, Resource("ranker"), context)
    ranker.train(build_training_data(LABELS))  # titles and answers: the shipped articles'
    return ArticleRanker.load(ArticleRanker.get_default_config(), storage, Resource("ranker"), context)


def ranked(ranker: ArticleRanker, text: str, selector: dict[str, float]) -> dict:
    message = Message(data={"text": text})
    message.set("response_selector", {"faq": {"ranking": [
        {"intent_response_key": f"faq/{t}", "confidence": c} for t, c in selector.items()]}})
    ranker.process([message])
    return message.get("articles")


def test_a_stored_ranker_reads_words_from_the_answers_and_unified_names(tmp_path):
    ranker = trained(tmp_path)
    # "occlusion" is in no example question, only in the pump alarm answer; "Blincyto" reaches
    # blinatumomab only through the synonym table.
    assert ranked(ranker, "occlusion?", {})["ranking"][0]["id"] == "pump_alarm"
    assert ranked(ranker, "what is Blincyto", {})["ranking"][0]["id"] == "blinatumomab_basics"
    assert ranked(ranker, "明天天气怎么样啊", {})["out_of_scope"] > 0.5


def test_the_selector_and_the_lexical_reader_are_averaged(tmp_path):
    ranker = trained(tmp_path)
    alone = ranked(ranker, "can she have a bath", {})["ranking"][0]
    together = ranked(ranker, "can she have a bath", {"bathing_showering": 1.0})["ranking"][0]
    assert alone["id"] == together["id"] == "bathing_showering"
    weight = ArticleRanker.get_default_config()["selector_weight"]
    assert abs(together["confidence"] - (weight + alone["confidence"])) < 1e-3  # alone: the lexical share


def test_button_payloads_are_not_ranked(tmp_path):
    ranker = trained(tmp_path)
    message = Message(data={"text": '/faq{"topic": "pump_alarm"}'})
    ranker.process([message])
    assert message.get("articles") is None


def test_its_scores_are_the_classifier_s_own(tmp_path):
    """The ranker's own softmax over a weight copy made once gives what predict_proba gives."""
    import numpy as np
    ranker = trained(tmp_path)
    _, _, classifier = ranker._model
    for text in ("why is the pump beeping", "可以洗澡吗", "what is the weather"):
        features = ranker._features([normalise(text)], [_words(normalise(text))])
        expected = dict(zip(classifier.classes_, classifier.predict_proba(features)[0]))
        got = ranker._probabilities(Message(data={"text": text}))
        assert set(got) == set(expected) and all(np.isclose(got[k], expected[k]) for k in got)


def parse(intent: str, top: float, out_of_scope: float) -> dict:
    return {"intent": {"name": intent, "confidence": 0.6},
            "articles": {"ranking": [{"id": "bathing_showering", "confidence": top},
                                     {"id": "pump_alarm", "confidence": 0.01}], "out_of_scope": out_of_scope}}


def test_an_all_but_certain_ranker_answers_what_diet_took_for_out_of_scope():
    from bot.decision import decide

    assert decide(parse("out_of_scope", 0.95, 0.02)).label == "bathing_showering"
    assert decide(parse("nlu_fallback", 0.95, 0.02)).label == "bathing_showering"
    assert decide(parse("out_of_scope", 0.85, 0.02)).label == "(fallback)"   # not sure enough
    assert decide(parse("out_of_scope", 0.95, 0.2)).label == "(fallback)"    # the ranker has doubts too
    assert decide(parse("ask_costs", 0.95, 0.02)).label == "(fallback)"      # money: whom to ask


def test_the_ranker_sets_the_intent_it_overrules_so_that_the_rules_route_it(tmp_path, monkeypatch):
    import bot.decision

    monkeypatch.setattr(bot.decision, "SURE_ARTICLE", 0.3)  # the toy model is never 0.9 sure
    ranker = trained(tmp_path)
    bath, weather = Message(data={"text": "can she have a bath"}), Message(data={"text": "明天天气怎么样啊"})
    for message in (bath, weather):
        message.set("intent", {"name": "out_of_scope", "confidence": 0.7})
    ranker.process([bath, weather])
    assert bath.get("intent")["name"] == "faq"
    assert weather.get("intent")["name"] == "out_of_scope"
