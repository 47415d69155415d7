"""Per-language k-fold cross-validation of article selection, as families would see it.

Why not `rasa test nlu --cross-validation`: its ResponseSelector figures came out at 1.000.
Rasa trains each fold through the importer named in config.yml, and ContentImporter adds the
whole content store back, held-out questions included. Here every fold trains a fresh NLU-only
model on its own examples only (a config without the importer, an empty private training
cache), and every held-out question is scored by the article `action_answer` would send
(bot/decision.py): the intent must be `faq` after the FallbackClassifier, and the
ResponseSelector's choice must clear the action's confidence floor. Anything else (a fallback,
out of scope, a greeting) is a miss. Questions that the rule-based red-flag detector escalates
are counted apart and scored by what the model chose underneath: the detector has its own
tests, this measures the model.

The folds split each article's example questions per language (stratified: every article
loses a fifth of its questions in each language per fold). Greetings, out-of-scope and the
other conversation intents stay in every training fold, as they are in the real model.

Slow (k trainings, one at a time): a tuning tool, not a test.

usage: python bench/crossval.py [--folds 5] [--seed 13] [--config config.yml] [--runs N] [--out DIR]
"""
from __future__ import annotations

import argparse
import asyncio
import collections
import json
import logging
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLWriter  # noqa: E402

from bot.settings import LANGUAGES, load_settings  # noqa: E402
from bot.training.data import RETRIEVAL_INTENT, build_training_data, training_examples  # noqa: E402
from bot.decision import Decision, decide  # noqa: E402
from bot.training.trainer import TRAINING_ENV  # noqa: E402

RESULTS = ROOT / "bench" / "results"
Labels = dict[str, dict[str, list[str]]]
Case = tuple[str, str, str]  # (language, question, expected article id)


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def split_folds(labels: Labels, folds: int, seed: int) -> list[list[Case]]:
    """Held-out questions per fold: each article's questions per language, shuffled and dealt
    out in turn. A question that also trains another label (build_training_data keeps the
    first) is left out, so no test question is ever a training example."""
    owner: dict[str, str] = {}
    for label, by_lang in labels.items():
        for lang in LANGUAGES:
            for text in by_lang[lang]:
                owner.setdefault(_key(text), label)
    rng = random.Random(seed)
    held: list[list[Case]] = [[] for _ in range(folds)]
    dealt = 0  # dealing goes on across articles, so that the folds come out the same size
    for label, by_lang in labels.items():
        if not label.startswith(RETRIEVAL_INTENT + "/"):
            continue
        for lang in LANGUAGES:
            questions = sorted({q for q in by_lang[lang] if owner[_key(q)] == label})
            rng.shuffle(questions)
            for question in questions:
                held[dealt % folds].append((lang, question, label.split("/", 1)[1]))
                dealt += 1
    return held


def without(labels: Labels, cases: list[Case]) -> Labels:
    """The training labels of a fold: everything but its held-out questions (and their copies)."""
    held = {_key(question) for _, question, _ in cases}
    return {label: {lang: [t for t in texts if _key(t) not in held] for lang, texts in by_lang.items()}
            for label, by_lang in labels.items()}


def fold_config(source: Path, path: Path) -> None:
    """The pipeline config without the content importer (it would add the whole store back)."""
    config = yaml.safe_load(source.read_text())
    config.pop("importers", None)
    for step in config["pipeline"]:
        if "dictionary_path" in step:
            step["dictionary_path"] = str(ROOT / step["dictionary_path"])
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False))


def train_fold(workdir: Path, labels: Labels, config: Path) -> tuple[Path, float]:
    """An NLU-only model trained in its own process, with an empty, private training cache."""
    nlu = workdir / "nlu.yml"
    nlu.write_text(RasaYAMLWriter().dumps(build_training_data(labels)), encoding="utf-8")
    fold_config(config, workdir / "config.yml")
    env = {**os.environ, **TRAINING_ENV, "RASA_MAX_CACHE_SIZE": "0",
           "RASA_CACHE_DIRECTORY": str(workdir / "cache")}
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "rasa", "train", "nlu", "--config", str(workdir / "config.yml"),
                           "--nlu", str(nlu), "--out", str(workdir), "--fixed-model-name", "fold"],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"training failed:\n{done.stderr[-3000:]}")
    return workdir / "fold.tar.gz", time.monotonic() - started


def escalated(parse: dict) -> bool:
    """The red-flag rules found a sign: the family gets instructions, whatever the model said."""
    return bool((parse.get("red_flags") or {}).get("severity"))


def chosen_article(parse: dict) -> Decision:
    """What the answer path would send (`bot.decision`): an article, a "did you mean" choice, or
    `(why not)`.

    When the red-flag rules escalated, the model's own choice underneath is scored: the intent
    the classifiers gave is next in the ranking.
    """
    if escalated(parse):
        ranking = parse.get("intent_ranking") or []
        parse = {**parse, "intent": ranking[1] if len(ranking) > 1 else {}, "red_flags": {}}
    return decide(parse)


async def predict(model: Path, cases: list[Case]) -> list[tuple[Decision, bool]]:
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # not one debug line per parsed message
    agent = Agent.load(str(model))
    parses = [await agent.parse_message(text) for _, text, _ in cases]
    return [(chosen_article(parse), escalated(parse)) for parse in parses]


