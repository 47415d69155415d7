"""The article format, the store (on SQLite and PostgreSQL), its search and
`carebot content import|export|check`."""
from __future__ import annotations

import datetime as dt
import os
import shutil

import pytest

from bot.audit import AuditLog
from bot.content import search as search_module
from bot.content.articles import ArticleError, load_article
from bot.content.check import check_folder
from bot.content.search import ArticleSearch
from bot.content.store import ContentStore
from bot.storage import Database, sqlite_url
from bot.storage.schema import users
from tests.stack import ROOT, carebot

ARTICLES = ROOT / "content" / "articles"


@pytest.fixture
def env(tmp_path):
    return {**os.environ, "CAREBOT_DATABASE_URL": sqlite_url(tmp_path / "carebot.db")}


@pytest.fixture
def database_env(database: Database) -> dict:
    """The command line's environment, on the test's database (SQLite, then PostgreSQL)."""
    return {**os.environ, "CAREBOT_DATABASE_URL": database.engine.url.render_as_string(hide_password=False)}


def test_import_then_export_round_trips_to_the_same_yaml(database_env, tmp_path):
    carebot(database_env, "content", "import")
    out = tmp_path / "exported"
    carebot(database_env, "content", "export", "--folder", str(out))
    originals = sorted(p.name for p in ARTICLES.glob("*.yml"))
    assert sorted(p.name for p in out.glob("*.yml")) == originals
    for name in originals:
        assert (out / name).read_bytes() == (ARTICLES / name).read_bytes(), name


def test_import_is_idempotent_and_records_versions_and_audit(database_env, database, tmp_path):
    shipped = len(list(ARTICLES.glob("*.yml")))
    first = carebot(database_env, "content", "import").stdout
    second = carebot(database_env, "content", "import").stdout
    assert first.startswith(f"{shipped} added, 0 updated")
    assert second.startswith(f"0 added, 0 updated, {shipped} unchanged")
    assert database.scalar("select count(*) from versions") == shipped
    assert database.scalar("select count(*) from audit") == shipped

    folder = tmp_path / "edited"
    shutil.copytree(ARTICLES, folder)
    path = folder / "fatigue.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("reviewed_on: 2026-11-25", "reviewed_on: 2026-11-24"),
                    encoding="utf-8")
    assert carebot(database_env, "content", "import", "--folder", str(folder)).stdout.startswith("0 added, 1 updated")
    assert database.scalar("select count(*) from versions") == shipped + 1
    assert ContentStore(database).current_version("fatigue") == 2


def test_a_draft_is_stored_but_the_published_version_is_what_is_served(database):
    store = ContentStore(database)
    store.import_folder(ARTICLES)
    article = store.published("fever")
    store.save({**article, "status": "draft", "en": {**article["en"], "answer": "new"}}, actor="nurse")
    assert store.latest("fever")["en"]["answer"] == "new"
    assert store.published("fever")["en"]["answer"] == article["en"]["answer"]


def test_bad_article_files_are_refused_with_a_clear_message(env, tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "broken.yml").write_text("id: broken\ncategory: [unclosed\n")
    result = carebot(env, "content", "import", "--folder", str(folder), check=False)
    assert result.returncode == 1 and "broken.yml: not valid YAML" in result.stderr
    assert "Traceback" not in result.stderr
    (folder / "broken.yml").write_text("id: other\n")
    with pytest.raises(ArticleError, match="missing keys"):
        load_article(folder / "broken.yml")


def shipped_review_day() -> dt.date:
    """The day the shipped articles were last reviewed: the check is pinned to it, so that the
    test does not start failing when the calendar passes a review due date."""
    return max(dt.date.fromisoformat(str(load_article(p)["reviewed_on"])) for p in ARTICLES.glob("*.yml"))


