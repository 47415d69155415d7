"""Red flags through the public chat API: instructions first, the team alerted, acknowledged."""
from __future__ import annotations

import time

import httpx

from bot.clinics import ClinicRegistry
from bot.escalation.store import EscalationStore
from tests.conftest import ACK_TOKEN, demo_clinic_alerting
from tests.stack import free_port, new_sender, wait_until



def test_a_reported_fever_is_escalated_and_the_team_alerted(stack, webhook, mail):
    reply = stack.chat("my son is burning up, 39.2 on the thermometer")
    meta = reply["meta"]
    assert meta["kind"] == "escalation" and meta["severity"] == "red" and meta["lang"] == "en"
    assert isinstance(meta["escalation_id"], int)
    text = reply["messages"][0]["text"]
    assert text.startswith("Call the care team now, day or night: +1 555 0199.")
    assert "I have also sent an alert to the care team." in text
    assert reply["messages"][0]["buttons"] == [{"title": "Call the care team (24 hours)", "payload": "tel:+15550199"},
                                               {"title": "Call 911", "payload": "tel:911"}]
    assert wait_until(lambda: any(r["body"]["id"] == meta["escalation_id"] for r in webhook.received))
    delivered = next(r["body"] for r in webhook.received if r["body"]["id"] == meta["escalation_id"])
    assert delivered["categories"] == ["fever"] and delivered["temperature_c"] == 39.2
    assert wait_until(lambda: any(f"Escalation #{meta['escalation_id']}:" in m["content"] for m in mail.messages))


def test_life_threatening_signs_put_the_emergency_number_first(stack):
    reply = stack.chat("孩子在抽筋，叫不醒")
    assert reply["meta"]["kind"] == "escalation" and reply["meta"]["lang"] == "zh"
    message = reply["messages"][0]
    assert message["text"].startswith("这可能是紧急情况。请马上拨打 911。")
    assert [b["payload"] for b in message["buttons"]][:2] == ["tel:911", "tel:+15550199"]


def test_amber_sign_asks_for_a_call_today(stack):
    reply = stack.chat("she's been throwing up all afternoon and can't keep water down")
    assert reply["meta"]["kind"] == "escalation" and reply["meta"]["severity"] == "amber"
    assert reply["messages"][0]["text"].startswith("Call the care team today: +1 555 0100")


def test_questions_and_negations_get_the_article_not_an_escalation(stack):
    for message in ("what should I do if he gets a fever?", "can blina cause seizures", "no fever today, just tired",
                    "如果发烧怎么办", "会不会抽搐", "孩子没有发烧"):
        meta = stack.chat(message)["meta"]
        assert meta["kind"] != "escalation", message


def test_a_report_wrapped_in_a_question_escalates_at_once(stack):
    for message in ("孩子发烧39度，正常吗", "he's had a seizure, is this a side effect of blina?",
                    "my daughter's lips are going blue, which number should i ring"):
        meta = stack.chat(message)["meta"]
        assert meta["kind"] == "escalation" and meta["severity"] == "red", message


def test_a_bare_sign_is_asked_about_and_yes_escalates_it(stack):
    sender = new_sender()
    asked = stack.chat("seizure", sender)
    assert asked["meta"]["kind"] == "clarify" and asked["meta"]["clarify"] == "report"
    message = asked["messages"][0]
    assert message["text"].startswith("This can be an emergency. Call 911 now.")  # first aid at once
    assert [b["payload"] for b in message["buttons"]][-2:] == ["/confirm_report", "/deny_report"]
    confirmed = stack.chat("/confirm_report", sender, lang="en")["meta"]
    assert confirmed["kind"] == "escalation" and confirmed["severity"] == "red" and confirmed["escalation_id"]