def macro_f1(pairs: list[tuple[str, str]]) -> float:
    """Mean F1 over the expected articles; a fallback is a miss that no article is blamed for."""
    scores = []
    for label in sorted({gold for gold, _ in pairs}):
        tp = sum(g == label and p == label for g, p in pairs)
        fp = sum(g != label and p == label for g, p in pairs)
        fn = sum(g == label and p != label for g, p in pairs)
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(scores) / len(scores)


def summarise(rows: list[dict], top: int = 10) -> dict:
    report = {}
    for lang in LANGUAGES:
        pairs = [(r["expected"], r["predicted"]) for r in rows if r["lang"] == lang]
        confused = collections.Counter((g, p) for g, p in pairs if g != p)
        report[lang] = {
            "examples": len(pairs),
            "accuracy": round(sum(g == p for g, p in pairs) / len(pairs), 3),
            "macro_f1": round(macro_f1(pairs), 3),
            "wrong": round(sum(not p.startswith("(") and p != g for g, p in pairs) / len(pairs), 3),
            "clarify": round(sum(p == "(clarify)" for _, p in pairs) / len(pairs), 3),
            "clarify_helped": round(sum(r["helped"] for r in rows if r["lang"] == lang) / len(pairs), 3),
            "not_answered": sum(p.startswith("(") for _, p in pairs),
            "escalated_by_rules": sum(r["escalated"] for r in rows if r["lang"] == lang),
            "most_confused": [{"expected": g, "predicted": p, "count": n} for (g, p), n in confused.most_common(top)],
        }
    return report


def markdown(report: dict, meta: dict, rows: list[dict]) -> str:
    lines = ["# Cross-validation of article selection", "",
             f"{meta['folds']}-fold, stratified per article and language (seed {meta['seed']}); one fresh "
             f"NLU-only model per fold with `{meta['config']}`, no training cache ({meta['folds_run']} folds run); "
             "a held-out question counts as "
             "right only if `action_answer` would send its article (a fallback is a miss; see the docstring "
             "for red-flag escalations). "
             f"Run {meta['at']}, {meta['articles']} articles; training {meta['train_seconds_per_fold']} s per fold.",
             "A \"did you mean\" turn is not an answer; it helped when the right article was offered.",
             "", "| language | questions | accuracy | wrong article | did you mean | ...with the right one "
             "| macro F1 | not answered | escalated by the red-flag rules |",
             "|---|---|---|---|---|---|---|---|---|"]
    lines += [f"| {lang} | {r['examples']} | {r['accuracy']:.3f} | {r['wrong']:.3f} | {r['clarify']:.3f} "
              f"| {r['clarify_helped']:.3f} | {r['macro_f1']:.3f} | {r['not_answered']} | {r['escalated_by_rules']} |"
              for lang, r in ((lang, report[lang]) for lang in LANGUAGES)]
    for lang in LANGUAGES:
        lines += ["", f"## Most confused ({lang}): expected → predicted", "",
                  "| expected | predicted | count | e.g. |", "|---|---|---|---|"]
        for c in report[lang]["most_confused"]:
            example = next(r["text"] for r in rows if r["lang"] == lang and r["expected"] == c["expected"]
                           and r["predicted"] == c["predicted"])
            lines.append(f"| {c['expected']} | {c['predicted']} | {c['count']} | {example} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--config", type=Path, default=ROOT / "config.yml", help="a pipeline to try")
    parser.add_argument("--runs", type=int, default=None, help="train only the first N folds (a quick look)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    labels = training_examples(load_settings())
    held = split_folds(labels, args.folds, args.seed)
    rows, seconds = [], []
    with tempfile.TemporaryDirectory(prefix="carebot-cv-") as tmp:
        for fold, cases in enumerate(held[:args.runs]):
            workdir = Path(tmp) / f"fold{fold}"
            workdir.mkdir()
            model, took = train_fold(workdir, without(labels, cases), args.config.resolve())
            seconds.append(took)
            predicted = asyncio.run(predict(model, cases))
            rows += [{"fold": fold, "lang": lang, "text": text, "expected": gold, "predicted": guess.label,
                      "helped": gold in guess.candidates, "escalated": rules}
                     for (lang, text, gold), (guess, rules) in zip(cases, predicted)]
            print(f"fold {fold + 1}/{args.folds}: trained in {took:.0f} s, "
                  f"{sum(r['expected'] == r['predicted'] for r in rows[-len(cases):])}/{len(cases)} right",
                  file=sys.stderr)
    report = summarise(rows)
    meta = {"folds": args.folds, "seed": args.seed, "at": time.strftime("%Y-%m-%d %H:%M"),
            "config": os.path.relpath(args.config.resolve(), ROOT), "folds_run": len(seconds),
            "articles": sum(label.startswith(RETRIEVAL_INTENT + "/") for label in labels),
            "train_seconds_per_fold": round(sum(seconds) / len(seconds), 1)}
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "crossval.json").write_text(json.dumps({"meta": meta, **report, "predictions": rows},
                                                      ensure_ascii=False, indent=1), encoding="utf-8")
    (args.out / "crossval.md").write_text(markdown(report, meta, rows), encoding="utf-8")
    print(markdown(report, meta, rows))


if __name__ == "__main__":
    main()
