"""The red-flag lexicon in the shared database (issue 18 §4), on SQLite and PostgreSQL:
`carebot content import` stores it when it changed, every server's detector reads the newest
row (checked every few seconds), and the lexicon file serves while the database has none or
cannot be read."""
from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest
import yaml
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.redflags import RedFlagDetector
from bot.redflags import lexicon_store
from bot.redflags.detector import LEXICON_FILE, detector
from bot.redflags.lexicon_store import LEXICON_CHECK_SECONDS, LexiconSource, shared_detector, store_lexicon
from bot.storage import Database, database_for, sqlite_url
from bot.storage.schema import lexicons
from tests.stack import ROOT, carebot, wait_until

ARTICLES = ROOT / "content" / "articles"
NEW_TERM = "zorblax"  # in no lexicon but the edited one
SAID = f"my son has {NEW_TERM} right now"


class Clock:
    """A monotonic clock the test moves by hand: no test waits for the check interval."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def database_env(database: Database) -> dict:
    return {**os.environ, "CAREBOT_DATABASE_URL": database.engine.url.render_as_string(hide_password=False)}


@pytest.fixture(autouse=True)
def own_sources(monkeypatch):
    """`shared_detector()`'s per-database sources of this test only."""
    monkeypatch.setattr(lexicon_store, "_sources", {})


def edited_lexicon() -> str:
    doc = yaml.safe_load(LEXICON_FILE.read_text(encoding="utf-8"))
    doc["categories"]["neuro"]["terms"]["en"].append(NEW_TERM)
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


def content_folder(tmp_path: Path, lexicon: str) -> Path:
    """A content folder (the shipped articles, this lexicon); returns its articles folder."""
    content = tmp_path / "content"
    shutil.copytree(ARTICLES, content / "articles")
    (content / "redflags.yml").write_text(lexicon, encoding="utf-8")
    return content / "articles"


def rows(database: Database) -> list[dict]:
    return database.query(lexicons.select().order_by(lexicons.c.id))


def test_import_stores_the_lexicon_once(database_env, database):
    assert "lexicon: stored" in carebot(database_env, "content", "import").stdout
    assert "lexicon: unchanged" in carebot(database_env, "content", "import").stdout
    [row] = rows(database)
    text = LEXICON_FILE.read_text(encoding="utf-8")
    assert row["text"] == text and row["digest"] == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert row["imported_at"][:2] == "20"


def test_an_edited_lexicon_reaches_the_detectors_after_the_check_interval(database_env, database, tmp_path):
    carebot(database_env, "content", "import")
    clock = Clock()
    source = LexiconSource(lambda: database, clock=clock, background=False)
    before = source.detector()
    assert NEW_TERM not in {t.text for t in before.lexicon.terms}
    assert NEW_TERM not in source.detector().assess(SAID).evidence  # (its second opinion may ask)

    articles = content_folder(tmp_path, edited_lexicon())
    assert "lexicon: stored" in carebot(database_env, "content", "import", "--folder", str(articles)).stdout
    assert len(rows(database)) == 2
    clock.now += LEXICON_CHECK_SECONDS - 1
    assert source.detector() is before  # not looked for yet
    clock.now += 1
    after = source.detector()
    assert after.assess(SAID).categories == ["neuro"]
    clock.now += LEXICON_CHECK_SECONDS
    assert source.detector() is after  # same digest: not rebuilt
    assert "lexicon: unchanged" in carebot(database_env, "content", "import", "--folder", str(articles)).stdout
    assert len(rows(database)) == 2


@pytest.mark.parametrize("lexicon,message", [
    ("categories:\n  fever: [unclosed\n", "not valid YAML"),
    ("categories:\n  fever:\n    severity: red\n", "fever: no terms"),
])
def test_a_broken_lexicon_is_refused_and_nothing_is_stored(database_env, database, tmp_path, lexicon, message):
    articles = content_folder(tmp_path, lexicon)
    result = carebot(database_env, "content", "import", "--folder", str(articles), check=False)
    assert result.returncode == 1 and message in result.stderr and "Traceback" not in result.stderr
    assert rows(database) == []
    assert database.scalar("select count(*) from articles") == 0


def test_the_file_serves_while_the_database_has_no_lexicon_or_cannot_be_read(database, tmp_path):
    clock = Clock()
    source = LexiconSource(lambda: database, clock=clock, background=False)
    assert source.detector() is detector(LEXICON_FILE)  # an empty table

    store_lexicon(database, edited_lexicon())
    clock.now += LEXICON_CHECK_SECONDS
    stored = source.detector()
    assert stored.assess(SAID).categories == ["neuro"]

    def down() -> Database:
        raise ConnectionError("database is down")
    source.database = down
    clock.now += LEXICON_CHECK_SECONDS
    assert source.detector() is stored  # the lexicon read before keeps serving
    never_read = LexiconSource(down, clock=clock, background=False)
    assert never_read.detector() is detector(LEXICON_FILE)


def test_servers_and_the_rasa_component_read_the_settings_database(database, monkeypatch):
    url = database.engine.url.render_as_string(hide_password=False)
    monkeypatch.setenv("CAREBOT_DATABASE_URL", url)
    assert shared_detector() is detector(LEXICON_FILE)  # nothing stored yet
    monkeypatch.setattr(lexicon_store, "_sources", {})
    store_lexicon(database, edited_lexicon())
    try:
        # Looked for in the background: the first messages are read with the file meanwhile.
        assert wait_until(lambda: shared_detector().assess(SAID).categories == ["neuro"], seconds=10)
        assert NEW_TERM not in detector(LEXICON_FILE).assess(SAID).evidence  # a named file is read as is
        [message] = RedFlagDetector({"lexicon": str(LEXICON_FILE)}).process([Message(data={"text": SAID})])
        assert message.get("red_flags")["categories"] == ["neuro"]
    finally:
        database_for(url).dispose()


def test_no_sqlite_file_is_created_to_look_for_a_lexicon(tmp_path, monkeypatch):
    missing = tmp_path / "nothing-here.db"
    monkeypatch.setenv("CAREBOT_DATABASE_URL", sqlite_url(missing))
    assert shared_detector() is detector(LEXICON_FILE)
    assert not missing.exists()
