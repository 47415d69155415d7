"""The learned second opinion: it only ever puts "is this happening to your child now?" in place
of a guess — never an escalation, never silence."""
from __future__ import annotations

import pytest

from bot.redflags import second_opinion as second
from bot.redflags.cases import HOLDOUT, load_cases
from bot.redflags.detector import ASK, REPORT, Detector, detector


def test_it_never_trains_on_held_out_cases():
    reports, others = second.training_texts()
    held_out = {c.text for c in load_cases() if c.split == HOLDOUT}
    assert held_out and not held_out & (set(reports) | set(others))


def test_its_scores_are_the_fitted_model_s_own():
    """The run-time scorer (a dictionary walk) gives what scikit-learn's model gives."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    reports, others = second.training_texts()
    vectoriser = TfidfVectorizer(analyzer=second.ngrams, sublinear_tf=True, min_df=2)
    matrix = vectoriser.fit_transform(reports + others)
    model = LogisticRegression(C=second.REGULARISATION_C, class_weight="balanced", max_iter=2000)
    model.fit(matrix, [1] * len(reports) + [0] * len(others))
    texts = ["my son keeps asking the same thing over and over", "how long is each cycle", "泵今天一直在响"]
    expected = model.predict_proba(vectoriser.transform(texts))[:, 1]
    assert [round(second.second_opinion().probability(t), 6) for t in texts] == [round(p, 6) for p in expected]


@pytest.mark.parametrize("text", [
    "our little girl seems really out of sorts and keeps holding her head to one side",
    "宝宝今天跟平时很不一样，叫他半天才慢慢转过头来",
])
def test_a_report_the_lexicon_does_not_know_is_asked_about(text):
    without = Detector(detector().lexicon).assess(text)
    with_it = detector().assess(text)
    assert without.status is None  # the lexicon alone misses it
    assert with_it.status == ASK and with_it.severity == "red" and with_it.categories == ["unwell"]


@pytest.mark.parametrize("text", [
    "how long does each cycle of blina last", "can we go swimming with the pump", "双抗一个疗程多少天",
    "what should I pack for the hospital stay",
])
def test_plain_questions_are_not_asked_about(text):
    assert detector().assess(text).status is None


def test_it_never_makes_a_report_on_its_own():
    """Whatever it thinks, a message with no sign in the lexicon is at most asked about."""
    texts = [c.text for c in load_cases()]
    bare = Detector(detector().lexicon)
    for text in texts:
        if bare.assess(text).status is None:
            assert detector().assess(text).status != REPORT


def test_everyday_messages_are_not_taken_for_reports():
    from bot.redflags.detector import detector

    for text in ("hi there", "hi there!", "hello there", "thanks so much", "forget me", "你好啊", "谢谢你们"):
        assert detector().assess(text).status is None, text


def _always_doubting() -> Detector:
    """The shipped lexicon with a second opinion that finds every message unlike a report."""
    return Detector(detector().lexicon, second.SecondOpinion.of({}, intercept=-5.0))


def test_a_same_day_report_that_does_not_sound_like_one_is_asked_about():
    found = _always_doubting().assess("he has a small rash on his arm")
    assert found.severity == "amber" and found.status == ASK and "skin" in found.categories
    assert Detector(detector().lexicon).assess("he has a small rash on his arm").status == REPORT


def test_a_message_longer_than_it_reads_is_not_doubted():
    """The second opinion reads the first MAX_CHARS; the sign may be after them."""
    opening = "Sorry for the long message, it has been a busy week with clinic and school. " * 6
    text = opening + "Tonight he has a small rash on his arm."
    assert len(opening) > second.MAX_CHARS
    assert _always_doubting().assess(text).status == REPORT


@pytest.mark.parametrize("text", [
    "he's having a seizure right now",           # life-threatening
    "宝宝嘴唇发紫，喘不上气",                      # life-threatening
    "she's 38.9 under the arm",                   # a reading
    "孩子刚量体温38度7",                           # a reading
    "he has a fever",                             # red, in a few words
    "the pump keeps beeping occlusion",           # red, in a few words
    # long enough to judge, but life-threatening or a reading
    "We had a lovely afternoon at the park with his cousins and now he is having a seizure",
    "We had a lovely afternoon at the park with his cousins and now his temperature is 38.9",
    "今天下午我们带他去公园玩了一会儿，回来吃完晚饭量了一下体温是三十八度九",
    # told as happening now in its own words
    "We had a lovely afternoon at the park with his cousins and tonight he says his chest hurts",
])
def test_a_red_flag_is_not_doubted_when_short_life_threatening_a_reading_or_now(text):
    assert _always_doubting().assess(text).status == REPORT


@pytest.mark.parametrize("text", [
    "We had a lovely afternoon at the park with his cousins and afterwards he said his chest hurt",
    "今天下午我们带他去公园玩了一会儿，回来以后他说胸口疼，一直揉着胸口",
])
def test_a_red_flag_in_a_message_that_does_not_sound_like_a_report_is_asked_about(text):
    """A red flag is asked about ("is this happening to your child now?", escalated on yes), not
    dropped, when the model is sure enough that the message is no report (DOUBT_RED_BELOW)."""
    found = _always_doubting().assess(text)
    assert found.status == ASK and found.severity == "red"
    assert Detector(detector().lexicon).assess(text).status == REPORT
    assert second.words(text) >= second.DOUBT_RED_MIN_WORDS


def test_an_anaphylaxis_made_of_two_signs_is_never_doubted():
    """A rash with fast breathing is an emergency only together: the doubt looks at the whole."""
    text = "During the first cycle he was in hospital the whole time, we are at home and he has a rash and is breathing fast"
    found = _always_doubting().assess(text)
    assert found.emergency and found.status == REPORT


def test_the_urgency_model_never_trains_on_held_out_cases():
    emergencies, others = second.urgency_texts()
    held_out = {c.text for c in load_cases() if c.split == HOLDOUT}
    assert emergencies and others and not held_out & (set(emergencies) | set(others))


def _hearing_urgency(always: bool) -> Detector:
    """The shipped lexicon with an urgency model that hears an emergency in every message, or in none."""
    return Detector(detector().lexicon, urgency=second.SecondOpinion.of({}, intercept=5.0 if always else -5.0))


@pytest.mark.parametrize("text", ["he has a fever of 38.5", "孩子脸色发灰 手脚冰凉"])
def test_the_urgency_model_makes_a_red_report_an_emergency(text):
    plain, urgent = Detector(detector().lexicon).assess(text), _hearing_urgency(True).assess(text)
    assert plain.status == urgent.status == REPORT and plain.severity == urgent.severity == "red"
    assert not plain.emergency and urgent.emergency and second.SOUNDS_URGENT in urgent.evidence


def test_a_same_day_sign_that_sounds_like_an_emergency_is_a_red_one():
    text = "he has a small rash on his arm"
    plain, urgent = Detector(detector().lexicon).assess(text), _hearing_urgency(True).assess(text)
    assert plain.severity == "amber" and not plain.emergency
    assert (urgent.status, urgent.severity, urgent.emergency) == (REPORT, "red", True)


def test_a_question_about_an_emergency_in_unknown_words_gives_the_number_while_it_asks():
    """The second opinion asks "happening now?" where the lexicon found nothing; when the message
    also sounds like an emergency, the emergency number must not wait for the parent's answer."""
    both = Detector(detector().lexicon, second=second.SecondOpinion.of({}, intercept=5.0),
                    urgency=second.SecondOpinion.of({}, intercept=5.0))
    found = both.assess("he went all funny on the sofa, please help")
    assert (found.status, found.severity, found.emergency, found.categories) == (ASK, "red", True, ["unwell"])


