"""A real carebot stack (gateway + Rasa + action server) on free loopback ports, for tests."""
from __future__ import annotations

import contextlib
import datetime as dt
import os
import random
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx

from bot.settings import NO_TELEMETRY
from bot.storage import Database, open_database, sqlite_url

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def free_ports(*offsets: int) -> int:
    """A port p such that p + each offset is free too: `RASA_SERVERS=2` needs RASA_PORT,
    RASA_PORT+1 and the action servers' ports (a port handed out earlier may since have become
    the local end of one of this process's database connections)."""
    while True:
        port = free_port()
        if all(port_free(port + offset) for offset in offsets):
            return port


def port_free(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def carebot(env: dict, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "carebot"), *args], cwd=ROOT, env=env, check=check,
                          capture_output=True, text=True)


def children_of(pid: int) -> list[int]:
    """Direct children of `pid`, from /proc (no extra dependency)."""
    kids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            kids.append(int(stat.parent.name))
    return kids


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    return state != "Z"


class Stack:
    def __init__(self, var: Path, models: Path, rate_limit: str = "off", database_url: str | None = None):
        self.port = free_port()
        self.database_url = database_url or sqlite_url(var / "carebot.db")
        self._database: Database | None = None
        self.env = {**os.environ, "CAREBOT_VAR": str(var), "CAREBOT_DATABASE_URL": self.database_url,
                    "CAREBOT_MODELS": str(models),
                    "PORT": str(self.port), "RASA_PORT": str(free_port()),
                    "ACTIONS_PORT": str(free_port()), "CAREBOT_RATE_LIMIT": rate_limit,
                    "CAREBOT_RASA_TOKEN": uuid.uuid4().hex,
                    "TF_CPP_MIN_LOG_LEVEL": "2", **NO_TELEMETRY}
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = var / "stack.log"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 300) -> None:
        log = open(self.log_path, "a")
        self.process = subprocess.Popen([str(BIN / "carebot"), "run"], cwd=ROOT, env=self.env,
                                        stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"carebot run exited: {self.log_path.read_text()[-3000:]}")
            try:
                if httpx.get(self.url + "/healthz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(1)
        raise RuntimeError(f"stack not ready in {timeout}s: {self.log_path.read_text()[-3000:]}")

    def stop(self, signum: int = signal.SIGTERM) -> int:
        assert self.process is not None
        self.process.send_signal(signum)
        code = self.process.wait(timeout=60)
        self.process = None
        return code

    def database(self) -> Database:
        """The stack's own database, opened once by the test process."""
        if self._database is None:
            self._database = open_database(self.database_url)
        return self._database

    def deploy_model_of(self, other: "Stack") -> None:
        """Serve the model `other` trained and deployed (same models folder, same content): the
        deployed-model record is copied into this stack's database, so nothing is retrained."""
        from bot.storage.schema import deployed_models
        row = other.database().first("select * from deployed_models order by id desc limit 1")
        assert row is not None, "the other stack has no deployed model"
        del row["id"]
        self.database().insert(deployed_models, row)

    def chat(self, message: str, sender: str | None = None, **fields) -> dict:
        response = self.post({"sender": sender or new_sender(), "message": message, **fields})
        assert response.status_code == 200, response.text
        return response.json()

    def post(self, body, **kwargs) -> httpx.Response:
        return httpx.post(self.url + "/api/chat", json=body, timeout=60, **kwargs)


def letters_tag(length: int = 6) -> str:
    """A random tag of letters only, to make a test message unique: hex digits could read as a
    temperature ("39c8" is 39 °C) and turn a question into a red flag."""
    return "".join(random.choice("ghjkmnpqrstvwxyz") for _ in range(length))


def new_sender() -> str:
    return "t-" + uuid.uuid4().hex[:16]


def wait_until(condition, seconds: float = 20.0) -> bool:
    """Poll `condition` until it is true or `seconds` pass (for things done by other processes)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def published(stack: Stack, article_id: str) -> dict:
    """The article families are served now, read from the stack's own store."""
    from bot.content.store import ContentStore
    return ContentStore(stack.database()).published(article_id)


def review_label(stack: Stack, article_id: str, lang: str) -> str:
    """How the widget shows the article's review date: derived from the store, never from the
    calendar, because any test that approves an edit moves `reviewed_on` to today."""
    day = dt.date.fromisoformat(published(stack, article_id)["reviewed_on"])
    if lang == "zh":
        return f"审核于 {day.year}年{day.month}月{day.day}日 · 来源"
    return f"Reviewed {day:%B} {day.day}, {day.year} · Sources"


@contextlib.contextmanager
def articles_restored(stack: Stack, *article_ids: str):
    """Put the published versions of `article_ids` back afterwards, for tests that edit shared
    content, so that no other test depends on running before or after them."""
    from bot.content.store import ContentStore
    store = ContentStore(stack.database())
    originals = [store.published(article_id) for article_id in article_ids]
    try:
        yield
    finally:
        for article in originals:
            store.save({**article, "status": "published"}, actor="test-restore", action="restore")
