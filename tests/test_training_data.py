"""The importer in config.yml builds the training data from the content store."""
from __future__ import annotations

import subprocess
import sys

import pytest

from rasa.shared.importers.importer import TrainingDataImporter

from bot.content.articles import load_articles
from bot.content.check import REQUIRED_TOPICS
from bot.training.importer import ContentImporter
from tests.stack import ROOT


@pytest.fixture(autouse=True)
def content_from_files(tmp_path, monkeypatch):
    """Build training data from content/ (no store yet), as on a fresh clone."""
    monkeypatch.setenv("CAREBOT_DB", str(tmp_path / "not-created.db"))


def configured_importers(config: str) -> list:
    combined = TrainingDataImporter.load_from_config(config, "domain.yml", ["data"])
    return combined.importer._importer._importers  # E2E → ResponsesSync → Combined


def test_config_loads_the_content_importer(monkeypatch):
    monkeypatch.chdir(ROOT)
    assert [type(i) for i in configured_importers("config.yml")] == [ContentImporter]


def test_a_misspelt_importer_would_silently_fall_back_to_files(tmp_path, monkeypatch):
    """Why the test above matters: Rasa only logs a warning for a wrong importer name."""
    monkeypatch.chdir(ROOT)
    config = tmp_path / "config.yml"
    config.write_text((ROOT / "config.yml").read_text().replace("ContentImporter", "ContentImprter"))
    assert ContentImporter not in [type(i) for i in configured_importers(str(config))]


def test_every_article_is_a_retrieval_label_with_examples_in_both_languages(monkeypatch):
    monkeypatch.chdir(ROOT)
    importer = TrainingDataImporter.load_from_config("config.yml", "domain.yml", ["data"])
    nlu = importer.get_nlu_data()
    labels = {m.get("intent_response_key") for m in nlu.training_examples if m.get("intent_response_key")}
    assert labels == {f"faq/{article['id']}" for article in load_articles(ROOT / "content" / "articles")}
    assert {f"faq/{topic}" for topic in REQUIRED_TOPICS} <= labels
    intents = {m.get("intent") for m in nlu.training_examples}
    assert {"greet", "goodbye", "thank", "bot_challenge", "switch_language", "out_of_scope", "faq"} <= intents
    domain = importer.get_domain()
    assert "utter_faq/pump_alarm" in domain.responses


def test_rasa_data_validate_is_clean():
    result = subprocess.run([sys.executable, "-m", "rasa", "data", "validate", "--fail-on-warnings"],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]


def test_only_example_questions_make_the_model_stale(tmp_path, monkeypatch):
    from bot.content.store import ContentStore
    from bot.settings import load_settings
    from bot.storage import open_database
    from bot.training.data import content_fingerprint

    monkeypatch.setenv("CAREBOT_DB", str(tmp_path / "carebot.db"))
    settings = load_settings()
    store = ContentStore(open_database(settings.database_url))
    store.import_folder(ROOT / "content" / "articles")
    trained_on = content_fingerprint(settings)
    article = store.published("travel")

    store.save({**article, "en": {**article["en"], "answer": "A new answer."}}, actor="nurse")
    assert content_fingerprint(settings) == trained_on  # live without retraining

    questions = article["en"]["questions"] + ["can we fly abroad with the blina backpack"]
    store.save({**article, "en": {**article["en"], "questions": questions}}, actor="nurse")
    assert content_fingerprint(settings) != trained_on


def test_the_model_records_the_content_it_was_trained_on(stack):
    import json
    from pathlib import Path

    from bot.content.store import ContentStore
    from bot.training.deployed import newest_record

    models = Path(stack.env["CAREBOT_MODELS"])
    deployed = newest_record(stack.database())  # the model that serves
    manifest = json.loads((models / deployed.model).with_suffix("").with_suffix(".json").read_text())
    assert manifest["model"] == deployed.model == f"carebot-{manifest['fingerprint']}.tar.gz"
    assert deployed.fingerprint == manifest["fingerprint"] and deployed.figures["red"]["total"] > 0
    published = {r["id"]: r["published_version"] for r in ContentStore(stack.database()).summaries()}
    assert manifest["article_versions"].keys() == published.keys()
    assert manifest["training_seconds"] > 0
    assert "model is current" in carebot_output(stack.env, "train")


def carebot_output(env, *args) -> str:
    from tests.stack import carebot

    return carebot(env, *args).stdout
