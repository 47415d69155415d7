"""The article format, the SQLite store and `carebot content import|export|check`."""
from __future__ import annotations

import datetime as dt
import shutil

import pytest

from bot.content.articles import ArticleError, load_article
from bot.content.check import check_folder
from bot.content.store import ContentStore
from bot.db import open_db
from tests.stack import ROOT, carebot

ARTICLES = ROOT / "content" / "articles"


@pytest.fixture
def env(tmp_path):
    import os
    return {**os.environ, "CAREBOT_DB": str(tmp_path / "carebot.db")}


def test_import_then_export_round_trips_to_the_same_yaml(env, tmp_path):
    carebot(env, "content", "import")
    out = tmp_path / "exported"
    carebot(env, "content", "export", "--folder", str(out))
    originals = sorted(p.name for p in ARTICLES.glob("*.yml"))
    assert sorted(p.name for p in out.glob("*.yml")) == originals
    for name in originals:
        assert (out / name).read_bytes() == (ARTICLES / name).read_bytes(), name


def test_import_is_idempotent_and_records_versions_and_audit(env, tmp_path):
    shipped = len(list(ARTICLES.glob("*.yml")))
    first = carebot(env, "content", "import").stdout
    second = carebot(env, "content", "import").stdout
    assert first.startswith(f"{shipped} added, 0 updated")
    assert second.startswith(f"0 added, 0 updated, {shipped} unchanged")
    db = open_db(env["CAREBOT_DB"])
    assert db["versions"].count == shipped and db["audit"].count == shipped

    folder = tmp_path / "edited"
    shutil.copytree(ARTICLES, folder)
    path = folder / "fatigue.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("reviewed_on: 2026-11-25", "reviewed_on: 2026-11-24"),
                    encoding="utf-8")
    assert carebot(env, "content", "import", "--folder", str(folder)).stdout.startswith("0 added, 1 updated")
    assert db["versions"].count == shipped + 1
    assert ContentStore(db).db["articles"].get("fatigue")["version"] == 2


def test_a_draft_is_stored_but_the_published_version_is_what_is_served():
    store = ContentStore(open_db(":memory:"))
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


def test_search_finds_articles_in_the_callers_language():
    store = ContentStore(open_db(":memory:"))
    store.import_folder(ARTICLES)
    assert store.search.search("the pump keeps beeping at nite", "en")[0] == "pump_alarm"
    assert store.search.search("泵一直在响", "zh")[0] == "pump_alarm"
    assert store.search.search("what time does the cafeteria open", "zh") == []
    article = store.published("travel")
    store.save({**article, "en": {**article["en"], "title": "Holidays and flying abroad"}}, actor="nurse")
    assert store.search.search("flying abroad", "en")[0] == "travel"  # reindexed on publish
