"""The article ranker alone (bot/nlu/article_ranker.py), without a Rasa model: minutes, not hours.

Trains the ranker as the product does (the same training data: var/carebot.db when it holds
articles, else content/; the Jieba medical dictionary loaded as JiebaTokenizer loads it) and
scores its own ranking: top-1 and top-3 articles on the real-wording set's tuning part, and on
k-fold cross-validation over the articles' example questions (the folds of bench/crossval.py);
for out-of-scope questions, whether its out-of-scope class wins. The combined ranking and the
thresholds need the ResponseSelector: `make realworld` measures those.

The held-out part is scored only with `--holdout`: once, after the choices are made.

usage: python bench/ranker_only.py [--folds 5] [--seed 13] [--set key=value ...] [--no-cv] [--misses]
                                   [--holdout] [--json OUT]
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from crossval import split_folds, without  # noqa: E402
from realworld import HOLDOUT, TUNE, load_cases  # noqa: E402
from rasa.engine.graph import ExecutionContext, GraphSchema  # noqa: E402
from rasa.engine.storage.local_model_storage import LocalModelStorage  # noqa: E402
from rasa.engine.storage.resource import Resource  # noqa: E402
from rasa.nlu.tokenizers.jieba_tokenizer import JiebaTokenizer  # noqa: E402
from rasa.shared.nlu.training_data.message import Message  # noqa: E402

from bot.nlu.article_ranker import OUT_OF_SCOPE, ArticleRanker  # noqa: E402
from bot.settings import LANGUAGES, load_settings  # noqa: E402
from bot.training.data import build_training_data, training_examples  # noqa: E402

Labels = dict[str, dict[str, list[str]]]
TOP = 3


def trained(labels: Labels, overrides: dict, folder: Path) -> ArticleRanker:
    """A ranker trained on `labels` with the default config and `overrides`."""
    config = {**ArticleRanker.get_default_config(), **overrides}
    context = ExecutionContext(GraphSchema({}), "ranker-only")
    ranker = ArticleRanker.create(config, LocalModelStorage(folder), Resource("ranker"), context)
    ranker.train(build_training_data(labels))
    return ranker


def ranked(ranker: ArticleRanker, text: str) -> tuple[list[str], bool]:
    """The articles best first, and whether out of scope is the likeliest class of all."""
    scores = ranker._probabilities(Message.build(text=text))
    best = max(scores, key=scores.get)
    articles = sorted((t for t in scores if t != OUT_OF_SCOPE), key=lambda t: -scores[t])
    return articles, best == OUT_OF_SCOPE


def score(ranker: ArticleRanker, cases: list[dict]) -> dict:
    """Per language: top-1 / top-3 over answerable cases, out-of-scope class wins over the rest."""
    report = {}
    for lang in LANGUAGES:
        answerable = [c for c in cases if c["lang"] == lang and c["expect"] == "answer" and not c.get("gap")]
        oos = [c for c in cases if c["lang"] == lang and c["expect"] == "fallback"]
        top1 = top3 = 0
        misses = []
        for case in answerable:
            articles, _ = ranked(ranker, case["say"])
            top1 += articles[0] in case["topics"]
            top3 += bool(set(articles[:TOP]) & set(case["topics"]))
            if articles[0] not in case["topics"]:
                misses.append(f'{case["id"]}: {case["say"]} | want {case["topics"]} got {articles[:3]}')
        oos_right = sum(ranked(ranker, c["say"])[1] for c in oos)
        n = len(answerable) or 1
        report[lang] = {"n": len(answerable), "top1": round(top1 / n, 3), "top3": round(top3 / n, 3),
                        "oos_n": len(oos), "oos": round(oos_right / (len(oos) or 1), 3), "misses": misses}
    return report


def crossval(labels: Labels, overrides: dict, folds: int, seed: int) -> dict:
    """Top-1 / top-3 per language on each fold's held-out example questions, pooled."""
    hits = {lang: [0, 0, 0] for lang in LANGUAGES}  # top-1, top-3, questions
    for held in split_folds(labels, folds, seed):
        with tempfile.TemporaryDirectory(prefix="ranker-cv-") as tmp:
            ranker = trained(without(labels, held), overrides, Path(tmp))
        for lang, question, article in held:
            articles, _ = ranked(ranker, question)
            hits[lang][0] += articles[0] == article
            hits[lang][1] += article in articles[:TOP]
            hits[lang][2] += 1
    return {lang: {"n": n, "top1": round(t1 / n, 3), "top3": round(t3 / n, 3)}
            for lang, (t1, t3, n) in hits.items()}


def parse_overrides(pairs: list[str]) -> dict:
    """`key=value` pairs, values read as YAML (numbers, booleans, lists)."""
    return {key: yaml.safe_load(value) for key, value in (p.split("=", 1) for p in pairs)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--set", nargs="*", default=[], help="ranker config overrides, key=value")
    parser.add_argument("--no-cv", action="store_true")
    parser.add_argument("--holdout", action="store_true", help="score the held-out part too (once, at the end)")
    parser.add_argument("--misses", action="store_true", help="print the tuning part's misses")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    JiebaTokenizer._load_custom_dictionary(str(ROOT / "content" / "jieba"))  # as config.yml's tokenizer
    overrides = parse_overrides(args.set)
    labels = training_examples(load_settings())
    started = time.monotonic()
    cases = load_cases()
    parts = [TUNE, HOLDOUT] if args.holdout else [TUNE]
    with tempfile.TemporaryDirectory(prefix="ranker-") as tmp:
        ranker = trained(labels, overrides, Path(tmp))
    result = {"overrides": overrides,
              **{part: score(ranker, [c for c in cases if c["split"] == part]) for part in parts}}
    if not args.no_cv:
        result["cv"] = crossval(labels, overrides, args.folds, args.seed)
    result["seconds"] = round(time.monotonic() - started)
    for part in parts + ([] if args.no_cv else ["cv"]):
        for lang in LANGUAGES:
            r = result[part][lang]
            oos = f'  out of scope {r["oos"]:.3f} of {r["oos_n"]}' if "oos" in r else ""
            print(f'{part:8} {lang}  top-1 {r["top1"]:.3f}  top-3 {r["top3"]:.3f}  of {r["n"]}{oos}')
            if args.misses and part == TUNE:
                print("\n".join("    " + m for m in r["misses"]))
    print(f'{result["seconds"]} s')
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
