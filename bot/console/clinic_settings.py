"""Clinic settings in the console (admins): numbers, hours, widget origins, alert targets, theme.

Validated by the same rules as `carebot clinic set`; every change is audited with the old and
new value of each setting (secrets never appear in the audit log, only that they changed); a save
that changes nothing is not.
"""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.audit import SECRET_CHANGED
from bot.clinics import (COSTS_HELP, DEFAULT_FEVER_THRESHOLD_C, DEFAULT_RETENTION_DAYS, LOCALISED, OPTIONAL_LOCALISED,
                         PHONES, ClinicError, costs_template, plain_text, retention_days)
from bot.console.articles import lines
from bot.console.guard import console, console_route
from bot.console.render import page
from bot.escalation.notify import alert_settings
from bot.gateway.widget import theme_of
from bot.i18n import translate
from bot.settings import LANGUAGES

ALERT_TEXT = ("webhook_url", "email_to", "escalation_email")
ALERT_NUMBERS = ("renotify_minutes", "repeat_window_minutes", "confirm_seconds", "confirm_minutes")
SECRETS = ("webhook_secret",)


def number(text: str):
    """A form number as int/float; anything else is passed on for the validator to reject."""
    try:
        value = float(text)
    except ValueError:
        return text
    return int(value) if value.is_integer() else value


def submitted(form, current: dict, costs_start: dict[str, str]) -> dict:
    """The form as clinic settings; blank secret fields keep the stored secret, and the costs
    template left as it was given (`costs_start`) is no costs text."""
    clinic = {**current}
    for key in LOCALISED:
        clinic[key] = {lang: str(form.get(f"{key}_{lang}", "")).strip() for lang in LANGUAGES}
    for key in OPTIONAL_LOCALISED:
        given = {lang: str(form.get(f"{key}_{lang}", "")).strip() for lang in LANGUAGES}
        clinic[key] = given if any(given.values()) else None
    costs = {lang: plain_text(str(form.get(f"{COSTS_HELP}_{lang}", ""))) for lang in LANGUAGES}
    untouched = all(costs[lang] in ("", costs_start[lang]) for lang in LANGUAGES)
    clinic[COSTS_HELP] = None if untouched else costs
    for key in PHONES:
        clinic[key] = str(form.get(key, "")).strip()
    clinic["fever_threshold_c"] = number(str(form.get("fever_threshold_c", "")).strip())
    clinic["allowed_origins"] = lines(form.get("allowed_origins", ""))
    clinic["logo_url"] = str(form.get("logo_url", "")).strip() or None
    if "privacy_url" in form:
        clinic["privacy_url"] = str(form.get("privacy_url", "")).strip() or None
    if "retention_days" in form:
        clinic["retention_days"] = number(str(form.get("retention_days", "")).strip() or str(DEFAULT_RETENTION_DAYS))
    clinic["theme"] = {"primary": str(form.get("theme_primary", "")).strip()}
    alerts = dict(current.get("alerts") or {})
    for key in (k for k in ALERT_TEXT if k in form):
        alerts[key] = str(form.get(key, "")).strip() or None
    for key in (k for k in ALERT_NUMBERS if k in form):
        text = str(form.get(key, "")).strip()
        alerts[key] = number(text) if text else None
    for key in SECRETS:
        if str(form.get(key, "")).strip():
            alerts[key] = str(form.get(key)).strip()
    clinic["alerts"] = {key: value for key, value in alerts.items() if value is not None}
    return clinic


def template(request: Request) -> dict[str, str]:
    """The costs template: what an empty costs field starts with."""
    return costs_template(console(request).settings.content_dir)


def changes(before: dict, after: dict) -> dict[str, object]:
    """What a save changed, for the audit log: each changed setting (alert settings as
    `alerts.<key>`) with its old and new value, so a changed number can be traced; a secret only
    as "changed", never its value."""
    keys = [k for k in after if k != "alerts" and before.get(k) != after.get(k)]
    old, new = before.get("alerts") or {}, after.get("alerts") or {}
    found: dict[str, object] = {k: {"old": before.get(k), "new": after[k]} for k in keys}
    for key in sorted(set(old) | set(new)):
        if old.get(key) != new.get(key):
            found[f"alerts.{key}"] = SECRET_CHANGED if key in SECRETS else {"old": old.get(key), "new": new.get(key)}
    return found