def test_shipped_content_passes_the_check(env):
    day = shipped_review_day()
    assert check_folder(ARTICLES, today=day) == []
    assert carebot(env, "content", "check", "--on", day.isoformat()).stdout.strip() == "content check: no problems"


def test_content_check_warns_when_a_review_is_due(env):
    due = max(dt.date.fromisoformat(str(load_article(p)["review_due"])) for p in ARTICLES.glob("*.yml"))
    later = (due + dt.timedelta(days=1)).isoformat()
    result = carebot(env, "content", "check", "--on", later)
    assert result.returncode == 0 and f"review was due on {due.isoformat()}" in result.stdout


def test_content_check_reports_problems_and_fails(tmp_path, env):
    folder = tmp_path / "articles"
    shutil.copytree(ARTICLES, folder)
    path = folder / "travel.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  answer: |\n", "  answer: |\n    Call {{ clinic.fax }} or +1 555 0100.\n", 1),
                    encoding="utf-8")
    (folder / "vaccines.yml").unlink()
    result = carebot(env, "content", "check", "--folder", str(folder), check=False)
    assert result.returncode == 1
    assert "The clinic settings have no fax." in result.stdout
    assert "phone-number-like digits" in result.stdout
    assert "vaccines" in result.stdout and "required article is missing" in result.stdout


def test_every_article_uses_only_clinic_settings_for_numbers():
    for path in ARTICLES.glob("*.yml"):
        article = load_article(path)
        for lang in ("en", "zh"):
            assert "555" not in article[lang]["answer"]


def test_answers_are_written_for_a_worried_parent():
    """English at or below US grade 6; Chinese in short sentences (measured per article)."""
    from bot.content.readability import chinese_sentence_length, english_grade

    for path in ARTICLES.glob("*.yml"):
        article = load_article(path)
        assert english_grade(article["en"]["answer"]) <= 6.0, path.name
        assert chinese_sentence_length(article["zh"]["answer"]) <= 25.0, path.name


def test_content_check_flags_hard_reading(tmp_path, env):
    folder = tmp_path / "articles"
    shutil.copytree(ARTICLES, folder)
    path = folder / "fatigue.yml"
    hard = ("Notwithstanding considerable interindividual variability, pharmacological immunotherapeutic "
            "interventions frequently precipitate debilitating constitutional manifestations necessitating "
            "comprehensive multidisciplinary evaluation.")
    path.write_text(path.read_text(encoding="utf-8").replace("  answer: |\n", f"  answer: |\n    {hard}\n", 1),
                    encoding="utf-8")
    result = carebot(env, "content", "check", "--folder", str(folder), check=False)
    assert result.returncode == 1 and "fatigue" in result.stdout and "reading grade" in result.stdout


def test_search_finds_articles_in_the_callers_language(database):
    store = ContentStore(database)
    store.import_folder(ARTICLES)
    assert store.search.search("the pump keeps beeping at nite", "en")[0] == "pump_alarm"
    assert store.search.search("泵一直在响", "zh")[0] == "pump_alarm"
    assert store.search.search("what time does the cafeteria open", "zh") == []
    article = store.published("travel")
    store.save({**article, "en": {**article["en"], "title": "Holidays and flying abroad"}}, actor="nurse")
    assert store.search.search("flying abroad", "en")[0] == "travel"  # reindexed on publish


def test_a_save_that_fails_half_way_leaves_nothing_behind(database, monkeypatch):
    """The article row, its version, the audit entry and the search index change together."""
    store = ContentStore(database)

    def index_fails(article: dict) -> None:
        raise RuntimeError("the index is full")

    monkeypatch.setattr(store.search, "index", index_fails)
    with pytest.raises(RuntimeError):
        store.save(load_article(ARTICLES / "fever.yml"), actor="nurse")
    assert store.article_row("fever") is None and store.history("fever") == [] and store.audit_log() == []


