"""The nurse console, mounted by the gateway at `/console`: what it holds and its routes."""
from __future__ import annotations

import os

from sqlite_utils import Database
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from bot.clinics import ClinicRegistry
from bot.console.accounts import Accounts
from bot.console.account import account_routes
from bot.console.analytics import analytics_routes
from bot.console.articles import article_routes
from bot.console.clinic_settings import settings_routes
from bot.console.escalations import escalation_routes
from bot.console.login import login_routes
from bot.console.model import model_routes
from bot.console.overview import overview_routes
from bot.console.sessions import Sessions
from bot.console.unanswered import unanswered_routes
from bot.content.store import ContentStore
from bot.content.workflow import Workflow
from bot.escalation.outbox import Outbox
from bot.escalation.store import EscalationStore
from bot.settings import Settings
from bot.unanswered import UnansweredLog

STATIC = os.path.join(os.path.dirname(__file__), "static")


class Console:
    """The stores the console pages share (one SQLite database with the gateway)."""

    def __init__(self, db: Database, settings: Settings, content: ContentStore, clinics: ClinicRegistry,
                 escalations: EscalationStore, outbox: Outbox):
        self.settings = settings
        self.accounts, self.sessions = Accounts(db), Sessions(db)
        self.content, self.workflow = content, Workflow(content)
        self.clinics, self.escalations, self.outbox = clinics, escalations, outbox
        self.unanswered = UnansweredLog(db)
        self.secure_cookies = settings.secure_cookies


console_routes = [
    *login_routes,
    *overview_routes,
    *article_routes,
    *analytics_routes,
    *unanswered_routes,
    *escalation_routes,
    *settings_routes,
    *account_routes,
    *model_routes,
    # Styles and scripts only (no data): public, so that the login page is styled.
    Mount("/console/static", StaticFiles(directory=STATIC), name="console-static"),
]