def shown(clinic: dict, costs_start: dict[str, str]) -> dict[str, str]:
    """What each input of the form shows for stored settings (by input name)."""
    alerts = clinic.get("alerts") or {}
    values = {f"{key}_{lang}": (clinic.get(key) or {}).get(lang) or ""
              for key in (*LOCALISED, *OPTIONAL_LOCALISED) for lang in LANGUAGES}
    values.update({f"{COSTS_HELP}_{lang}": (clinic.get(COSTS_HELP) or {}).get(lang) or costs_start[lang]
                   for lang in LANGUAGES})
    values.update({key: clinic[key] for key in PHONES})
    values.update({
        "fever_threshold_c": str(clinic.get("fever_threshold_c", DEFAULT_FEVER_THRESHOLD_C)),
        "allowed_origins": "\n".join(clinic.get("allowed_origins") or []),
        "theme_primary": theme_of(clinic)["primary"],
        "logo_url": clinic.get("logo_url") or "", "privacy_url": clinic.get("privacy_url") or "",
        "retention_days": str(retention_days(clinic)), "webhook_secret": ""})
    values.update({key: "" if alerts.get(key) is None else str(alerts[key]) for key in ALERT_TEXT})
    applied = alert_settings(clinic)  # a timing never set shows the default that applies
    values.update({key: f"{applied[key]:g}" for key in ALERT_NUMBERS})
    return values


def in_force(clinic: dict) -> dict:
    """The settings as they apply, defaults included: saving a default that the form showed is
    no change."""
    return {**clinic, "theme": theme_of(clinic), "alerts": alert_settings(clinic)}


def typed(form, current: dict, costs_start: dict[str, str]) -> dict[str, str]:
    """What the form shows after a refused save: exactly what the admin submitted, the secret
    too (back to the admin who typed it); the stored setting for an input the form did not send."""
    values = shown(current, costs_start)
    return {**values, **{name: str(form[name]) for name in values if name in form}}


def form_inputs(field: str) -> set[str]:
    """The form's inputs for a setting (`ClinicError.field`), marked when it is refused."""
    if field in (*LOCALISED, *OPTIONAL_LOCALISED, COSTS_HELP):
        return {f"{field}_{lang}" for lang in LANGUAGES}
    if field == "theme":
        return {"theme_primary"}
    return {field.removeprefix("alerts.")}


def secret_is_set(clinic: dict) -> bool:
    return bool((clinic.get("alerts") or {}).get("webhook_secret"))


async def settings_form(request: Request) -> Response:
    clinic, lang = console(request).clinics.get(request.state.visitor.user.clinic), request.state.visitor.lang
    outcome = request.query_params.get("saved")
    flash = translate(lang, "Saved.") if outcome == "1" else \
        translate(lang, "Nothing was changed.") if outcome == "none" else None
    return page(request, "settings.html", clinic=clinic, error=None, flash=flash, invalid=set(),
                values=shown(clinic, template(request)), secret_set=secret_is_set(clinic))


async def save_settings(request: Request) -> Response:
    store, visitor = console(request), request.state.visitor
    current, costs_start = store.clinics.get(visitor.user.clinic), template(request)
    form = await request.form()
    clinic = submitted(form, current, costs_start)
    try:
        saved = store.clinics.save(clinic)
    except ClinicError as exc:
        # Nothing typed is lost; the hint says what is stored, which the refused save did not change.
        return page(request, "settings.html", status=400, clinic=clinic, error=exc.in_language(visitor.lang), flash=None,
                    invalid=form_inputs(exc.field), values=typed(form, current, costs_start),
                    secret_set=secret_is_set(current))
    changed = changes(in_force(current), in_force(saved))
    if not changed:
        return RedirectResponse("/console/settings?saved=none", status_code=303)
    store.content.log(visitor.user.username, "clinic_settings", saved["id"], {"changed": changed})
    return RedirectResponse("/console/settings?saved=1", status_code=303)


settings_routes = [
    console_route("/console/settings", settings_form, "admin"),
    console_route("/console/settings", save_settings, "admin", ("POST",)),
]
