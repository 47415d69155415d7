"""Property-based tests (hypothesis): whatever a client sends to the chat API or a nurse types
into console forms, the answer is never a 5xx and never shows a traceback."""
from __future__ import annotations

import json

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.console_client import client, console_app, console_session

JSONISH = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=50),
                       lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
                       max_leaves=10)
MESSAGES = st.text(min_size=1, max_size=300) | st.sampled_from(
    ["/restart", "/", "//", "/faq{\"topic\": \"nope\"}", "/confirm_report", "/deny_report", "{{ 7*7 }}",
     "\u202e\u0000", "ⅷ" * 300, "抽" * 500, "38.5 " * 60])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.fixed_dictionaries({"sender": st.from_regex(r"[A-Za-z0-9_-]{1,64}", fullmatch=True),
                                   "message": MESSAGES},
                                  optional={"lang": st.sampled_from(["en", "zh", "fr", None]), "clinic": st.text(max_size=8),
                                            "extra": JSONISH}))
def test_chat_api_never_answers_with_a_server_error(stack, body):
    response = httpx.post(stack.url + "/api/chat", json=body, timeout=60)
    assert response.status_code < 500, (body, response.text)
    assert "Traceback" not in response.text


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=300) | JSONISH.map(lambda v: json.dumps(v).encode()))
def test_chat_api_survives_any_body(stack, raw):
    response = httpx.post(stack.url + "/api/chat", content=raw, headers={"Content-Type": "application/json"}, timeout=60)
    assert response.status_code < 500 and "Traceback" not in response.text


def test_console_forms_never_answer_with_a_server_error(tmp_path_factory):
    app = console_app(tmp_path_factory.mktemp("fuzz"), {"ada": "admin"})
    browser = client(app)
    csrf = console_session(browser, "ada")
    text = st.text(max_size=80)

    @settings(max_examples=60, deadline=None)
    @given(form=st.fixed_dictionaries({"id": text, "category": text, "en_title": text, "en_questions": text,
                                       "en_answer": text, "en_sources": text, "zh_title": text,
                                       "zh_questions": text, "zh_answer": text, "zh_sources": text}),
           path=st.sampled_from(["/console/articles/new", "/console/articles/fever", "/console/settings"]))
    def post(form, path):
        response = browser.post(path, data={**form, "csrf_token": csrf})
        assert response.status_code < 500, (path, form, response.text[:300])
        assert "Traceback" not in response.text

    post()
