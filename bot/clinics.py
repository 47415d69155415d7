"""Clinic settings: each clinic's name, numbers, hours and allowed web origins.

Articles never contain these facts; they refer to them as `{{ clinic.phone_24h }}` and the
answer action fills them in per clinic and language.
"""
from __future__ import annotations

import hashlib
import json
import re
import time
from pathlib import Path
from typing import Any, Optional

import yaml
from babel.numbers import format_decimal
from sqlalchemy import select

from bot.escalation.channels import DeliveryError, check_webhook_url
from bot.i18n import BABEL_LOCALE, N_, translate
from bot.settings import LANGUAGES
from bot.storage import Database
from bot.storage.schema import clinics

DEMO_CLINIC_FILE = Path(__file__).with_name("demo_clinic.yml")
PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{1,24}$")
# Line breaks and other control characters in a name would end up in e-mail headers and pages.
# Control characters but the line break, and the invisible ones that reorder or hide text (a
# phone number shown backwards): none belongs in what families read.
NOT_PRINTED = "\x00-\x09\x0b-\x1f\x7f\u0085\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069"
CONTROL = re.compile(f"[\n{NOT_PRINTED}]")
URL = re.compile(r"^https?://[A-Za-z0-9.\-\[\]:]+(?:/[^\s\x00-\x1f\x7f]*)?$")
ORIGIN = re.compile(r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$")
LOCALISED = ("name", "day_hours")
# Optional, in every language when given: who families ask about costs, insurance and
# reimbursement (a social worker, the billing office), named by the fallback for such questions.
OPTIONAL_LOCALISED = ("costs_contact",)
# Optional, in every language when given, several lines: what the clinic tells families about
# costs and reimbursement (insurance, 医保, 异地就医备案, 大病保险, 患者援助项目), which differ
# by country and clinic; content/costs_template.yml is where a clinic starts.
COSTS_HELP = "costs_help"
MAX_COSTS_HELP_CHARS = 2000
CONTROL_BUT_LINES = re.compile(f"[{NOT_PRINTED}]")  # a text of several lines keeps its line breaks
UNFILLED = re.compile(r"\[[^\]\n]{3,}\]")  # a "[…]" part of the template, not yet written
COSTS_TEMPLATE_FILE = "costs_template.yml"
PHONES = ("phone_day", "phone_24h", "emergency_number", "crisis_line")
DEFAULT_RETENTION_DAYS = 90  # conversations with nothing new for this long are erased
# Derived from settings for articles: the fever threshold in both scales ("38.0 °C (100.4 °F)").
DERIVED = ("fever_threshold",)
# The variables an article may use: `{{ clinic.<name> }}`.
TEMPLATE_FIELDS = (*LOCALISED, *PHONES, *DERIVED)
DEFAULT_FEVER_THRESHOLD_C = 38.0
# The chat route reads a clinic's settings at most this often; a change made on another gateway
# reaches this one within it (a change made here, at once).
RECENT_SECONDS = 1.0
# The widget writes white text on the main colour (launcher, header, the parent's own messages,
# the send button: css() in bot/gateway/static/widget.js), which must stay readable: WCAG 2.x AA
# asks a contrast of at least 4.5:1 for normal text.
TEXT_ON_THEME = "#ffffff"
MIN_CONTRAST = 4.5
# Upper limits of the alert timings (how bot/escalation/ and actions/escalate.py use them): past
# them a value is a typo, or would keep the care team or the family from being told.
ALERT_MAXIMA = {
    # Minutes before an unacknowledged alert is sent again: one later than a day reminds nobody.
    "renotify_minutes": 1440,
    # Minutes in which a repeat report from one conversation updates the open alert instead of
    # paging: with a longer window, a report the next day would not page anyone.
    "repeat_window_minutes": 1440,
    # Seconds the family's chat reply, with its instructions, waits for a delivery to be
    # confirmed: the gateway (RasaClient) and the widget give up on a turn after 30 s, so a longer
    # wait would lose the instructions; 20 s leaves time for the rest of the turn.
    "confirm_seconds": 20,
    # Minutes after which a family whose report nobody acknowledged is told to call: past a day
    # they would in effect never be told.
    "confirm_minutes": 1440,
    # New reports in 10 minutes before one summary page: 10 000 already means "a page for every
    # report" (the tests' clinic, which gets hundreds of reports in minutes, uses it).
    "flood_pages": 10_000,
}


# What messages about a setting call it: the console form's label, or a short form of it.
# Settings set only in YAML (`carebot clinic set`) are named too: a message is read in the
# admin's language.
FIELD_LABELS = {
    "id": N_("Clinic id"), "name": N_("Clinic name"), "day_hours": N_("Daytime hours"),
    "costs_contact": N_("Who families ask about costs"), COSTS_HELP: N_("What you tell families about costs"),
    "phone_day": N_("Daytime number"), "phone_24h": N_("24-hour number"),
    "emergency_number": N_("Emergency number"), "crisis_line": N_("Crisis line"),
    "fever_threshold_c": N_("Fever threshold (°C)"), "retention_days": N_("Keep conversations for (days)"),
    "privacy_url": N_("Privacy notice URL"), "allowed_origins": N_("Websites allowed to embed the chat"),
    "logo_url": N_("Logo URL"), "theme": N_("Main colour (#rrggbb)"), "alerts": N_("Alerts to the care team"),
    "alerts.webhook_url": N_("Webhook URL"), "alerts.webhook_secret": N_("Webhook secret"),
    "alerts.email_to": N_("On-call e-mail addresses"),
    "alerts.escalation_email": N_("E-mail addresses when an alert is not acknowledged"),
    "alerts.renotify_minutes": N_("Re-notify after (minutes)"),
    "alerts.repeat_window_minutes": N_("Minutes in which a repeat report updates the open alert"),
    "alerts.confirm_seconds": N_("Seconds to wait for an alert's delivery to be confirmed"),
    "alerts.confirm_minutes": N_("Tell the family to call if no one has acknowledged after (minutes)"),
    "alerts.flood_pages": N_("New reports in 10 minutes before one summary page"),
}


class ClinicError(ValueError):
    """Clinic settings that would mislead a family (a malformed number, a missing translation).

    `message` is a catalog message id about the setting `field` (`{field}` in it is the
    setting's label): the console shows it in the admin's language (`in_language`); `str()`, for
    the command line, is the English one with the setting's YAML key."""

    def __init__(self, field: str, message: str, **values: object):
        self.field, self.message, self.values = field, message, values
        super().__init__(f"{self.in_language('en')} ({field})")

    def in_language(self, lang: str) -> str:
        return translate(lang, self.message, field=translate(lang, FIELD_LABELS[self.field]), **self.values)


def validate_clinic(doc: Any) -> dict:
    if not isinstance(doc, dict) or not re.match(r"^[a-z0-9][a-z0-9_-]{0,31}$", str(doc.get("id", ""))):
        raise ClinicError("id", N_("{field} must be lower-case letters, digits, - or _ (at most 32)."))
    for key in LOCALISED:
        value = doc.get(key)
        if not isinstance(value, dict) or any(not str(value.get(lang) or "").strip() for lang in LANGUAGES):
            raise ClinicError(key, N_("{field} must be given in English and in Chinese."))
        if any(CONTROL.search(str(value.get(lang))) for lang in LANGUAGES):
            raise ClinicError(key, N_("{field} must not contain line breaks or other control characters."))
    for key in OPTIONAL_LOCALISED:
        value = doc.get(key)
        if value is not None and (not isinstance(value, dict) or any(
                not str(value.get(lang) or "").strip() or CONTROL.search(str(value.get(lang)))
                for lang in LANGUAGES)):
            raise ClinicError(key, N_("{field} must be given in English and in Chinese, each on one line, or left empty in both."))
    costs_help = validate_costs_help(doc.get(COSTS_HELP))
    for key in PHONES:
        if not PHONE.match(str(doc.get(key) or "")):
            raise ClinicError(key, N_("{field} must be a phone number (digits, spaces, + ( ) -)."))
    threshold = doc.get("fever_threshold_c", DEFAULT_FEVER_THRESHOLD_C)
    if not isinstance(threshold, (int, float)) or not 37.5 <= threshold <= 39.0:
        raise ClinicError("fever_threshold_c", N_("{field} must be a number between 37.5 and 39.0."))
    retention = doc.get("retention_days", DEFAULT_RETENTION_DAYS)
    if not isinstance(retention, (int, float)) or isinstance(retention, bool) or not 1 <= retention <= 3650:
        raise ClinicError("retention_days", N_("{field} must be a number of days between 1 and 3650."))
    if doc.get("privacy_url") is not None and not URL.match(str(doc["privacy_url"])):
        raise ClinicError("privacy_url", N_("{field} must be a web address starting http:// or https://."))
    origins = doc.get("allowed_origins", [])
    if not isinstance(origins, list) or not all(isinstance(o, str) and ORIGIN.match(o) for o in origins):
        raise ClinicError("allowed_origins", N_("{field} must be one origin per line, written http(s)://host or http(s)://host:port."))
    if doc.get("logo_url") is not None and not re.match(r"^https?://\S+$", str(doc["logo_url"])):
        raise ClinicError("logo_url", N_("{field} must be a web address starting http:// or https://."))
    theme = doc.get("theme") or {}
    if not isinstance(theme, dict) or not all(re.match(r"^#[0-9a-fA-F]{6}$", str(v)) for v in theme.values()):
        raise ClinicError("theme", N_("{field}: a colour is written #rrggbb, for example #0b5fa5."))
    primary = theme.get("primary")
    if primary is not None and (ratio := contrast(TEXT_ON_THEME, primary)) < MIN_CONTRAST:
        raise ClinicError("theme", N_("{field}: white text on this colour has a contrast of only {ratio}:1; families "
                                      "need at least {least}:1 to read the chat. Choose a darker colour."),
                          ratio=f"{int(ratio * 100) / 100:.2f}", least=MIN_CONTRAST)
    return {**doc, COSTS_HELP: costs_help, "fever_threshold_c": float(threshold), "allowed_origins": origins,
            "alerts": validate_alerts(doc.get("alerts") or {})}


def contrast(first: str, second: str) -> float:
    """WCAG 2.x contrast ratio of two #rrggbb colours, from 1 (the same) to 21 (black on white)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def relative_luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of a #rrggbb colour: each sRGB channel made linear, weighted
    by how bright the eye sees it."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    red, green, blue = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def validate_costs_help(value: Any) -> Optional[dict]:
    """Not given at all, or a text in every language, within MAX_COSTS_HELP_CHARS each; returned
    with Windows line breaks made plain and outer blank space removed."""
    if value is None:
        return None
    if not isinstance(value, dict) or any(not isinstance(value.get(lang), str) or not value[lang].strip()
                                          for lang in LANGUAGES):
        raise ClinicError(COSTS_HELP, N_("{field} must be given in English and in Chinese, or left empty in both."))
    texts = {lang: plain_text(value[lang]) for lang in LANGUAGES}
    if any(len(text) > MAX_COSTS_HELP_CHARS or CONTROL_BUT_LINES.search(text) for text in texts.values()):
        raise ClinicError(COSTS_HELP, N_("{field} must be at most {chars} characters in each language, without "
                                         "control characters."), chars=MAX_COSTS_HELP_CHARS)
    if any(UNFILLED.search(text) for text in texts.values()):
        raise ClinicError(COSTS_HELP, N_("{field} still has [bracketed] parts of the example: write them or delete them."))
    return texts


def plain_text(text: str) -> str:
    """A text of several lines as stored: plain line breaks (a browser's textarea sends "\r\n"),
    no blank space around it."""
    return text.replace("\r\n", "\n").strip()


def costs_template(content_dir: Path) -> dict[str, str]:
    """Where a clinic starts its costs text, per language (content/costs_template.yml); empty for
    a content folder without one."""
    path = content_dir / COSTS_TEMPLATE_FILE
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None
    return {lang: str((doc or {}).get(lang) or "").strip() for lang in LANGUAGES}


EMAIL = re.compile(r"^[^@\s,;]+@[^@\s,;]+$")
ADDRESS_BREAK = re.compile(r"[,;\s]+")
MAX_ALERT_EMAILS = 5  # the on-call nurse, her deputy, the ward: a page should not reach everyone


def email_addresses(value: Any) -> list[str]:
    """The addresses an e-mail alert setting names: one, or several separated by commas. Each
    gets its own alert, delivered and retried on its own: one full mailbox stops no other."""
    return [address for address in ADDRESS_BREAK.split(str(value or "")) if address]


def validate_alerts(alerts: Any) -> dict:
    """Where the care team is alerted; every target is optional, but a webhook needs a secret."""
    if not isinstance(alerts, dict):
        raise ClinicError("alerts", N_("{field} must be settings written key: value."))
    url = alerts.get("webhook_url")
    if url is not None and not URL.match(str(url)):
        raise ClinicError("alerts.webhook_url", N_("{field} must be a web address starting https:// (alerts are sent "
                                                  "only over https, to a public address)."))
    if url:
        check_webhook_setting(str(url))
    if url and len(str(alerts.get("webhook_secret") or "")) < 16:
        raise ClinicError("alerts.webhook_secret", N_("{field} must be at least 16 characters."))
    alerts = dict(alerts)
    for key in ("email_to", "escalation_email"):
        if alerts.get(key) is None:
            continue
        addresses = email_addresses(alerts[key])
        if not addresses or not all(EMAIL.match(address) for address in addresses):
            raise ClinicError(f"alerts.{key}", N_("{field} must be e-mail addresses, separated by commas."))
        if len(addresses) > MAX_ALERT_EMAILS:
            raise ClinicError(f"alerts.{key}", N_("{field} can have at most {most} addresses."), most=MAX_ALERT_EMAILS)
        alerts[key] = ", ".join(addresses)
    for key, most in ALERT_MAXIMA.items():
        value = alerts.get(key)
        if value is not None and (not isinstance(value, (int, float)) or isinstance(value, bool)
                                  or not 0 < value <= most):
            raise ClinicError(f"alerts.{key}", N_("{field} must be a number above 0 and at most {most}."), most=most)
    return alerts


def check_webhook_setting(url: str) -> None:
    """Refuse a webhook that could never deliver, by the rule alerts are sent by
    (bot.escalation.channels): plain http, a written private, loopback or reserved address,
    `localhost`. A host name is not looked up here; the addresses it resolves to are checked
    every time an alert is sent, and a failure shows in the console's red banner."""
    try:
        check_webhook_url(url)
    except DeliveryError:
        raise ClinicError("alerts.webhook_url", N_("{field} must start https:// and name a public host: alerts are "
                                                  "never sent over plain http, nor to this machine or a private "
                                                  "network.")) from None


def retention_days(clinic: dict) -> float:
    """How long this clinic keeps a conversation after its last message (clinics saved before the
    setting existed keep the default)."""
    return clinic.get("retention_days", DEFAULT_RETENTION_DAYS)


def template_context(clinic: dict, lang: str) -> dict:
    """The `clinic` object articles see: localised fields already in the reply language."""
    context = {key: clinic[key] for key in PHONES}
    context.update({key: clinic[key][lang] for key in LOCALISED})
    context["fever_threshold"] = temperature_text(clinic.get("fever_threshold_c", DEFAULT_FEVER_THRESHOLD_C), lang)
    return context


def temperature_text(celsius: float, lang: str) -> str:
    """A temperature as articles show it, in both scales: the clinic's threshold is one setting,
    so no article can say 38.0 where the clinic (and the red-flag detector) uses 38.5."""
    fahrenheit = celsius * 9 / 5 + 32
    return translate(lang, "{celsius} °C ({fahrenheit} °F)",
                     celsius=format_decimal(celsius, "0.0", locale=BABEL_LOCALE[lang]),
                     fahrenheit=format_decimal(fahrenheit, "0.0", locale=BABEL_LOCALE[lang]))


def token_hash(token: str) -> str:
    """Care-team API tokens are stored hashed, like passwords."""
    return hashlib.sha256(token.encode()).hexdigest()


def tel_link(number: str) -> str:
    return "tel:" + re.sub(r"[^0-9+]", "", number)


class ClinicRegistry:
    def __init__(self, db: Database):
        self.db = db
        self._recent: dict[str, tuple[float, dict]] = {}  # clinic id -> (read at, settings)

    def get(self, clinic_id: str) -> dict | None:
        row = self.db.first(select(clinics.c.settings).where(clinics.c.id == clinic_id))
        return json.loads(row["settings"]) if row else None

    def recent(self, clinic_id: str) -> dict | None:
        """`get`, read at most RECENT_SECONDS ago: every chat turn needs its clinic, and a query
        a turn was a tenth of the gateway's time. Callers must not change the dict."""
        now = time.monotonic()
        read_at, clinic = self._recent.get(clinic_id, (0.0, None))
        if clinic is None or now - read_at > RECENT_SECONDS:
            clinic = self.get(clinic_id)
            if clinic is not None:  # only clinics that exist: unknown ids cannot grow it
                self._recent[clinic_id] = (now, clinic)
        return clinic

    def all(self) -> list[dict]:
        return [json.loads(r["settings"]) for r in self.db.query(select(clinics.c.settings).order_by(clinics.c.id))]

    def save(self, doc: dict) -> dict:
        clinic = validate_clinic(doc)
        self.db.upsert(clinics, {"id": clinic["id"], "settings": json.dumps(clinic, ensure_ascii=False)})
        self._recent.pop(clinic["id"], None)
        return clinic

    def seed_demo(self) -> None:
        """Add the demo clinic unless it exists (never overwrite a clinic's own edits)."""
        if self.get("demo") is None:
            self.save(yaml.safe_load(DEMO_CLINIC_FILE.read_text(encoding="utf-8")))
