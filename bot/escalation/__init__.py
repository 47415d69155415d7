"""Escalation: a reported red flag is recorded first, then the care team is notified."""
