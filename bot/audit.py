"""The audit log: who did what, when, to what. Content changes and security events alike
(logins and failed logins, slowed logins, password and role changes, transcripts viewed,
escalations acknowledged).

Append-only, enforced by the database itself: triggers (created by the migration) refuse any
update or delete, so a bug or a borrowed session cannot rewrite what happened. Admins read it on
the console's Audit page.
"""
from __future__ import annotations

import json

from sqlalchemy import select

from bot.clock import now_iso
from bot.i18n import N_
from bot.storage import Database
from bot.storage.schema import audit

# What a change record says of a secret in place of its value: only that it changed.
SECRET_CHANGED = "changed"
# What each action is called on the Audit page (in the nurse's language); an action not listed
# (an older one, or "rollback to v3") is shown as written.
ACTION_NAMES = {
    "import": N_("content imported"), "create": N_("article created"), "edit": N_("article edited"),
    "submit": N_("sent for review"), "approve": N_("approved and published"), "send_back": N_("sent back"),
    "send_back_note": N_("note on sending back"), "retrain": N_("retraining started"),
    "transcript viewed": N_("transcript viewed"), "acknowledge": N_("escalation acknowledged"),
    "resolve": N_("escalation resolved"), "login": N_("logged in"), "login failed": N_("login failed"),
    "login slowed": N_("login slowed down"), "password changed": N_("password changed"),
    "user added": N_("user added"), "user disabled": N_("user disabled"),
    "clinic_settings": N_("clinic settings changed"), "dismiss_unanswered": N_("unanswered questions dismissed"),
    "undo_dismiss_unanswered": N_("dismissal undone"), "escalate_unanswered": N_("escalation opened from the inbox"),
    "translation_checked": N_("unchanged language checked"),
}


class AuditLog:
    def __init__(self, db: Database):
        self.db = db

    def log(self, actor: str, action: str, subject: str, detail: dict | None = None) -> None:
        self.db.insert(audit, {"at": now_iso(), "actor": actor, "action": action, "subject": subject,
                               "detail": json.dumps(detail or {}, ensure_ascii=False)})

    def for_clinic(self, clinic: str, limit: int = 200) -> list[dict]:
        """What one clinic's admin may read: what its own staff did, and what was done to it
        (another clinic's logins and transcripts stay with that clinic)."""
        return self.db.query(
            "select audit.* from audit left join users on users.username = audit.actor "
            "where users.clinic = :clinic or audit.subject = :clinic order by audit.id desc limit :limit",
            {"clinic": clinic, "limit": limit})

    def entries(self, limit: int | None = 200, subject: str | None = None, action: str | None = None) -> list[dict]:
        """The newest first, of one subject and one action when given (all of them: limit None)."""
        query = select(audit).order_by(audit.c.id.desc()).limit(limit)
        if subject:
            query = query.where(audit.c.subject == subject)
        if action:
            query = query.where(audit.c.action == action)
        return self.db.query(query)
