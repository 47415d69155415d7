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