def test_no_to_the_question_gets_the_answer_in_the_parents_language(stack):
    sender = new_sender()
    asked = stack.chat("抽搐", sender)
    assert asked["meta"]["kind"] == "clarify" and "现在" in asked["messages"][0]["text"]
    denied = stack.chat("/deny_report", sender, lang="zh")["meta"]
    assert denied["kind"] in ("answer", "fallback") and denied["lang"] == "zh"


def test_a_leading_slash_does_not_skip_the_detector_and_restart_is_ordinary_text(stack):
    meta = stack.chat("/ my child is not breathing")["meta"]
    assert meta["kind"] == "escalation" and meta["severity"] == "red"
    for message in ("/restart", "/session_start", "/confirm_report{}"):
        assert stack.chat(message)["meta"]["kind"] in ("fallback", "answer", "chitchat"), message


def test_a_temperature_below_the_threshold_gets_the_fever_advice(stack):
    meta = stack.chat("his temperature is 37.6, should I worry?")["meta"]
    assert meta["kind"] == "answer" and meta["topic"] == "fever"


def test_a_repeat_report_updates_the_open_escalation_without_paging_again(stack, webhook):
    sender = new_sender()
    first = stack.chat("the pump has stopped and the screen is blank", sender)["meta"]
    assert first["kind"] == "escalation"
    assert wait_until(lambda: any(r["body"]["id"] == first["escalation_id"] for r in webhook.received))
    second = stack.chat("the pump still stopped!!", sender)
    assert second["meta"]["escalation_id"] == first["escalation_id"]
    assert "Call the care team now" in second["messages"][0]["text"]  # instructions every time
    time.sleep(1)
    assert sum(r["body"]["id"] == first["escalation_id"] for r in webhook.received) == 1
    listed = httpx.get(f"{stack.url}/api/clinics/demo/escalations",
                       headers={"Authorization": f"Bearer {ACK_TOKEN}"}).json()["escalations"]
    record = next(e for e in listed if e["id"] == first["escalation_id"])
    assert record["reports"] == 2 and record["conversation"] == f"demo:{sender}"
    assert {d["status"] for d in record["deliveries"]} == {"delivered"}


def test_unconfirmed_delivery_is_never_claimed(stack, webhook):
    registry = ClinicRegistry(stack.database())
    dead = f"http://127.0.0.1:{free_port()}/alerts"
    registry.save(demo_clinic_alerting(webhook, webhook_url=dead, email_to=None, confirm_seconds=1))
    try:
        reply = stack.chat("she is struggling to breathe")
        assert reply["meta"]["kind"] == "escalation"
        text = reply["messages"][0]["text"]
        assert "I could not confirm that the care team received an alert. Please call them now." in text
        assert "I have also sent an alert" not in text
    finally:
        registry.save(demo_clinic_alerting(webhook))


def test_the_care_team_acknowledges_with_its_token(stack):
    escalation_id = stack.chat("there is pus around his picc line")["meta"]["escalation_id"]
    url = f"{stack.url}/api/clinics/demo/escalations/{escalation_id}/ack"
    assert httpx.post(url).status_code == 401
    assert httpx.post(url, headers={"Authorization": "Bearer wrong"}).status_code == 401
    ok = httpx.post(url, headers={"Authorization": f"Bearer {ACK_TOKEN}"}, json={"by": "Nurse Li"})
    assert ok.status_code == 200
    assert ok.json()["acknowledged_by"] == "Nurse Li" and ok.json()["acknowledged_at"]
    missing = httpx.post(f"{stack.url}/api/clinics/demo/escalations/999999/ack",
                         headers={"Authorization": f"Bearer {ACK_TOKEN}"})
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "unknown_escalation"


def test_the_escalation_is_stored_before_anything_else(stack):
    meta = stack.chat("he fainted and he's cold and clammy")["meta"]
    row = EscalationStore(stack.database()).get(meta["escalation_id"])
    assert row["clinic"] == "demo" and row["severity"] == "red" and "circulation" in row["categories"]
    assert row["message"] == "he fainted and he's cold and clammy" and row["created_at"]
