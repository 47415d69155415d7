"""The public chat API against the real stack: answers, languages, chitchat, fallback, edits."""
from __future__ import annotations

import re

from bot.content.store import ContentStore
from tests.stack import ROOT, new_sender, published


def test_english_question_gets_the_curated_english_answer(stack):
    reply = stack.chat("my kid's pump keeps beeping, what should I check?")
    meta = reply["meta"]
    assert meta["kind"] == "answer" and meta["topic"] == "pump_alarm" and meta["lang"] == "en"
    assert meta["reviewed_on"] == published(stack, "pump_alarm")["reviewed_on"] and meta["sources"]
    text = reply["messages"][0]["text"]
    assert "Never change the pump settings" in text
    assert "+1 555 0199" in text and "{{" not in text  # the demo clinic's 24-hour number


def test_chinese_question_gets_the_chinese_answer(stack):
    # (With the drug's name in front, "双抗的泵一直嘀嘀叫…", the faster model of December 2026 is
    # no longer sure enough and falls back: a known regression, see README "Real families' wording".)
    reply = stack.chat("泵一直嘀嘀叫，要怎么处理")
    assert reply["meta"]["kind"] == "answer" and reply["meta"]["topic"] == "pump_alarm"
    assert reply["meta"]["lang"] == "zh"
    assert "千万不要改泵的设置" in reply["messages"][0]["text"]


def test_reply_follows_the_language_of_each_message(stack):
    sender = new_sender()
    assert stack.chat("hi there", sender)["meta"]["lang"] == "en"
    assert stack.chat("宝宝可以洗澡吗", sender)["meta"]["lang"] == "zh"
    assert stack.chat("can she take a shower with the line", sender)["meta"]["lang"] == "en"
    # A code-mixed message is answered in Chinese.
    assert stack.chat("PICC line 需要多久换一次敷料", sender)["meta"]["lang"] == "zh"


def test_ui_language_is_only_a_hint_for_messages_without_letters(stack):
    sender = new_sender()
    assert stack.chat("👍", sender, lang="zh")["meta"]["lang"] == "zh"
    assert stack.chat("hello", sender, lang="zh")["meta"]["lang"] == "en"  # the text wins
    # No letters and no hint: the conversation keeps its language.
    assert stack.chat("你好", sender)["meta"]["lang"] == "zh"
    assert stack.chat("38.5", sender)["meta"]["lang"] == "zh"


def test_greeting_carries_the_disclaimer_and_the_bot_says_it_is_not_a_person(stack):
    greeting = stack.chat("good evening")
    assert greeting["meta"]["kind"] == "chitchat"
    assert "do not replace your child's care team" in greeting["messages"][0]["text"]
    zh = stack.chat("您好")
    assert zh["meta"] == {**zh["meta"], "kind": "chitchat", "lang": "zh"}
    assert "不能代替" in zh["messages"][0]["text"]
    person = stack.chat("am I chatting with a real human?")
    assert person["meta"]["kind"] == "chitchat"
    assert "automated assistant, not a person" in person["messages"][0]["text"]


def test_thanks_goodbye_and_switching_language(stack):
    sender = new_sender()
    assert stack.chat("thanks a lot", sender)["meta"]["kind"] == "chitchat"
    switched = stack.chat("please answer in Chinese", sender)
    assert switched["meta"] == {**switched["meta"], "kind": "chitchat", "lang": "zh"}
    assert "中文" in switched["messages"][0]["text"]
    assert stack.chat("👌", sender)["meta"]["lang"] == "zh"
    bye = stack.chat("再见", sender)
    assert bye["meta"]["kind"] == "chitchat" and "+1 555 0199" in bye["messages"][0]["text"]


def test_out_of_scope_falls_back_honestly_and_is_logged_for_nurses(stack):
    question = "what's the best pizza place downtown"
    reply = stack.chat(question)
    assert reply["meta"]["kind"] == "fallback" and reply["meta"]["topic"] is None
    first, then = reply["messages"][0], reply["messages"][-1]["text"]
    assert "don't have a reliable answer" in first["text"] and "+1 555 0199" in then and "911" in then
    assert len(first.get("buttons", [])) <= 3    # the topics, right under their sentence
    rows = stack.database().query("select * from unanswered where text = :text", {"text": question})
    assert rows and rows[0]["lang"] == "en" and rows[0]["clinic"] == "demo" and rows[0]["at"]


def test_chinese_nonsense_falls_back_in_chinese(stack):
    reply = stack.chat("今天股市行情怎么样")
    assert reply["meta"]["kind"] == "fallback" and reply["meta"]["lang"] == "zh"
    assert "抱歉" in reply["messages"][0]["text"]