def test_a_doubted_report_that_sounds_like_an_emergency_still_gets_the_number():
    """Doubted into a question, a same-day sign told like an emergency keeps the emergency number."""
    both = Detector(detector().lexicon, second=second.SecondOpinion.of({}, intercept=-5.0),
                    urgency=second.SecondOpinion.of({}, intercept=5.0))
    found = both.assess("he has a small rash on his arm")
    assert (found.status, found.severity, found.emergency) == (ASK, "red", True)


def test_a_few_words_only_asked_about_need_the_highest_urgency():
    """"正在抽烟" (someone smoking) sounds urgent to the model, but is two words asked about."""
    urgency = second.urgency_opinion()
    assert not second.sounds_urgent(urgency, "正在抽烟", asked=True)
    assert second.sounds_urgent(urgency, "fit 2 min ago, stopped now", asked=True)


@pytest.mark.parametrize("text", ["if he gets a fever, who do we call?", "thanks, all good today",
                                  "my neighbour's boy had a seizure last year"])
def test_the_urgency_model_adds_nothing_where_there_is_no_sign_to_escalate(text):
    assert _hearing_urgency(True).assess(text) == Detector(detector().lexicon).assess(text)


def test_the_urgency_model_never_takes_urgency_away():
    for text in ("he's having a seizure right now", "宝宝嘴唇发紫，喘不上气", "she is bleeding and it will not stop"):
        assert _hearing_urgency(False).assess(text).emergency, text


@pytest.mark.parametrize("text", ["孩子脸色发灰 手脚冰凉 叫了半天才哼一声",
                                  "she's breathing with her whole tummy, it's going in and out really hard with every breath"])
def test_a_red_report_in_lay_words_that_sounds_like_an_emergency_is_one(text):
    """The lexicon reads these as red, not as emergencies; the shipped urgency model hears one."""
    assert Detector(detector().lexicon).assess(text).emergency is False
    found = detector().assess(text)
    assert found.status == REPORT and found.emergency, found


def test_an_ordinary_red_report_is_not_made_an_emergency():
    for text in ("he has a fever of 38.5", "孩子发烧38度9", "his PICC line is leaking", "孩子尿血了"):
        assert not detector().assess(text).emergency, text
