"""Cross-validation of article selection, per language: `rasa test nlu --cross-validation`.

Runs Rasa's k-fold cross-validation on the training data the importer builds from the store,
then splits the ResponseSelector's per-example results by language and reports macro F1 per
language and the most confused article pairs. Slow (k trainings): a tuning tool, not a test.

usage: python bench/crossval.py [--folds 5]
"""
from __future__ import annotations

import argparse
import collections
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLWriter  # noqa: E402

from bot.nlu.language import reply_language  # noqa: E402
from bot.settings import load_settings  # noqa: E402
from bot.training.data import build_training_data, training_examples  # noqa: E402
from bot.training.trainer import TRAINING_ENV  # noqa: E402


def macro_f1(pairs: list[tuple[str, str]]) -> float:
    labels = {gold for gold, _ in pairs}
    scores = []
    for label in labels:
        tp = sum(1 for g, p in pairs if g == label and p == label)
        fp = sum(1 for g, p in pairs if g != label and p == label)
        fn = sum(1 for g, p in pairs if g == label and p != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        scores.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return sum(scores) / len(scores)


def load_results(out: Path) -> list[dict]:
    rows = []
    for name in ("response_selection_successes.json", "response_selection_errors.json"):
        path = out / name
        if path.exists():
            rows += json.loads(path.read_text())
    return rows


def main() -> None:
    import os

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="carebot-cv-") as tmp:
        out = Path(tmp)
        # Rasa's cross-validation reads NLU files, not the importer: write the store's data once.
        nlu = out / "nlu.yml"
        nlu.write_text(RasaYAMLWriter().dumps(build_training_data(training_examples(load_settings()))))
        subprocess.run([sys.executable, "-m", "rasa", "test", "nlu", "--config", "config.yml", "--nlu", str(nlu),
                        "--cross-validation", "--folds", str(args.folds), "--successes", "--out", str(out)],
                       cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
                       # No training cache: Rasa would otherwise restore fold 1's components for
                       # the other folds (seen: every fold "restored from cache", accuracy 1.0).
                       env={**os.environ, **TRAINING_ENV, "RASA_MAX_CACHE_SIZE": "0"})
        rows = load_results(out)
    by_lang: dict[str, list[tuple[str, str]]] = collections.defaultdict(list)
    confused: collections.Counter = collections.Counter()
    for row in rows:
        gold, predicted = row["intent_response_key_target"], row["intent_response_key_prediction"]["name"]
        by_lang[reply_language(row["text"], None) or "en"].append((gold, predicted))
        if gold != predicted:
            confused[tuple(sorted((gold, predicted)))] += 1
    report = {lang: {"examples": len(pairs), "macro_f1": round(macro_f1(pairs), 3),
                     "accuracy": round(sum(g == p for g, p in pairs) / len(pairs), 3)}
              for lang, pairs in sorted(by_lang.items())}
    report["most_confused"] = [{"pair": list(pair), "count": n} for pair, n in confused.most_common(8)]
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / "crossval.json").write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
