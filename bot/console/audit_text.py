"""The audit log in the nurse's language: actions by name, subjects and details as sentences.

What is stored stays as it was written (an action word, a subject, the details as JSON); only the
reading is translated. Details are rendered key by key, so a key this module does not know (one
added by a later change) is still shown readably, with the setting's label when it names one.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from bot.audit import ACTION_NAMES, SECRET_CHANGED
from bot.clinics import FIELD_LABELS
from bot.console.accounts import ROLE_NAMES
from bot.content.articles import STATUS_NAMES
from bot.i18n import LANGUAGE_NAMES, N_, sentences, translate

# One sentence per known detail key ({value} is the readable value).
DETAIL_SENTENCES = {
    "version": N_("Version {value}."), "status": N_("Status: {value}."), "changed": N_("Changed: {value}."),
    "note": N_("Note: {value}"), "job": N_("Retraining job {value}."), "count": N_("Questions: {value}."),
    "wait_seconds": N_("Asked to wait {value} seconds."), "address": N_("From address {value}."),
    "role": N_("Role: {value}."), "clinic": N_("Clinic: {value}."),
    "languages": N_("Checked as still saying the same: {value}."),
}
# Words a record of a change may use for its two sides.
CHANGE_SIDES = {"before": N_("before"), "after": N_("after"), "old": N_("before"), "new": N_("after"),
                "from": N_("before"), "to": N_("after")}
# Parts of a setting that is itself a mapping (the theme's colours).
PART_NAMES = {"primary": N_("main colour")}
# Detail values that are words of the workflow, named as the console names them elsewhere.
VALUE_NAMES = {"status": STATUS_NAMES, "role": ROLE_NAMES, "languages": LANGUAGE_NAMES}
# How a reader of each language lists items, pairs a label with its value and adds an aside.
PUNCTUATION = {"en": {"items": ", ", "entries": "; ", "colon": ": ", "open": " (", "close": ")"},
               "zh": {"items": "、", "entries": "；", "colon": "：", "open": "（", "close": "）"}}
ROLLBACK = re.compile(r"^rollback to v(\d+)$")
ESCALATION = re.compile(r"^escalation (\d+)$")


@dataclass(frozen=True)
class AuditLine:
    at: str
    actor: str
    action: str
    subject: str
    details: str


def action_text(action: str, lang: str) -> str:
    """The action by name; one this module does not know is shown as written."""
    if action in ACTION_NAMES:
        return translate(lang, ACTION_NAMES[action])
    rollback = ROLLBACK.match(action)
    if rollback:
        return translate(lang, "rolled back to v{version}", version=rollback.group(1))
    return action


def subject_text(subject: str, lang: str) -> str:
    """"escalation 12" as the queue names it; article ids, clinics and addresses as written."""
    escalation = ESCALATION.match(subject or "")
    if escalation:
        return translate(lang, "Escalation #%(id)s") % {"id": escalation.group(1)}
    return subject or ""


def field_label(key: str, lang: str) -> str:
    """A clinic setting by its form label; any other key in words ("alerts.new_thing": "new thing")."""
    if key in FIELD_LABELS:
        return translate(lang, FIELD_LABELS[key])
    if key in LANGUAGE_NAMES:  # a setting given in each language: {"en": …, "zh": …}
        return translate(lang, LANGUAGE_NAMES[key])
    if key in PART_NAMES:
        return translate(lang, PART_NAMES[key])
    if key in CHANGE_SIDES:
        return translate(lang, CHANGE_SIDES[key])
    return key.rsplit(".", 1)[-1].replace("_", " ")


def value_text(key: str, value: Any, lang: str) -> str:
    """A detail value in words: lists joined, settings by label, workflow words translated."""
    names, marks = VALUE_NAMES.get(key, {}), PUNCTUATION[lang]
    if isinstance(value, list):
        return marks["items"].join(value_text(key, item, lang) for item in value)
    if isinstance(value, dict):
        return marks["entries"].join(entry_text(str(k), v, lang) for k, v in value.items())
    if isinstance(value, bool):
        return translate(lang, "yes") if value else translate(lang, "no")
    if value is None:
        return "—"
    text = str(value)
    if text == SECRET_CHANGED and key.endswith("secret"):
        return translate(lang, "changed (not shown)")
    if text in names:
        return translate(lang, names[text])
    if key == "changed" or (key not in DETAIL_SENTENCES and text in FIELD_LABELS):
        return field_label(text, lang)
    return text


def entry_text(key: str, value: Any, lang: str) -> str:
    """One key of a nested detail: "24-hour number: +1 555 0100", or "24-hour number (before: …)"."""
    marks, label, said = PUNCTUATION[lang], field_label(key, lang), value_text(key, value, lang)
    if isinstance(value, dict):
        return f"{label}{marks['open']}{said}{marks['close']}"
    return f"{label}{marks['colon']}{said}"


def details_text(detail: str, lang: str) -> str:
    """The stored JSON details as sentences; text that is not a JSON object is shown as written."""
    try:
        found = json.loads(detail or "{}")
    except ValueError:
        return detail
    if not isinstance(found, dict):
        return detail
    said = []
    for key, value in found.items():
        template = DETAIL_SENTENCES.get(key, N_("{label}: {value}."))
        said.append(translate(lang, template, label=field_label(key, lang), value=value_text(key, value, lang)))
    return sentences(lang, *said)


def readable(entries: list[dict], lang: str) -> list[AuditLine]:
    """Audit rows as the Audit page and an article's history show them."""
    return [AuditLine(e["at"], e["actor"], action_text(e["action"], lang), subject_text(e["subject"], lang),
                      details_text(e["detail"], lang)) for e in entries]
