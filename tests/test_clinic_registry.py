"""The clinic registry's storage, on SQLite and PostgreSQL, and the settings it refuses to save."""
from __future__ import annotations

import re

import pytest
import yaml

from bot.clinics import DEMO_CLINIC_FILE, ClinicError, ClinicRegistry, contrast, validate_clinic
from bot.escalation.channels import ALLOW_LOOPBACK_ENV

DEMO = yaml.safe_load(DEMO_CLINIC_FILE.read_text(encoding="utf-8"))
SECRET = "twenty-characters-00"


def test_clinics_are_saved_read_and_never_overwritten_by_the_demo_seed(database):
    registry = ClinicRegistry(database)
    assert registry.get("demo") is None and registry.all() == []
    registry.seed_demo()
    demo = registry.get("demo")
    registry.save({**demo, "id": "clinic-b"})
    registry.save({**demo, "phone_24h": "+1 555 0222"})
    registry.seed_demo()
    assert [c["id"] for c in registry.all()] == ["clinic-b", "demo"]
    assert registry.get("demo")["phone_24h"] == "+1 555 0222"
    assert registry.get("clinic-b")["phone_24h"] == demo["phone_24h"]


def test_the_chat_routes_copy_is_at_most_a_second_old_and_this_gateways_own_edits_count_at_once(database, monkeypatch):
    here, elsewhere = ClinicRegistry(database), ClinicRegistry(database)  # two gateways, one database
    here.seed_demo()
    assert here.recent("demo")["phone_24h"] == here.get("demo")["phone_24h"]
    elsewhere.save({**elsewhere.get("demo"), "phone_24h": "+1 555 0333"})
    assert here.recent("demo")["phone_24h"] != "+1 555 0333"  # read less than a second ago
    monkeypatch.setattr("bot.clinics.RECENT_SECONDS", 0.0)
    assert here.recent("demo")["phone_24h"] == "+1 555 0333"  # then read again
    monkeypatch.setattr("bot.clinics.RECENT_SECONDS", 60.0)
    here.save({**here.get("demo"), "phone_24h": "+1 555 0444"})
    assert here.recent("demo")["phone_24h"] == "+1 555 0444"
    assert here.recent("nowhere") is None
    here.save({**here.get("demo"), "id": "nowhere"})
    assert here.recent("nowhere")["id"] == "nowhere"  # an unknown id is never remembered as unknown


def refusal(change: dict) -> ClinicError:
    """The error saving the demo clinic with `change` raises (the test fails if it is saved)."""
    with pytest.raises(ClinicError) as error:
        validate_clinic({**DEMO, **change})
    assert re.search(r"[\u4e00-\u9fff]{4}", error.value.in_language("zh"))  # an admin reading Chinese is told in Chinese
    return error.value


@pytest.mark.parametrize("url", [
    "http://example.com/hook",             # plain http
    "https://127.0.0.1/hook",              # this machine
    "https://localhost:8443/hook",
    "https://[::1]/hook",
    "https://10.1.2.3/hook",               # a private network
    "https://169.254.169.254/latest",      # cloud metadata
])
def test_a_webhook_that_could_never_deliver_is_refused_when_saved(url, monkeypatch):
    monkeypatch.delenv(ALLOW_LOOPBACK_ENV, raising=False)
    error = refusal({"alerts": {"webhook_url": url, "webhook_secret": SECRET}})
    assert error.field == "alerts.webhook_url" and "public host" in str(error)


def test_a_public_webhook_is_saved_without_looking_its_name_up(monkeypatch):
    monkeypatch.delenv(ALLOW_LOOPBACK_ENV, raising=False)
    for url in ("https://hooks.clinic.example/x", "https://93.184.216.34/alerts"):  # .example never resolves
        assert validate_clinic({**DEMO, "alerts": {"webhook_url": url, "webhook_secret": SECRET}})["alerts"]["webhook_url"] == url


def test_the_tests_loopback_switch_allows_their_local_receiver_and_nothing_else(monkeypatch):
    monkeypatch.setenv(ALLOW_LOOPBACK_ENV, "1")
    alerts = {"webhook_url": "http://127.0.0.1:8999/alerts", "webhook_secret": SECRET}
    assert validate_clinic({**DEMO, "alerts": alerts})["alerts"] == alerts
    assert refusal({"alerts": {**alerts, "webhook_url": "http://example.com/hook"}}).field == "alerts.webhook_url"
    assert refusal({"alerts": {**alerts, "webhook_url": "https://10.1.2.3/hook"}}).field == "alerts.webhook_url"


def test_contrast_is_the_wcag_ratio():
    assert contrast("#ffffff", "#000000") == pytest.approx(21.0)
    assert contrast("#0b5fa5", "#0b5fa5") == pytest.approx(1.0)
    assert contrast("#ffffff", "#767676") == pytest.approx(4.54, abs=0.01)  # the lightest grey that passes AA
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # either order


@pytest.mark.parametrize("colour,ratio", [("#ffffff", "1.00"), ("#777777", "4.47"), ("#ffeb3b", "1.2")])
def test_a_main_colour_the_widgets_white_text_is_unreadable_on_is_refused(colour, ratio):
    error = refusal({"theme": {"primary": colour}})
    assert error.field == "theme" and f"contrast of only {ratio}" in str(error) and "at least 4.5:1" in str(error)


@pytest.mark.parametrize("colour", ["#0b5fa5", "#767676", "#000000"])
def test_a_main_colour_with_enough_contrast_is_saved(colour):
    assert validate_clinic({**DEMO, "theme": {"primary": colour}})["theme"] == {"primary": colour}


@pytest.mark.parametrize("key,most", [("renotify_minutes", 1440), ("repeat_window_minutes", 1440),
                                      ("confirm_seconds", 20), ("confirm_minutes", 1440), ("flood_pages", 10_000)])
def test_alert_timings_have_an_upper_limit(key, most):
    assert validate_clinic({**DEMO, "alerts": {key: most}})["alerts"][key] == most
    for wrong in (most + 1, 100_000, 0, True):
        error = refusal({"alerts": {key: wrong}})
        assert error.field == f"alerts.{key}" and f"above 0 and at most {most}." in str(error)


def test_an_alert_email_setting_may_name_several_addresses_and_each_must_be_one():
    saved = validate_clinic({**DEMO, "alerts": {"email_to": "oncall@clinic.test,deputy@clinic.test; ward@clinic.test",
                                                "escalation_email": "lead@clinic.test"}})["alerts"]
    assert saved["email_to"] == "oncall@clinic.test, deputy@clinic.test, ward@clinic.test"
    assert saved["escalation_email"] == "lead@clinic.test"
    for wrong in ("oncall@clinic.test, nurse", "oncall@clinic.test,,@", " , "):
        error = refusal({"alerts": {"email_to": wrong}})
        assert error.field == "alerts.email_to" and "must be e-mail addresses, separated by commas." in str(error)
    error = refusal({"alerts": {"escalation_email": ", ".join(f"n{i}@clinic.test" for i in range(6))}})
    assert error.field == "alerts.escalation_email" and "at most 5 addresses" in str(error)
