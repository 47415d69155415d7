"""Red-flag detector figures: recall and false alarms per split, language, category and context
on the suite (content/safety/), and the detector's time per message for normal and hostile text.

usage: python bench/redflags.py   → bench/results/redflags.md (also run by `make bench`)
No Rasa model is needed. The held-out figures are the ones to quote. Plain questions (the
articles' example questions) are scored in 5-fold cross-validation, because the second opinion
is trained on them: each fold is scored by a second opinion that never saw it.
"""
from __future__ import annotations

import json
import random
import string
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.redflags import suite  # noqa: E402
from bot.redflags import second_opinion as second  # noqa: E402
from bot.redflags.detector import ASK, REPORT, Detector, detector  # noqa: E402

REPEATS = 5
HOSTILE_VARIANTS = 200  # new texts per hostile pattern, each timed once


SIGNS_EN = ("fever;seizure;vomiting;diarrhoea;bleeding;nosebleed;blue lips;cant breathe;rash;tummy ache;headache;"
            "floppy;wont drink;blood in pee;black poop;cough;chest pain;stuttering;double vision;face droop;"
            "pump alarm;line leaking;dressing wet;red site;chills;rigors;dizzy;drowsy;crying nonstop;mouth sores").split(";")
SIGNS_ZH = ("发烧了 抽搐了 吐了 拉肚子 出血了 流鼻血 嘴唇发紫 喘不上气 皮疹 肚子疼 头疼 没精神 不吃奶 尿血 黑便 咳嗽 "
            "胸口疼 说话结巴 重影 嘴角歪 泵报警 管子漏了 敷料湿了 针眼红肿 发冷 寒战 头晕 昏睡 哭闹不止 口腔溃疡").split()


def hostile_texts() -> dict[str, str]:
    """Messages built to be slow: long words, expanding characters, many numbers and signs."""
    rng = random.Random(7)
    return {
        "'ⅷ' x 1000 (NFKC: 4000 letters)": "ⅷ" * 1000,
        "'a' x 1000 (one long word)": "a" * 1000,
        "'ﷺ' x 1000 (NFKC: 18000 characters)": "ﷺ" * 1000,
        "100 random 9-letter words": " ".join("".join(rng.choice(string.ascii_lowercase) for _ in range(9))
                                              for _ in range(100)),
        "100 random 12-letter words, all starting 'st' (a common start of lexicon words)":
            " ".join("st" + "".join(rng.choice(string.ascii_lowercase) for _ in range(10)) for _ in range(100)),
        "'fever ' x 166": "fever " * 166,
        "'38.5 ' x 200": "38.5 " * 200,
        "'he, ' x 250": "he, " * 250,
        "'if 38.5 ' x 125 (a condition that may be now)": "if 38.5 " * 125,
        "'我感冒了38度9' x 111 (the writer ill, with readings)": "我感冒了38度9" * 111,
        "'keep away from ? ' x 58": "keep away from ? " * 58,
        "'he. ' x 250 (250 sentences)": "he. " * 250,
        "'fever. ' x 142 (a sign in every sentence)": "fever. " * 142,
        "'发烧了。' x 250": "发烧了。" * 250,
        "500 random CJK characters, each a sentence": "。".join(chr(rng.randint(0x4E00, 0x9FFF)) for _ in range(500)),
        "1000 random CJK characters": "".join(chr(rng.randint(0x4E00, 0x9FFF)) for _ in range(1000)),
        "'抽搐了' x 333": "抽搐了" * 333,
        # A different sign each time: each is judged in its own words (up to MAX_SIGNS_JUDGED).
        "30 different signs joined by 'and' (one part of 1000 letters)": " and ".join(SIGNS_EN * 4)[:1000],
        "30 different signs, 'he has …' each a sentence": ". ".join(f"he has {s}" for s in SIGNS_EN * 3)[:1000],
        "30 different Chinese signs, each a sentence": "。".join(f"他{s}" for s in SIGNS_ZH * 8)[:1000],
    }


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def timings(texts: list[str], repeats: int = REPEATS) -> dict:
    detector().assess("warm up")
    ms = []
    for _ in range(repeats):
        for text in texts:
            started = time.perf_counter()
            detector().assess(text)
            ms.append((time.perf_counter() - started) * 1000)
    return {"messages": len(texts), "p50_ms": round(percentile(ms, 0.5), 3),
            "p99_ms": round(percentile(ms, 0.99), 3), "max_ms": round(max(ms), 3)}


