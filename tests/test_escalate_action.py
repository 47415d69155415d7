"""The red-flag actions on their own, with tracker fixtures: a storage failure never swallows the
instructions; an unsure sign is asked about, and the yes or no acts on the message asked about."""
from __future__ import annotations

import asyncio

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import turn
from actions.answer import ActionAnswer
import pytest
import yaml

from actions.escalate import ActionEscalate, instructions
from bot.clinics import DEMO_CLINIC_FILE, validate_clinic
from bot.redflags.detector import ASK, detector

# Every write to the escalations table fails, as on a full disk.
BROKEN_ESCALATIONS = {
    "sqlite": ["create trigger broken before insert on escalations begin select raise(abort, 'disk full'); end"],
    "postgresql": ["create function broken() returns trigger language plpgsql as "
                   "$$ begin raise exception 'disk full'; end $$",
                   "create trigger broken before insert on escalations for each row execute function broken()"]}


def test_instructions_still_go_out_when_the_escalation_cannot_be_stored(database, monkeypatch):
    monkeypatch.setenv("CAREBOT_DATABASE_URL", database.engine.url.render_as_string(hide_password=False))
    turn.stores.cache_clear()
    turn.stores().clinics.seed_demo()
    for statement in BROKEN_ESCALATIONS[database.dialect]:
        database.execute(statement)
    try:
        text = "she is struggling to breathe"
        tracker = Tracker.from_dict({"sender_id": "demo:t1", "slots": {"language": "en"}, "events": [],
                                     "latest_message": {"text": text, "metadata": {"clinic": "demo"},
                                                        "red_flags": detector().assess(text).as_dict()}})
        dispatcher = CollectingDispatcher()
        asyncio.run(ActionEscalate().run(dispatcher, tracker, {}))
    finally:
        turn.stores().db.dispose()
        turn.stores.cache_clear()
    reply, meta = dispatcher.messages[0], dispatcher.messages[1]["custom"]["meta"]
    assert reply["text"].startswith("This can be an emergency. Call 911 now.")
    assert "I could not confirm that the care team received an alert. Please call them now." in reply["text"]
    assert meta["kind"] == "escalation" and meta["severity"] == "red" and meta["escalation_id"] is None
    assert meta["alerted"] is False  # the reply says to call: the widget need not say it again


DEMO = validate_clinic(yaml.safe_load(DEMO_CLINIC_FILE.read_text(encoding="utf-8")))
IF_WORSE = {"en": "If your child has a fit, cannot be woken", "zh": "如果孩子抽搐、叫不醒"}


def what_to_do(text: str, lang: str) -> str:
    return instructions(detector().assess(text).as_dict(), lang, DEMO, detector().lexicon)


@pytest.mark.parametrize("text, lang", [("he seems really confused and doesn't know where he is", "en"),
                                        ("his breathing is really fast", "en"),
                                        ("孩子说话颠三倒四，好像不认识我们了", "zh"),
                                        ("孩子鼻子出血了，按了一会儿还在流", "zh")])
def test_a_red_sign_that_can_turn_life_threatening_says_when_to_call_the_emergency_number(text, lang):
    """A seizure told as "confused" is still red, not an emergency: the family learns without being
    asked which changes mean the emergency number (38 held-out emergencies read as plain red)."""
    flags = detector().assess(text)
    assert flags.severity == "red" and not flags.emergency
    assert IF_WORSE[lang] in what_to_do(text, lang) and DEMO["emergency_number"] in what_to_do(text, lang)


@pytest.mark.parametrize("text, lang", [("she has a temperature of 38.6", "en"), ("孩子发烧39度", "zh"),
                                        ("he is having a seizure right now", "en")])
def test_no_conditional_emergency_line_for_a_fever_or_a_declared_emergency(text, lang):
    """A fever reading alone has no life-threatening form of its own; an emergency already says "call now"."""
    assert IF_WORSE[lang] not in what_to_do(text, lang)


def user_event(text: str, intent: str, **parse) -> dict:
    return {"event": "user", "text": text, "metadata": {"clinic": "demo"},
            "parse_data": {"text": text, "intent": {"name": intent, "confidence": 1.0}, **parse}}


