"""Every row of the chat API's error table, against the real gateway; none loses the service."""
from __future__ import annotations

import json
import time

import httpx
import pytest
from starlette.testclient import TestClient

from bot.gateway.app import create_app
from bot.settings import load_settings
from tests.stack import free_port, new_sender

JSON = {"Content-Type": "application/json"}

BAD_REQUESTS = [
    # (name, raw body, headers, status, code)
    ("malformed JSON", b'{"sender": "a", "message": ', JSON, 400, "invalid_json"),
    ("not UTF-8", b'{"sender": "a", "message": "\xff"}', JSON, 400, "invalid_json"),
    ("not an object", b'["hello"]', JSON, 400, "invalid_json"),
    ("missing sender", json.dumps({"message": "hi"}).encode(), JSON, 400, "missing_sender"),
    ("sender with a space", json.dumps({"sender": "a b", "message": "hi"}).encode(), JSON, 400, "invalid_sender"),
    ("sender too long", json.dumps({"sender": "a" * 65, "message": "hi"}).encode(), JSON, 400, "invalid_sender"),
    ("sender not text", json.dumps({"sender": 42, "message": "hi"}).encode(), JSON, 400, "invalid_sender"),
    ("missing message", json.dumps({"sender": "abc"}).encode(), JSON, 400, "missing_message"),
    ("blank message", json.dumps({"sender": "abc", "message": "   \n "}).encode(), JSON, 400, "invalid_message"),
    ("message not text", json.dumps({"sender": "abc", "message": ["hi"]}).encode(), JSON, 400, "invalid_message"),
    ("message too long", json.dumps({"sender": "abc", "message": "a" * 1001}).encode(), JSON, 400, "message_too_long"),
    ("expands past the limit", json.dumps({"sender": "abc", "message": "ⅷ" * 1000}).encode(), JSON, 400, "message_too_long"),
    ("lone surrogate", b'{"sender": "abc", "message": "\\ud83d hi"}', JSON, 400, "invalid_message"),
    ("bad lang", json.dumps({"sender": "abc", "message": "hi", "lang": "fr"}).encode(), JSON, 400, "invalid_lang"),
    ("bad clinic id", json.dumps({"sender": "abc", "message": "hi", "clinic": "../etc"}).encode(), JSON, 400, "invalid_clinic"),
    ("unknown clinic", json.dumps({"sender": "abc", "message": "hi", "clinic": "nowhere"}).encode(), JSON, 404, "unknown_clinic"),
    ("body over 8 KiB", json.dumps({"sender": "abc", "message": "hi", "pad": "x" * 9000}).encode(), JSON, 413, "body_too_large"),
    ("form post", b"sender=abc&message=hi", {"Content-Type": "application/x-www-form-urlencoded"}, 415, "unsupported_media_type"),
    ("no content type", b'{"sender": "abc", "message": "hi"}', {}, 415, "unsupported_media_type"),
]


@pytest.mark.parametrize("name,body,headers,status,code", BAD_REQUESTS, ids=[r[0] for r in BAD_REQUESTS])
def test_bad_request_gets_a_clear_error_and_the_service_carries_on(stack, name, body, headers, status, code):
    response = httpx.post(stack.url + "/api/chat", content=body, headers=headers)
    assert response.status_code == status
    error = response.json()["error"]
    assert error["code"] == code and error["message"] and "Traceback" not in response.text
    assert stack.chat("can my child have a bath")["meta"]["kind"] == "answer"


def test_a_message_of_exactly_1000_characters_after_trimming_is_accepted(stack):
    message = "  " + "is the pump safe " * 58 + "x" * 14 + "  "
    assert len(message.strip()) == 1000
    assert stack.post({"sender": new_sender(), "message": message}).status_code == 200


def test_error_messages_follow_the_ui_language(stack):
    response = stack.post({"sender": "abc", "message": "x" * 1001, "lang": "zh"})
    assert response.json()["error"]["message"] == "每条消息最多 1000 个字符。"


def test_unknown_routes_and_methods_use_the_error_shape(stack):
    assert httpx.get(stack.url + "/nope").json()["error"]["code"] == "not_found"
    wrong = httpx.get(stack.url + "/api/chat")
    assert wrong.status_code == 405 and wrong.json()["error"]["code"] == "method_not_allowed"


def test_cors_allows_the_clinics_origins_and_refuses_others(stack):
    allowed = {"Origin": "http://localhost:8000"}
    ok = stack.post({"sender": new_sender(), "message": "hello"}, headers=allowed)
    assert ok.status_code == 200 and ok.headers["access-control-allow-origin"] == "http://localhost:8000"
    refused = stack.post({"sender": new_sender(), "message": "hello"}, headers={"Origin": "https://evil.example"})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "origin_not_allowed"
    preflight = httpx.options(stack.url + "/api/chat", headers={
        **allowed, "Access-Control-Request-Method": "POST"})
    assert preflight.status_code == 204 and preflight.headers["access-control-allow-methods"] == "POST"
    assert httpx.options(stack.url + "/api/chat", headers={"Origin": "https://evil.example"}).status_code == 403