def variants(text: str, count: int = HOSTILE_VARIANTS) -> list[str]:
    """`count` copies of a hostile message, each ending in different random letters: an attacker
    sends new texts, so the detector's caches must not flatter its time (the same text again is
    read from them)."""
    rng = random.Random(11)
    def letter() -> str:
        return rng.choice(string.ascii_lowercase) if text[-1].isascii() else chr(rng.randint(0x4E00, 0x9FFF))
    return [text[:-5] + "".join(letter() for _ in range(5)) for _ in range(count)]


def detector_times() -> dict:
    """p50/p99 per message on the suite's messages (normal) and on hostile ones."""
    cases = suite.load_cases()
    result = {f"normal_{lang}": timings([c.text for c in cases if c.lang == lang]) for lang in ("en", "zh")}
    result["hostile"] = {name: timings(variants(text), repeats=1) for name, text in hostile_texts().items()}
    return result


def plain_question_rates(folds: int = 5) -> dict:
    """Per language: how many article example questions are asked "happening now?" or escalated."""
    reports, others = second.training_texts()
    questions = second.article_questions()
    counts = {lang: {"questions": len(qs), ASK: 0, REPORT: 0} for lang, qs in questions.items()}
    lexicon = detector().lexicon
    for fold in range(folds):
        held = {q for qs in questions.values() for i, q in enumerate(qs) if i % folds == fold}
        fold_detector = Detector(lexicon, second.train(reports, [t for t in others if t not in held]))
        for lang, qs in questions.items():
            for q in (q for i, q in enumerate(qs) if i % folds == fold):
                status = fold_detector.assess(q).status
                if status:
                    counts[lang][status] += 1
    return counts


def main() -> None:
    results = suite.run(suite.load_cases())
    report = suite.Report.of(results)
    times = detector_times()
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    lines = ["# Red-flag detector", "", f"Measured {time.strftime('%Y-%m-%d %H:%M')} on "
             f"{len(results)} cases (bench/redflags.py). A report counts as caught when it escalates at once "
             "or after the parent answers yes to \"is this happening to your child now?\" (asked = how many "
             "needed that question). Quote the holdout rows: the tune rows were used to write the lexicon.",
             "", report.markdown(), "", "## Time per message (ms)", "",
             "| messages | p50 | p99 | max |", "|---|---|---|---|"]
    for name in ("normal_en", "normal_zh"):
        t = times[name]
        lines.append(f"| {name} ({t['messages']}) | {t['p50_ms']} | {t['p99_ms']} | {t['max_ms']} |")
    for name, t in times["hostile"].items():
        lines.append(f"| hostile: {name} | {t['p50_ms']} | {t['p99_ms']} | {t['max_ms']} |")
    lines += ["", "## Plain questions (the articles' example questions, 5-fold cross-validation)", "",
              "| lang | questions | asked \"happening now?\" | escalated |", "|---|---|---|---|"]
    for lang, c in plain_question_rates().items():
        lines.append(f"| {lang} | {c['questions']} | {c[ASK]} ({c[ASK] / c['questions']:.1%}) "
                     f"| {c[REPORT]} ({c[REPORT] / c['questions']:.1%}) |")
    (out / "redflags.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (out / "redflags.json").write_text(json.dumps(times, indent=2))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