def tracker_after(*events: dict, lang: str = "en") -> Tracker:
    latest = events[-1]
    return Tracker.from_dict({"sender_id": "demo:t2", "slots": {"language": lang}, "events": list(events),
                              "latest_message": {**latest["parse_data"], "metadata": latest["metadata"]}})


def asked(text: str) -> dict:
    """The user event of a message the detector is unsure about, as Rasa stores it."""
    flags = detector().assess(text).as_dict()
    assert flags["status"] == ASK, flags
    selector = {"faq": {"response": {"intent_response_key": "faq/neurotoxicity", "confidence": 0.9}}}
    return user_event(text, "report_symptom", red_flags=flags, response_selector=selector)


def run_action(action, tracker: Tracker) -> tuple[dict, dict]:
    dispatcher = CollectingDispatcher()
    asyncio.run(action.run(dispatcher, tracker, {}))
    return dispatcher.messages[0], dispatcher.messages[-1]["custom"]["meta"]


def test_a_bare_life_threatening_sign_gets_first_aid_and_the_question_at_once(stores):
    reply, meta = run_action(ActionEscalate(), tracker_after(asked("seizure")))
    assert reply["text"].startswith("This can be an emergency. Call 911 now.")
    assert "Is this happening to your child now?" in reply["text"]
    payloads = [b["payload"] for b in reply["buttons"]]
    assert payloads[0].startswith("tel:") and payloads[-2:] == ["/confirm_report", "/deny_report"]
    assert meta["kind"] == "clarify" and meta["clarify"] == "report" and meta["severity"] == "red"
    assert stores.escalations.list("demo") == []  # nobody paged on a guess


def test_another_red_sign_asked_about_gets_its_first_aid_and_the_24_hour_number(stores):
    """A pump that will not stop alarming, said of nobody: the safe steps (check the tubing and
    clamps, do not reprogram) and the 24-hour number come with the question, not after it."""
    reply, meta = run_action(ActionEscalate(), tracker_after(asked("pump wont stop beepin n the screen says occlusion")))
    text = reply["text"]
    assert "check that the tubing is not kinked" in text and "Do not restart or reprogram the pump" in text
    assert text.index("Do not restart") < text.index("Is this happening to your child now?")
    assert "911" not in text  # not an emergency: no emergency number on a guess
    assert [b["payload"] for b in reply["buttons"]] == ["tel:+15550199", "/confirm_report", "/deny_report"]
    assert meta["kind"] == "clarify" and meta["severity"] == "red" and stores.escalations.list("demo") == []


def test_a_question_that_only_sounds_like_a_report_gets_the_question_alone(stores):
    """The second opinion's "unwell" (no sign named) is not made an urgent card."""
    flags = {"severity": "red", "emergency": False, "categories": ["unwell"], "evidence": [""],
             "temperature_c": None, "status": ASK}
    reply, meta = run_action(ActionEscalate(), tracker_after(user_event("Am I going to be home-bound?", "report_symptom",
                                                                        red_flags=flags)))
    assert reply["text"].startswith("Is this happening to your child now?")
    assert [b["payload"] for b in reply["buttons"]] == ["/confirm_report", "/deny_report"]
    assert meta["kind"] == "clarify" and stores.escalations.list("demo") == []


def heard_urgent(text: str, lang: str, categories: list[str], severity: str = "red") -> Tracker:
    """A message asked about that the urgency model heard as an emergency, no sign naming one."""
    flags = {"severity": severity, "emergency": True, "categories": categories,
             "evidence": ["", "(sounds like an emergency)"], "temperature_c": None, "status": ASK}
    return tracker_after(user_event(text, "report_symptom", red_flags=flags), lang=lang)


@pytest.mark.parametrize("lang, text, line", [
    ("en", "fit 2 mins ago stopped now", "If your child has a fit, cannot be woken"),
    ("zh", "刚才那样了一下 现在不动", "如果孩子抽搐")])
