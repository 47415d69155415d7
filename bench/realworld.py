"""Article selection on real families' wording (bench/realworld/*.yml), as families would see it.

The questions were written by nobody here: medication guides, hospital and charity leaflets,
parents' Q&A pages (each case names its source). They are never training data
(tests/test_realworld_set.py checks it). Each case is scored by the reply `bot/decision.py` gives:
right article, wrong article, "did you mean" (helped when a right article is among the
candidates), or the fallback; out-of-scope cases must get the fallback.

A fixed part of every set (`split`, by a hash of the case id) is never looked at while tuning;
the figures that count are that part's. Thresholds are chosen on the tuning part only. A file
whose top level says `split: blind` was collected by someone who saw no code and is held out
whole: nobody here has read it, so its figures are the least tuned of all.

usage: python bench/realworld.py [--model models/x.tar.gz | --train [--config config.yml]] [--out DIR]
"""
from __future__ import annotations

import argparse
import asyncio
import collections
import hashlib
import itertools
import json
import logging
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from bot.decision import OTHER_SUBJECT, RETRIEVAL_INTENT, THRESHOLDS, Thresholds, answer_decision, decide, faq_selection  # noqa: E402
from bot.settings import LANGUAGES  # noqa: E402

SETS = ROOT / "bench" / "realworld"
# Everyday and near-the-field questions written (not collected) to overlap the articles' words:
# scored apart, since they are not real families' wording; each file says its split.
OUT_OF_SCOPE_SETS = ROOT / "bench" / "out_of_scope"
RESULTS = ROOT / "bench" / "results"
HOLDOUT, TUNE, BLIND = "holdout", "tune", "blind"
OUT_OF_SCOPE = "out_of_scope"  # a row's `set`, when it is one of bench/out_of_scope/
PARTS = (HOLDOUT, BLIND, TUNE)
HELPED_WORTH = 0.5  # a right article among "did you mean" buttons: one more tap than an answer


def split_of(case_id: str) -> str:
    """Two cases in five are held out, fixed by the id, whatever order the file is in."""
    return HOLDOUT if int(hashlib.sha256(case_id.encode()).hexdigest(), 16) % 5 < 2 else TUNE


def load_cases(folder: Path = SETS, file_splits: tuple[str, ...] = (BLIND,)) -> list[dict]:
    """The cases of every file in `folder`; a file may name its split for all its cases, one of
    `file_splits` (in bench/realworld/ only `blind`: a whole file made tunable by a typo would
    go unnoticed)."""
    cases = []
    for path in sorted(folder.glob("*.yml")):
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
        whole = content.get("split")
        if whole is not None and whole not in file_splits:
            raise ValueError(f"{path.name}: a file-level split can only be one of {file_splits}")
        cases += [{**c, "split": whole or split_of(c["id"])} for c in content["cases"]]
    return cases


def first_reply(parse: dict) -> str:
    """The first reply's kind; `clarify_report` for "is this happening to your child now?"."""
    decision = decide(parse)
    return "clarify_report" if decision.clarify == "report" else decision.kind


def outcome(case: dict, parse: dict, limits: Thresholds = THRESHOLDS) -> str:
    """right | wrong | clarify_helped | clarify_missed | fallback | escalation | other."""
    decision = decide(parse, limits)
    if decision.clarify == "report":  # "happening now?" - "no, I am asking" (as run_eval.py answers)
        decision = answer_decision(parse, limits)
    if decision.kind == "answer":
        return "right" if decision.topic in (case.get("topics") or []) else "wrong"
    if decision.kind == "clarify" and decision.candidates:
        return "clarify_helped" if set(decision.candidates) & set(case.get("topics") or []) else "clarify_missed"
    return decision.kind if decision.kind in ("fallback", "escalation") else "other"


def figures(rows: list[dict]) -> dict:
    """Per language: rates over in-scope answerable cases, and the out-of-scope fallback rate."""
    report = {}
    for lang in LANGUAGES:
        inscope = [r for r in rows if r["lang"] == lang and r["expect"] == "answer" and not r.get("gap")]
        oos = [r for r in rows if r["lang"] == lang and r["expect"] == "fallback"]
        everything = [r for r in rows if r["lang"] == lang]  # all plain questions, gaps too
        count = collections.Counter(r["outcome"] for r in inscope)
        n = len(inscope) or 1
        report[lang] = {
            "questions": len(inscope),
            "right": round(count["right"] / n, 3),
            "wrong": round(count["wrong"] / n, 3),
            "clarify": round((count["clarify_helped"] + count["clarify_missed"]) / n, 3),
            "helped": round((count["right"] + count["clarify_helped"]) / n, 3),
            "fallback": round(count["fallback"] / n, 3),
            "escalated": round(sum(r["reply"] == "escalation" for r in everything) / (len(everything) or 1), 3),
            "asked_happening_now": round(sum(r["reply"] == "clarify_report" for r in everything) / (len(everything) or 1), 3),
            "out_of_scope": len(oos),
            "out_of_scope_fallback": round(sum(r["outcome"] == "fallback" for r in oos) / (len(oos) or 1), 3),
            "confused": collections.Counter(f'{r["topics"][0]} → {r["got"]}' for r in inscope
                                            if r["outcome"] == "wrong").most_common(8),
        }
    return report


