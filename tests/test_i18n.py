"""Every user-visible string outside article content is in the catalogs, translated to Chinese."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

from tests.stack import ROOT

ZH = ROOT / "locales" / "zh" / "LC_MESSAGES" / "carebot.po"


def test_every_string_in_the_code_has_a_chinese_translation(tmp_path):
    pot = tmp_path / "carebot.pot"
    # The same extraction as `make messages`: Python code and the console's templates (babel.cfg).
    subprocess.run([str(Path(sys.executable).parent / "pybabel"), "extract", "-F", "babel.cfg",
                    "--no-default-keywords", "-k", "translate:2", "-k", "_bad:2", "-k", "N_", "-k", "_",
                    "-k", "gettext", "-o", str(pot), "."], cwd=ROOT, check=True, capture_output=True)
    in_code = {m.id for m in read_po(pot.open("rb")) if m.id}
    catalog = {m.id: m for m in read_po(ZH.open("rb"), locale="zh") if m.id}
    assert in_code and in_code <= set(catalog), sorted(in_code - set(catalog))
    untranslated = [i for i in in_code if not catalog[i].string or "fuzzy" in catalog[i].flags]
    assert untranslated == []
    # A translation keeps every placeholder, or the console would show "%(name)s" or crash.
    placeholders = lambda text: sorted(re.findall(r"%\(\w+\)s|\{\w+\}", text))
    assert [i for i in in_code if placeholders(i) != placeholders(catalog[i].string)] == []


SEVERITY_WORDS = {"amber": "黄色", "red": "红色"}  # the one Chinese name of each escalation severity


def test_each_severity_has_one_chinese_name_everywhere():
    """The queue badge, the filters, the intro, the analytics: a nurse reads one word for amber."""
    catalog = [m for m in read_po(ZH.open("rb"), locale="zh") if m.id and isinstance(m.id, str)]
    for english, chinese in SEVERITY_WORDS.items():
        naming = [m for m in catalog if re.search(rf"\b{english}\b(?![- ]flag)", m.id, re.I)]  # not "red flag"
        assert naming, english
        assert [(m.id, m.string) for m in naming if chinese not in m.string] == []
    assert [m.id for m in catalog if "橙色" in m.string] == []