def gateway_client(stack, monkeypatch, raise_server_exceptions: bool = True, **env) -> TestClient:
    """A second, in-process gateway on the stack's database, with its own settings."""
    for key in ("CAREBOT_DATABASE_URL", "RASA_PORT", "ACTIONS_PORT", "CAREBOT_RASA_TOKEN"):
        monkeypatch.setenv(key, stack.env[key])
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return TestClient(create_app(load_settings()), raise_server_exceptions=raise_server_exceptions)


def test_rate_limits_per_sender_and_per_address(stack, monkeypatch):
    with gateway_client(stack, monkeypatch, CAREBOT_RATE_LIMIT="sender=2/60,address=4/60") as client:
        sender = new_sender()
        for _ in range(2):
            assert client.post("/api/chat", json={"sender": sender, "message": "hello"}).status_code == 200
        limited = client.post("/api/chat", json={"sender": sender, "message": "hello"})
        assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1
        assert limited.json()["error"]["code"] == "rate_limited"
        assert "+1 555 0199" in limited.json()["error"]["message"]
        # Another conversation from the same address still gets through, up to the address limit.
        assert client.post("/api/chat", json={"sender": new_sender(), "message": "hi"}).status_code == 200
        assert client.post("/api/chat", json={"sender": new_sender(), "message": "hi"}).status_code == 200
        assert client.post("/api/chat", json={"sender": new_sender(), "message": "hi"}).status_code == 429


def test_a_rate_limited_warning_sign_still_gets_the_numbers_in_the_parents_language(stack, monkeypatch):
    with gateway_client(stack, monkeypatch, CAREBOT_RATE_LIMIT="sender=1/60") as client:
        sender = new_sender()
        assert client.post("/api/chat", json={"sender": sender, "message": "hello"}).status_code == 200
        limited = client.post("/api/chat", json={"sender": sender, "message": "孩子在抽搐，叫不醒", "lang": "en"})
        message = limited.json()["error"]["message"]
        assert limited.status_code == 429 and "消息太多" in message
        assert "+1 555 0199" in message and "911" in message


def test_backend_down_is_a_503_that_still_gives_the_care_team_number(stack, monkeypatch):
    with gateway_client(stack, monkeypatch, RASA_PORT=str(free_port())) as client:
        response = client.post("/api/chat", json={"sender": "abc", "message": "hello", "lang": "zh"})
        assert response.status_code == 503
        assert response.json()["error"]["code"] == "unavailable"
        assert "+1 555 0199" in response.json()["error"]["message"]
        health = client.get("/healthz")
        assert health.status_code == 503 and health.json()["not_ready"] == ["rasa"]


def test_healthz_names_the_action_server_when_it_is_down(stack, monkeypatch):
    with gateway_client(stack, monkeypatch, ACTIONS_PORT=str(free_port())) as client:
        assert client.get("/healthz").json()["not_ready"] == ["actions"]


def test_a_hostile_message_never_stalls_another_familys(stack):
    """Sent together: the costly-looking messages and a normal one; all answered fast."""
    import concurrent.futures

    bodies = {"viii": {"sender": new_sender(), "message": "ⅷ" * 1000},
              "letters": {"sender": new_sender(), "message": "a" * 1000},
              "normal": {"sender": new_sender(), "message": "can she have a bath with the pump"}}

    def timed(body):
        started = time.monotonic()
        response = httpx.post(stack.url + "/api/chat", json=body, timeout=30)
        return response.status_code, time.monotonic() - started

    stack.chat("hello")  # warm
    with concurrent.futures.ThreadPoolExecutor(3) as pool:
        results = dict(zip(bodies, pool.map(timed, bodies.values())))
    assert results["viii"][0] == 400 and results["viii"][1] < 1.0
    assert results["letters"][0] == 200 and results["letters"][1] < 1.0
    assert results["normal"][0] == 200 and results["normal"][1] < 1.5, results


def test_security_headers_on_public_pages_and_no_caching_of_families_words(stack):
    from bot.gateway.widget import SCRIPT_PATH

    for path in ("/", "/widget.js", SCRIPT_PATH):
        response = httpx.get(stack.url + path)
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "default-src" in response.headers["Content-Security-Policy"]
    reply = httpx.post(stack.url + "/api/chat", json={"sender": new_sender(), "message": "hello"})
    assert reply.headers["Cache-Control"] == "no-store" and reply.headers["X-Content-Type-Options"] == "nosniff"
    login = httpx.get(stack.url + "/console/login")
    assert "frame-ancestors 'none'" in login.headers["Content-Security-Policy"]  # the console cannot be framed


def test_a_clinics_own_number_is_given_when_its_request_fails(stack, monkeypatch):
    """Whatever breaks, the family sees its own clinic's number, never the default clinic's."""
    client = gateway_client(stack, monkeypatch, raise_server_exceptions=False)
    gateway = client.app.state.gateway

    async def broken(*args, **kwargs):
        raise RuntimeError("a bug")
    monkeypatch.setattr(gateway.rasa, "chat", broken)
    gateway.stores.clinics.save(dict(gateway.stores.clinics.get("demo"), id="other-clinic", phone_24h="+1 555 0777"))
    with client:
        response = client.post("/api/chat", json={"sender": "abc", "message": "hi", "clinic": "other-clinic", "lang": "zh"})
    assert response.status_code == 503 and "+1 555 0777" in response.json()["error"]["message"]
    assert "Traceback" not in response.text