def slim(parse: dict) -> dict:
    """What `decide` reads, so that thresholds can be tried again without the model."""
    selection = faq_selection(parse)
    return {**{k: parse.get(k) for k in ("intent", "entities", "articles", "red_flags", OTHER_SUBJECT)},
            "intent_ranking": (parse.get("intent_ranking") or [])[:5],
            "response_selector": {RETRIEVAL_INTENT: {"response": selection.get("response"),
                                                     "ranking": (selection.get("ranking") or [])[:5]}}}


def calibrate(rows: list[dict]) -> list[tuple]:
    """Thresholds tried on the tuning part only: the most right answers (a "did you mean" that
    offers the right article counts half) and out-of-scope fallbacks, with at most 5 % wrong
    articles and 10 % "did you mean" turns per language."""
    tune = [r for r in rows if r["split"] == TUNE and r.get("set") != OUT_OF_SCOPE and r["parse"].get("articles")]
    grid = itertools.product([x / 100 for x in range(20, 75, 5)], [x / 100 for x in range(0, 45, 5)],
                             [x / 100 for x in range(10, 45, 5)], [x / 100 for x in range(30, 100, 10)])
    results = []
    for answer_min, margin, clarify_min, oos in grid:
        if clarify_min > answer_min:
            continue
        limits = Thresholds(answer_min, margin, clarify_min, oos)
        with_limits = [{**r, "outcome": outcome(r, r["parse"], limits), "reply": first_reply(r["parse"])} for r in tune]
        report = figures(with_limits)
        if all(report[l]["wrong"] <= 0.05 and report[l]["clarify"] <= 0.10 for l in LANGUAGES):
            score = sum(report[l]["right"] + HELPED_WORTH * (report[l]["helped"] - report[l]["right"])
                        + report[l]["out_of_scope_fallback"] for l in LANGUAGES)
            results.append((round(score, 3), limits, {l: {k: report[l][k] for k in ("right", "wrong", "clarify",
                            "out_of_scope_fallback")} for l in LANGUAGES}))
    return sorted(results, key=lambda r: -r[0])


async def parse_all(model: Path, texts: list[str]) -> list[dict]:
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)
    agent = Agent.load(str(model))
    return [await agent.parse_message(text) for text in texts]


def trained_model(config: Path, workdir: Path) -> Path:
    """An NLU-only model on every training example (the same data as the real model)."""
    from crossval import train_fold  # bench/ is this script's folder
    from bot.settings import load_settings
    from bot.training.data import training_examples

    model, _ = train_fold(workdir, training_examples(load_settings()), config)
    return model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path)
    parser.add_argument("--train", action="store_true", help="train an NLU-only model first")
    parser.add_argument("--config", type=Path, default=ROOT / "config.yml")
    parser.add_argument("--keep", type=Path, help="with --train: keep the model here")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--calibrate", type=Path, metavar="JSON",
                        help="try thresholds on the tuning part of an earlier run's realworld.json")
    parser.add_argument("--rescore", type=Path, metavar="JSON",
                        help="score an earlier run's realworld.json again with today's thresholds")
    args = parser.parse_args()
    if args.calibrate:
        for score, limits, report in calibrate(json.loads(args.calibrate.read_text())["rows"])[:10]:
            print(score, limits, json.dumps(report))
        return
    if args.rescore:
        write_report(json.loads(args.rescore.read_text())["rows"], args.out)
        return
    cases = every_case()
    with tempfile.TemporaryDirectory(prefix="carebot-rw-") as tmp:
        model = trained_model(args.config.resolve(), Path(tmp)) if args.train else args.model
        if args.keep:
            shutil.copy(model, args.keep)
        parses = asyncio.run(parse_all(model, [c["say"] for c in cases]))
    rows = []
    for case, parse in zip(cases, parses):
        rows.append({**{k: case.get(k) for k in ("id", "lang", "expect", "topics", "gap", "split", "set")},
                     "parse": slim(parse)})
    write_report(rows, args.out)


def load_out_of_scope_cases() -> list[dict]:
    """bench/out_of_scope/: every file names its split (`tune` or `blind`)."""
    return [{**c, "set": OUT_OF_SCOPE} for c in load_cases(OUT_OF_SCOPE_SETS, file_splits=(TUNE, BLIND))]


