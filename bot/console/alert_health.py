"""Can this clinic's care team be alerted? Said on every console page when it cannot.

Without a working alert target every family that reports a red flag is told the team could not
be confirmed and asked to call: nurses must know at once, not find out from a family.
"""
from __future__ import annotations

from typing import Optional

from bot.i18n import translate


def alert_problem(clinics, outbox, clinic: str, lang: str) -> Optional[str]:
    """A sentence for the banner, or None when alerts are configured and the last ones went out."""
    alerts = (clinics.get(clinic) or {}).get("alerts") or {}
    if not (alerts.get("webhook_url") or alerts.get("email_to")):
        return translate(lang, "No alert target is set for this clinic: families who report a warning sign are "
                               "told to call, and nobody here is notified. An admin can set one under Clinic settings.")
    failing = outbox.failing_channels(clinic)
    if failing:
        return translate(lang, "The last alerts could not be delivered ({channels}); they are being retried. "
                               "Check the alert settings and the receiving end.", channels=", ".join(failing))
    return None
