"""Session fixtures: one real model trained per test run, one running stack shared by tests,
real receivers for the care team's alerts (webhook and SMTP on loopback), and a real Redis."""
from __future__ import annotations

import os
import random

import pytest
import yaml
from playwright.sync_api import sync_playwright

from actions import turn
from bot.clinics import DEMO_CLINIC_FILE, ClinicRegistry, token_hash
from bot.escalation.channels import ALLOW_LOOPBACK_ENV
from bot.settings import NO_TELEMETRY, load_settings
from tests.browser import CHROMIUM, CHROMIUM_ARGS
from tests.receivers import MailReceiver, WebhookReceiver
from bot.storage import open_database, sqlite_url
from tests.services import PostgresServer, RedisServer
from tests.stack import Stack, carebot, free_port

os.environ.update(NO_TELEMETRY)  # every Rasa process the tests start inherits it
os.environ[ALLOW_LOOPBACK_ENV] = "1"  # the test receivers listen on http://127.0.0.1
WEBHOOK_SECRET = "stack-webhook-secret-0123456789"
ACK_TOKEN = "care-team-test-token"


def pytest_addoption(parser):
    parser.addoption("--shuffle-modules", metavar="SEED", type=int, default=None,
                     help="run the test modules in an order shuffled by SEED (tests inside a module "
                          "keep theirs), to show that no module relies on another's side effects")


def pytest_report_header(config):
    seed = config.getoption("shuffle_modules")
    return None if seed is None else f"test modules shuffled with seed {seed}"


def pytest_collection_modifyitems(config, items):
    seed = config.getoption("shuffle_modules")
    if seed is None:
        return
    modules: dict = {}
    for item in items:
        modules.setdefault(item.path, []).append(item)
    order = list(modules)
    random.Random(seed).shuffle(order)
    items[:] = [item for path in order for item in modules[path]]


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
                      "ack_token_sha256": token_hash(ACK_TOKEN),
                      # The test clinic gets hundreds of reports in minutes: page for each one.
                      "flood_pages": 10_000, **alerts}
    return demo


def stack_beside(stack: Stack, var, database_url: str, mail, webhook, **env: str) -> Stack:
    """Another whole product, started like `stack` but on its own database and with `env`,
    serving the model `stack` trained (same content: nothing is retrained)."""
    running = Stack(var, stack.env["CAREBOT_MODELS"], database_url=database_url)
    running.env.update({"CAREBOT_SMTP_PORT": str(mail.controller.port), **env})
    carebot(running.env, "content", "import")
    running.deploy_model_of(stack)
    ClinicRegistry(running.database()).save(demo_clinic_alerting(webhook))
    running.start()
    return running


@pytest.fixture(scope="session")
def stack(tmp_path_factory, mail, webhook) -> Stack:
    """The whole product, started the way `make run` starts it, with a freshly trained model.
    The demo clinic alerts the loopback receivers."""
    var, models = tmp_path_factory.mktemp("var"), tmp_path_factory.mktemp("models")
    running = Stack(var, models)
    running.env["CAREBOT_SMTP_PORT"] = str(mail.controller.port)
    carebot(running.env, "content", "import")
    ClinicRegistry(running.database()).save(demo_clinic_alerting(webhook))
    carebot(running.env, "train")
    running.start()
    yield running
    if running.process is not None:
        running.stop()


@pytest.fixture()
def redis_server(tmp_path):
    """A Redis of this test's own (it starts in milliseconds), stopped by its pid afterwards."""
    server = RedisServer(tmp_path).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def postgres():
    """One PostgreSQL server for the run; each test that uses it gets a database of its own."""
    server = PostgresServer().start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    """A new, empty database, once on SQLite and once on PostgreSQL: storage tests run on both
    engines."""
    if request.param == "sqlite":
        return sqlite_url(tmp_path / "carebot.db")
    return request.getfixturevalue("postgres").database()


@pytest.fixture()
def database(database_url):
    """A freshly migrated database, on each engine."""
    db = open_database(database_url)
    yield db
    db.dispose()


@pytest.fixture(scope="module")
def browser():
    """A headless chromium per browser test module: Playwright's sync API keeps an event loop
    running while it is open, which would break later tests that call asyncio.run()."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def stores(tmp_path, monkeypatch):
    """The actions' stores on a fresh database with the demo clinic and the shipped articles."""
    monkeypatch.setenv("CAREBOT_DB", str(tmp_path / "carebot.db"))
    turn.stores.cache_clear()
    turn.stores().clinics.seed_demo()
    turn.stores().content.import_folder(load_settings().content_dir / "articles")
    yield turn.stores()
    turn.stores.cache_clear()
