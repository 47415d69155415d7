"""Run shared/eval/run_eval.py with one fix: its judge returns None instead of False.

`judge()` computes `(...) or (case.get("esc_ok") and ...)`, which is None for a missed case
without `esc_ok`, and `tally[key][0] += None` then crashes the whole run on the first miss.
Wrapping the judge keeps the scorer's rules exactly and only turns None into False.
"""
import runpy
import sys
from pathlib import Path

scorer = runpy.run_path(str(Path(sys.argv.pop(1))))  # argv: SCORER BASE CASES [options]
original_judge = scorer["judge"]


def judge(case, meta):
    ok, lang_ok = original_judge(case, meta)
    return bool(ok), lang_ok


scorer["main"].__globals__["judge"] = judge
scorer["main"]()
