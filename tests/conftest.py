"""Session fixtures: one real model trained per test run, one running stack shared by tests,
and real receivers for the care team's alerts (webhook and SMTP on loopback)."""
from __future__ import annotations

import os

import pytest
import yaml
from playwright.sync_api import sync_playwright

from bot.clinics import DEMO_CLINIC_FILE, ClinicRegistry, token_hash
from bot.db import open_db
from bot.settings import NO_TELEMETRY
from tests.browser import CHROMIUM, CHROMIUM_ARGS
from tests.receivers import MailReceiver, WebhookReceiver
from tests.stack import Stack, carebot, free_port

os.environ.update(NO_TELEMETRY)  # every Rasa process the tests start inherits it
WEBHOOK_SECRET = "stack-webhook-secret-0123456789"
ACK_TOKEN = "care-team-test-token"


@pytest.fixture(scope="session")
def mail():
    receiver = MailReceiver(free_port()).start()
    yield receiver
    receiver.stop()


@pytest.fixture(scope="session")
def webhook():
    receiver = WebhookReceiver(free_port(), WEBHOOK_SECRET).start()
    yield receiver
    receiver.stop()


def demo_clinic_alerting(webhook: WebhookReceiver, **alerts) -> dict:
    demo = yaml.safe_load(DEMO_CLINIC_FILE.read_text(encoding="utf-8"))
    demo["alerts"] = {"webhook_url": webhook.url, "webhook_secret": WEBHOOK_SECRET,
                      "email_to": "oncall@clinic.test", "escalation_email": "lead@clinic.test",
                      "ack_token_sha256": token_hash(ACK_TOKEN), **alerts}
    return demo


@pytest.fixture(scope="session")
def stack(tmp_path_factory, mail, webhook) -> Stack:
    """The whole product, started the way `make run` starts it, with a freshly trained model.
    The demo clinic alerts the loopback receivers."""
    var, models = tmp_path_factory.mktemp("var"), tmp_path_factory.mktemp("models")
    running = Stack(var, models)
    running.env["CAREBOT_SMTP_PORT"] = str(mail.controller.port)
    carebot(running.env, "content", "import")
    ClinicRegistry(open_db(running.env["CAREBOT_DB"])).save(demo_clinic_alerting(webhook))
    carebot(running.env, "train")
    running.start()
    yield running
    if running.process is not None:
        running.stop()


@pytest.fixture(scope="module")
def browser():
    """A headless chromium per browser test module: Playwright's sync API keeps an event loop
    running while it is open, which would break later tests that call asyncio.run()."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
