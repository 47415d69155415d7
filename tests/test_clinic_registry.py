"""The clinic registry's storage, on SQLite and PostgreSQL."""
from __future__ import annotations

from bot.clinics import ClinicRegistry


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
