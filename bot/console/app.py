"""The nurse console's routes, mounted by the gateway at `/console`. The pages use the gateway's
`Stores` (`request.app.state.console`)."""
from __future__ import annotations

import os

from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from bot.console.account import account_routes
from bot.console.analytics import analytics_routes
from bot.console.articles import article_routes
from bot.console.clinic_settings import settings_routes
from bot.console.escalations import escalation_routes
from bot.console.login import login_routes
from bot.console.model import model_routes
from bot.console.overview import overview_routes
from bot.console.unanswered import unanswered_routes

STATIC = os.path.join(os.path.dirname(__file__), "static")

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
