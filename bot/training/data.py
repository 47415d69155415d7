"""The NLU training data, built from published articles and the conversation intents.

Articles become the retrieval intent `faq/<article id>` (one ResponseSelector label per article).
Only example questions matter to the classifiers: answers are read from the store at run time,
so the domain response for an article is a fixed placeholder and editing an answer never
retrains. (Rasa copies a response's text onto every example of its label and featurises it:
a whole article there would multiply the training time.) The article ranker reads titles and
answers itself, through `article_texts`, when it is trained.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import yaml
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.answers import PLACEHOLDER
from bot.decision import RETRIEVAL_INTENT
from bot.content.store import ContentStore
from bot.storage import database_for, open_database
from bot.settings import LANGUAGES, Settings



def load_intent_examples(folder: Path) -> dict[str, dict[str, list[str]]]:
    """`content/intents/*.yml`: greetings, thanks, out-of-scope, ... in both languages."""
    intents = {}
    for path in sorted(folder.glob("*.yml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        intents[doc["intent"]] = {lang: list(doc[lang]) for lang in LANGUAGES}
    return intents


def published_articles(settings: Settings) -> list[dict]:
    """From the store when it holds articles; before the first import, from the YAML files."""
    published = ContentStore(database_for(settings.database_url)).published_all()
    if published:
        return published
    files = ContentStore(open_database("sqlite://"))
    files.import_folder(settings.content_dir / "articles")
    return files.published_all()


def training_examples(settings: Settings) -> dict[str, dict[str, list[str]]]:
    """Every label (`greet`, `faq/pump_alarm`, ...) with its examples per language."""
    labels = load_intent_examples(settings.content_dir / "intents")
    for article in published_articles(settings):
        labels[f"{RETRIEVAL_INTENT}/{article['id']}"] = {
            lang: list(article[lang]["questions"]) for lang in LANGUAGES}
    return labels


def article_texts(settings: Settings) -> dict[str, str]:
    """Each article's titles and answers (both languages), without clinic placeholders."""
    return {article["id"]: "\n".join(PLACEHOLDER.sub(" ", f'{article[lang]["title"]}\n{article[lang]["answer"]}')
                                     for lang in LANGUAGES)
            for article in published_articles(settings)}


def build_training_data(labels: dict[str, dict[str, list[str]]]) -> TrainingData:
    messages, seen = [], set()
    for label, by_lang in labels.items():
        for lang in LANGUAGES:
            for text in by_lang[lang]:
                if text.strip().lower() not in seen:  # a duplicate would train two labels at once
                    seen.add(text.strip().lower())
                    messages.append(Message.build(text=text, intent=label))
    responses = {f"utter_{label}": [{"text": f"[article {label.split('/', 1)[1]}]"}]
                 for label in labels if label.startswith(RETRIEVAL_INTENT + "/")}
    return TrainingData(training_examples=messages, responses=responses)


def content_fingerprint(settings: Settings) -> str:
    """What the model depends on: examples, pipeline config, domain and rules (not answers)."""
    digest = hashlib.sha256(json.dumps(training_examples(settings), sort_keys=True).encode())
    for name in ("config.yml", "domain.yml", "data/rules.yml"):
        digest.update((settings.root / name).read_bytes())
    return digest.hexdigest()[:12]