def test_a_message_that_only_sounds_like_an_emergency_gets_the_number_with_the_question(stores, lang, text, line):
    """When to call the emergency number comes first, with its button, without claiming that it
    is one; the 24-hour number is in the text too; nobody is paged."""
    reply, meta = run_action(ActionEscalate(), heard_urgent(text, lang, ["unwell"]))
    assert reply["text"].startswith(line) and "911" in reply["text"].split("\n\n")[0]
    assert "This can be an emergency" not in reply["text"] and "这可能是紧急情况" not in reply["text"]
    assert "+1 555 0199" in reply["text"]
    payloads = [b["payload"] for b in reply["buttons"]]
    assert payloads[0] == "tel:911" and payloads[-2:] == ["/confirm_report", "/deny_report"]
    assert meta["kind"] == "clarify" and meta["clarify"] == "report" and stores.escalations.list("demo") == []


def test_a_named_sign_that_only_sounds_urgent_gets_the_conditional_line_and_its_first_aid(stores):
    """Urgency heard in a question about a named, non-emergency red flag: the emergency number
    comes with "if", not as "this can be an emergency"."""
    reply, _ = run_action(ActionEscalate(), heard_urgent("pump wont stop beepin n the screen says occlusion", "en",
                                                         ["pump_failure"]))
    text = reply["text"]
    assert text.startswith("If your child has a fit") and "This can be an emergency" not in text
    assert "Do not restart or reprogram the pump" in text and "+1 555 0199" in text
    assert [b["payload"] for b in reply["buttons"]][0] == "tel:911"


def test_yes_escalates_the_message_that_was_asked_about(stores):
    confirm = user_event("/confirm_report", "confirm_report")
    reply, meta = run_action(ActionEscalate(), tracker_after(asked("seizure"), confirm))
    assert meta["kind"] == "escalation" and meta["severity"] == "red" and meta["escalation_id"]
    assert stores.escalations.get(meta["escalation_id"])["message"] == "seizure"
    assert reply["text"].startswith("This can be an emergency. Call 911 now.")


def test_no_answers_the_question_that_was_asked_about(stores):
    deny = user_event("/deny_report", "deny_report")
    reply, meta = run_action(ActionAnswer(), tracker_after(asked("seizure"), deny))
    assert meta["kind"] == "answer" and meta["topic"] == "neurotoxicity"
    assert stores.escalations.list("demo") == []


def test_a_yes_out_of_the_blue_pages_nobody(stores):
    chat = user_event("hello", "greet")
    reply, meta = run_action(ActionEscalate(), tracker_after(chat, user_event("/confirm_report", "confirm_report")))
    assert meta["kind"] == "fallback" and stores.escalations.list("demo") == []


def test_a_seizure_with_blue_lips_gets_one_first_aid_position(stores):
    text = "he is having a seizure and his lips are turning blue"
    flags = detector().assess(text).as_dict()
    assert {"neuro", "breathing"} <= set(flags["categories"]), flags
    reply, meta = run_action(ActionEscalate(), tracker_after(user_event(text, "report_symptom", red_flags=flags)))
    assert meta["kind"] == "escalation"
    assert "on their side" in reply["text"] and "Sit your child up" not in reply["text"]
    assert [b["payload"] for b in reply["buttons"]][:2] == ["tel:911", "tel:+15550199"]


def test_what_is_stored_and_forget_me_are_answered_in_the_chat(stores):
    from actions.privacy import ActionPrivacy

    summary, meta = run_action(ActionPrivacy(), tracker_after(user_event("what do you know about me", "ask_stored_data")))
    assert "for 90 days" in summary["text"] and "https://clinic.example/privacy" in summary["text"]
    assert [b["payload"] for b in summary["buttons"]] == ["/forget_me"] and meta["kind"] == "chitchat"
    ask, _ = run_action(ActionPrivacy(), tracker_after(user_event("/forget_me", "forget_me")))
    assert "Delete this conversation" in ask["text"]
    assert [b["payload"] for b in ask["buttons"]] == ["/confirm_forget", "/keep_conversation"]
