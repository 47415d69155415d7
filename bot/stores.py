"""Every store of a process, on the process's one database.

The gateway (and the console pages it serves), the action server and the alert worker each hold
one `Stores`; a store is made the first time it is used, so a process pays only for what it
touches.
"""
from __future__ import annotations

from functools import cached_property
from typing import Optional

from bot.audit import AuditLog
from bot.clinics import ClinicRegistry
from bot.console.accounts import Accounts
from bot.console.sessions import Sessions
from bot.content.store import ContentStore
from bot.content.workflow import Workflow
from bot.conversations import ConversationRecords
from bot.escalation.outbox import Outbox
from bot.escalation.store import EscalationStore
from bot.rasa_tracker import Transcripts
from bot.settings import Settings
from bot.storage import Database, database_for
from bot.training.jobs import RetrainJobs
from bot.unanswered import UnansweredLog


class Stores:
    def __init__(self, settings: Settings, database: Optional[Database] = None):
        self.settings = settings
        self.db = database or database_for(settings.database_url)

    @property
    def secure_cookies(self) -> bool:
        return self.settings.secure_cookies

    @cached_property
    def content(self) -> ContentStore:
        return ContentStore(self.db)

    @cached_property
    def workflow(self) -> Workflow:
        return Workflow(self.content)

    @cached_property
    def audit(self) -> AuditLog:
        return AuditLog(self.db)

    @cached_property
    def clinics(self) -> ClinicRegistry:
        return ClinicRegistry(self.db)

    @cached_property
    def accounts(self) -> Accounts:
        return Accounts(self.db)

    @cached_property
    def sessions(self) -> Sessions:
        return Sessions(self.db)

    @cached_property
    def escalations(self) -> EscalationStore:
        return EscalationStore(self.db)

    @cached_property
    def outbox(self) -> Outbox:
        return Outbox(self.db)

    @cached_property
    def unanswered(self) -> UnansweredLog:
        return UnansweredLog(self.db)

    @cached_property
    def transcripts(self) -> Transcripts:
        return Transcripts(self.settings.database_url)

    @cached_property
    def conversations(self) -> ConversationRecords:
        return ConversationRecords(self.db, self.escalations, self.unanswered, self.transcripts)

    @cached_property
    def retrain_jobs(self) -> RetrainJobs:
        return RetrainJobs(self.db)
