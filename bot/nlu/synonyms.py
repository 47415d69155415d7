"""One word for each thing families call by many names (content/synonyms.yml).

"倍利妥", "双抗" and "贝林妥欧单抗" are the same drug; "port", "PICC" and "Hickman" are all the
line. Replacing each variant by its group's first word before featurising lets an example
written with one name teach the article ranker about all of them.
"""
from __future__ import annotations

import functools
import re
from pathlib import Path

import yaml

from bot.settings import ROOT

SYNONYMS_FILE = ROOT / "content" / "synonyms.yml"
CJK = re.compile(r"[\u3400-\u9fff]")


@functools.lru_cache(maxsize=4)
def _table(path: Path) -> tuple[re.Pattern, dict[str, str]]:
    groups = yaml.safe_load(path.read_text(encoding="utf-8"))["groups"]
    canonical = {variant.lower(): group[0] for group in groups for variant in group[1:]}
    pieces = [re.escape(v) if CJK.search(v) else rf"(?<![\w-]){re.escape(v)}(?![\w-])"
              for v in sorted(canonical, key=len, reverse=True)]
    return re.compile("|".join(pieces), re.IGNORECASE), canonical


def normalise(text: str, path: Path = SYNONYMS_FILE) -> str:
    """`text` in lower case with every variant replaced by its group's word, in one pass."""
    pattern, canonical = _table(path)
    return pattern.sub(lambda match: canonical[match.group(0).lower()], text.lower())