def every_case() -> list[dict]:
    """The real-wording cases, then the out-of-scope ones: what one model run parses."""
    return load_cases() + load_out_of_scope_cases()


def write_report(rows: list[dict], out: Path) -> None:
    """Score the rows with the thresholds in bot/decision.py; bench/results/realworld.{json,md}."""
    cases = {c["id"]: c for c in every_case()}
    rows = [{**r, "outcome": outcome(cases[r["id"]], r["parse"]), "reply": first_reply(r["parse"]),
             "got": decide(r["parse"]).label} for r in rows]
    real = [r for r in rows if r.get("set") != OUT_OF_SCOPE]
    report = {split: figures([r for r in real if r["split"] == split]) for split in PARTS
              if any(r["split"] == split for r in real)}
    everyday = {split: out_of_scope_figures([r for r in rows if r.get("set") == OUT_OF_SCOPE and r["split"] == split])
                for split in (BLIND, TUNE)}
    out.mkdir(parents=True, exist_ok=True)
    (out / "realworld.json").write_text(json.dumps({"report": report, "out_of_scope": everyday, "rows": rows},
                                                   ensure_ascii=False, indent=1), encoding="utf-8")
    text = markdown(report) + out_of_scope_markdown(everyday)
    (out / "realworld.md").write_text(text, encoding="utf-8")
    print(text)


def out_of_scope_figures(rows: list[dict]) -> dict:
    """Per language: how many fell back, were answered with an article, offered articles, paged
    the care team, or were asked "happening now?" first (then scored on the reply to "no, I am
    asking")."""
    report = {}
    for lang in LANGUAGES:
        mine = [r for r in rows if r["lang"] == lang]
        count = collections.Counter(r["outcome"] for r in mine)
        report[lang] = {"questions": len(mine), "fallback": count["fallback"],
                        "answered": count["right"] + count["wrong"],
                        "did_you_mean": count["clarify_helped"] + count["clarify_missed"],
                        "paged": count["escalation"],
                        "asked_happening_now": sum(r["reply"] == "clarify_report" for r in mine)}
    return report


def out_of_scope_markdown(report: dict) -> str:
    lines = ["", "## Everyday and near-the-field questions (bench/out_of_scope/)", "",
             "Written, not collected, to share the articles' words (a leaking washing machine, a pool pump, "
             "the parent's own headache, other drugs and pumps): each must get the fallback. The blind part "
             "was never used to tune anything.", "",
             "| part | language | questions | fell back | answered with an article | did you mean "
             "| paged the care team | asked \"happening now?\" first |", "|---|---|---|---|---|---|---|---|"]
    for split, by_lang in report.items():
        for lang in LANGUAGES:
            r = by_lang[lang]
            if r["questions"]:
                lines.append(f"| {split} | {lang} | {r['questions']} | {r['fallback']} | {r['answered']} | "
                             f"{r['did_you_mean']} | {r['paged']} | {r['asked_happening_now']} |")
    return "\n".join(lines) + "\n"


def markdown(report: dict) -> str:
    lines = ["# Article selection on real families' wording", "",
             f"bench/realworld/*.yml, run {time.strftime('%Y-%m-%d %H:%M')} with the thresholds in bot/decision.py. "
             "In-scope questions (cases marked `gap` have no article yet and are left out): right article, wrong "
             "article, \"did you mean\" (and how often the right article was among the buttons), fallback. "
             "The held-out and blind parts were never used to tune anything. The last two columns are over every question "
             "of the part (none is a report): how often the red-flag net escalated or asked.", "",
             "| part | language | questions | right | wrong | did you mean | right or offered | fallback "
             "| out of scope | its fallback | all: escalated | all: asked \"happening now?\" |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for split in report:  # in PARTS order, the parts that have cases
        for lang in LANGUAGES:
            r = report[split][lang]
            lines.append(f"| {split} | {lang} | {r['questions']} | {r['right']:.3f} | {r['wrong']:.3f} | "
                         f"{r['clarify']:.3f} | {r['helped']:.3f} | {r['fallback']:.3f} | {r['out_of_scope']} | "
                         f"{r['out_of_scope_fallback']:.3f} | {r['escalated']:.3f} | {r['asked_happening_now']:.3f} |")
    lines += ["", "Most confused (expected → answered), all parts:", ""]
    for lang in LANGUAGES:
        pairs = collections.Counter()
        for split in report:
            pairs.update(dict(report[split][lang]["confused"]))
        lines.append(f"- {lang}: " + (", ".join(f"{pair} ({n})" for pair, n in pairs.most_common(8)) or "none"))
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