def test_near_the_field_questions_fall_back_and_money_questions_say_whom_to_ask(stack):
    for question in ("how do i renew my passport", "护照过期了怎么续", "洗衣机一直漏水怎么办"):
        assert stack.chat(question)["meta"]["kind"] == "fallback", question
    # A device of the house, not the pump: never an article. The red-flag net comes first, and its
    # second opinion may still ask "is this happening to your child now?" of a leak (it does since
    # session 42's retraining; a rule that silenced it also silenced "my phone is dying … the screen
    # on the thing says occlusion"): then "no, I'm asking" gets the fallback.
    sender = new_sender()
    reply = stack.chat("our dishwasher keeps leaking onto the floor", sender=sender)
    if reply["meta"]["kind"] == "clarify":
        assert reply["meta"]["clarify"] == "report"
        reply = stack.chat("/deny_report", sender=sender)
    assert reply["meta"]["kind"] == "fallback"
    reply = stack.chat("how much does this treatment cost, is it covered by insurance")
    assert reply["meta"]["kind"] == "fallback"
    assert "costs, insurance or reimbursement" in reply["messages"][0]["text"]
    assert "social work office on +1 555 0111" in reply["messages"][0]["text"]
    reply = stack.chat("这个药医保能报销吗")
    assert reply["meta"]["kind"] == "fallback" and "社工办公室" in reply["messages"][0]["text"]


def test_a_suggestion_button_payload_opens_that_article(stack):
    sender = new_sender()
    stack.chat("你好", sender)
    reply = stack.chat('/faq{"topic": "pump_battery"}', sender)
    assert reply["meta"]["kind"] == "answer" and reply["meta"]["topic"] == "pump_battery"
    assert reply["meta"]["lang"] == "zh"  # a payload has no language: the conversation's stays


def test_a_button_follows_the_language_of_the_interface_it_was_pressed_in(stack):
    """A quick-reply chip is the first message of many conversations: it has no words to detect."""
    first = stack.chat('/faq{"topic": "fever"}', lang="zh")
    assert first["meta"]["lang"] == "zh" and "发烧" in first["messages"][0]["text"]
    sender = new_sender()
    stack.chat("what does the pump alarm mean", sender, lang="en")
    switched = stack.chat('/faq{"topic": "fever"}', sender, lang="zh")
    assert switched["meta"]["lang"] == "zh"


def test_published_edit_is_served_at_once_and_a_draft_never_is(stack):
    store = ContentStore(stack.database())
    article = store.published("sleeping_with_pump")
    question = "where should the pump go when he sleeps at night"
    before = stack.chat(question)["messages"][0]["text"]

    draft = {**article, "status": "draft", "en": {**article["en"], "answer": "DRAFT TEXT"}}
    store.save(draft, actor="nurse-a")
    assert stack.chat(question)["messages"][0]["text"] == before

    edited = {**article, "status": "published",
              "en": {**article["en"], "answer": article["en"]["answer"] + "\n\nEdited by a nurse."}}
    store.save(edited, actor="nurse-b")
    after = stack.chat(question)
    assert after["meta"]["topic"] == "sleeping_with_pump"
    assert after["messages"][0]["text"].endswith("Edited by a nurse.")
    store.save({**article, "status": "published"}, actor="nurse-b")  # put it back


def test_replies_never_contain_unrendered_templates(stack):
    for message in ("how do i reach the team at night", "怎么联系医生", "who do I call in an emergency"):
        for item in stack.chat(message)["messages"]:
            assert not re.search(r"\{\{|\}\}|\{%", item["text"])


def test_healthz_reports_ok_when_everything_answers(stack):
    import httpx

    response = httpx.get(stack.url + "/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_fallback_suggestions_are_articles_in_the_callers_language(stack):
    from bot.content.articles import load_articles

    shipped = {article["id"] for article in load_articles(ROOT / "content" / "articles")}
    for message, lang in (("recommend a good restaurant near the hospital", "en"), ("医院停车场在哪里", "zh")):
        reply = stack.chat(message)
        assert reply["meta"]["kind"] == "fallback", message
        buttons = reply["messages"][0].get("buttons", [])
        assert 1 <= len(buttons) <= 3
        for button in buttons:
            topic = button["payload"].split('"topic": "')[1].rstrip('"}')
            assert topic in shipped
            assert any("\u4e00" <= ch <= "\u9fff" for ch in button["title"]) == (lang == "zh")