def index_three(database: Database) -> ArticleSearch:
    search = ArticleSearch(database)
    for article_id, en, zh in (
            ("pump_alarm", ("When the pump alarm beeps", ["why does the pump keep beeping"], "Check the tube."),
             ("输液泵报警", ["泵一直在响怎么办"], "检查管子有没有打结。")),
            ("fever", ("Fever", ["what temperature is a fever"], "Call us at once and bring the pump."),
             ("发烧", ["多少度算发烧"], "马上打电话，带上输液泵。")),
            ("parking", ("Parking", ["is parking 50%_off for families"], "Show your ticket at the desk."),
             ("停车", ["家属停车打折吗"], "在前台出示停车票。"))):
        search.index({"id": article_id, **{lang: {"title": title, "questions": questions, "answer": answer}
                                           for lang, (title, questions, answer) in (("en", en), ("zh", zh))}})
    return search


def test_search_ranks_title_then_questions_then_answer(database):
    search = index_three(database)
    # pump_alarm has "pump" in its title and questions; fever only in its answer.
    assert search.search("the pump keeps beeping at night", "en") == ["pump_alarm", "fever"]
    assert search.search("输液泵一直在响", "zh") == ["pump_alarm", "fever"]
    assert search.search("pump", "zh") == [] and search.search("fever", "en", limit=1) == ["fever"]


def test_search_terms_are_matched_literally(database, monkeypatch):
    """`query_terms` keeps letters only, but whatever reaches the database is a literal string:
    `%` and `_` are no wildcards, quotes and backslashes break nothing."""
    search = index_three(database)
    assert search.search("100% _ 'quoted' \"x\" back\\slash", "en") == []
    monkeypatch.setattr(search_module, "query_terms", lambda text: [text])
    for term in ("_ump", "e%r", "%%%", "___", "it's", 'say "hi"', "back\\slash", "\\%", "%'--"):
        assert search.search(term, "en") == [], term
    assert search.search("0%_", "en") == ["parking"]


def test_the_audit_log_of_a_clinic_holds_what_its_staff_did_and_what_was_done_to_it(database):
    for username, clinic in (("alice", "a"), ("bob", "b")):
        database.insert(users, {"username": username, "clinic": clinic, "role": "nurse", "password_hash": "x"})
    audit = AuditLog(database)
    audit.log("alice", "login", "alice")
    audit.log("bob", "login", "bob")
    audit.log("command line", "clinic_settings", "a", {"name": "病房 7"})
    audit.log("bob", "transcript viewed", "b:family")
    assert [(e["actor"], e["action"]) for e in audit.for_clinic("a")] == [
        ("command line", "clinic_settings"), ("alice", "login")]
    assert [e["action"] for e in audit.for_clinic("b")] == ["transcript viewed", "login"]
    assert [e["action"] for e in audit.for_clinic("b", limit=1)] == ["transcript viewed"]
    assert [e["detail"] for e in audit.entries(subject="a")] == ['{"name": "病房 7"}']
    assert [e["subject"] for e in audit.entries(limit=2)] == ["b:family", "a"]



def test_two_nurses_saving_one_article_at_once_get_two_versions(database):
    """Each save on its own connection, from two threads: neither is lost or refused."""
    import threading

    from bot.storage import open_database

    store = ContentStore(database)
    store.import_folder(ARTICLES)
    article = store.latest("fatigue")
    url = database.engine.url.render_as_string(hide_password=False)
    stores = [ContentStore(open_database(url)) for _ in range(2)]
    start = threading.Barrier(2)

    def save(index: int) -> None:
        start.wait()
        stores[index].save({**article, "en": {**article["en"], "answer": f"Answer {index}."}}, f"nurse{index}")

    threads = [threading.Thread(target=save, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    history = store.history("fatigue")
    assert [h["version"] for h in history[:2]] == [history[0]["version"], history[0]["version"] - 1]
    assert {h["actor"] for h in history[:2]} == {"nurse0", "nurse1"}
    for other in stores:
        other.db.dispose()
