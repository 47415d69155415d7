"""The importer in config.yml builds the training data from the content store."""
from __future__ import annotations

import subprocess
import sys

from rasa.shared.importers.importer import TrainingDataImporter

from bot.content.check import REQUIRED_TOPICS
from bot.training.importer import ContentImporter
from tests.stack import ROOT


def configured_importers(config: str) -> list:
    combined = TrainingDataImporter.load_from_config(config, "domain.yml", ["data"])
    return combined._importer._importer._importers  # E2E → ResponsesSync → Combined


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
    assert labels == {f"faq/{topic}" for topic in REQUIRED_TOPICS}
    intents = {m.get("intent") for m in nlu.training_examples}
    assert {"greet", "goodbye", "thank", "bot_challenge", "switch_language", "out_of_scope", "faq"} <= intents
    domain = importer.get_domain()
    assert "utter_faq/pump_alarm" in domain.responses


def test_rasa_data_validate_is_clean():
    result = subprocess.run([sys.executable, "-m", "rasa", "data", "validate", "--fail-on-warnings"],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
