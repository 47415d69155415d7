"""Start the action server, the Rasa server, the alert worker and the gateway; keep them
running; stop them all together.

Each child runs in its own session so that Ctrl-C reaches only this supervisor, which then
stops every child's whole process group: no orphans, whichever way the supervisor is stopped.
A child that dies is started again, with a growing pause, and the others go on: a dead worker
must not stop the chat, a dead Rasa must not stop the alerts. The signal handler only sets a
flag; all the work happens in the main loop, so a second signal can never deadlock it.
"""
from __future__ import annotations

import dataclasses
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import socket

import httpx
import yaml
from sqlalchemy.engine import make_url

from bot import rasa_tracker
from bot.redis_url import PASSWORD_ENV, parse_redis_url
from bot.settings import NO_TELEMETRY, Settings, load_settings
from bot.storage import open_database

LOCK_STORE_TIMEOUT_SECONDS = 2  # Rasa's default is 10 s per Redis call: a hung Redis would stall turns
# How long a conversation's lock outlives a Rasa server killed mid-turn (Rasa's default is 60 s):
# the turn is retried on another server, which must get the lock well inside the gateway's 30 s
# wait; longer than any turn, including one held up by a model load (~10 s).
LOCK_LIFETIME_SECONDS = 20
STOP_GRACE_SECONDS = 15
TICK_SECONDS = 0.2
RESTART_BACKOFF_SECONDS = (1, 2, 5, 10, 30)  # after the 1st, 2nd, ... crash in a row
STABLE_SECONDS = 60                         # up this long: the crash count starts again
# Readable logs: Rasa's dependencies print pages of deprecation warnings at every start.
QUIET_ENV = {"TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONUNBUFFERED": "1", "PYTHONWARNINGS": "ignore",
             "SQLALCHEMY_SILENCE_UBER_WARNING": "1", **NO_TELEMETRY}


@dataclass
class Service:
    name: str
    command: list[str]
    env: dict


def services(settings: Settings, model: Path) -> list[Service]:
    """Each Rasa server with an action server of its own (`rasa`, `actions`; with RASA_SERVERS=2
    also `rasa2`, `actions2`), then the alert worker and the gateway."""
    python = sys.executable
    pairs = []
    for index in range(settings.rasa_servers):
        suffix = str(index + 1) if index else ""
        endpoints = write_endpoints(settings, index)
        pairs += [
            Service(f"actions{suffix}", [python, "-m", "rasa_sdk", "--actions", "actions",
                                         "--port", str(settings.actions_port + index)],
                    {"SANIC_HOST": "127.0.0.1",
                     # Loading a new model blocks Rasa for ~10 s; an action call it had just opened
                     # must not be dropped meanwhile (Sanic closes a silent connection after 5 s).
                     "SANIC_KEEP_ALIVE_TIMEOUT": "120"}),
            Service(f"rasa{suffix}", [python, "-m", "bot.rasa_server", "run", "--model", str(model),
                                      "--interface", "127.0.0.1", "--port", str(settings.rasa_port + index),
                                      "--enable-api", "--endpoints", str(endpoints),
                                      "--credentials", "credentials.yml"],
                    # the API token comes from CAREBOT_RASA_TOKEN, never the command line
                    {**rasa_password_env(settings), "TICKET_LOCK_LIFETIME": str(LOCK_LIFETIME_SECONDS)}),
        ]
    return [*pairs, Service("worker", [python, "-m", "bot.escalation.worker"], {}),
            Service("gateway", gateway_command(settings.host, settings.port), {})]


def gateway_command(host: str, port: int) -> list[str]:
    """The gateway's command line (no websockets: the installed websockets is too old for
    uvicorn's own, and the gateway has none)."""
    return [sys.executable, "-m", "uvicorn", "--factory", "bot.gateway.app:create_app",
            "--host", host, "--port", str(port), "--no-access-log", "--ws", "none"]


def write_endpoints(settings: Settings, index: int = 0) -> Path:
    """endpoints.yml of Rasa server `index` (its own action server); Rasa's SQL tracker store on
    our own database (which `carebot run` has opened, and so migrated, before); with
    CAREBOT_REDIS_URL, Rasa's Redis lock store, without it Rasa's in-memory one."""
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    path = settings.var_dir / (f"endpoints-{index + 1}.yml" if index else "endpoints.yml")
    sections = {"action_endpoint": {"url": f"{settings.actions_urls[index]}/webhook"},
                "tracker_store": rasa_tracker.endpoint_section(settings.database_url)}
    if settings.redis_url:
        sections["lock_store"] = lock_store(settings.redis_url)
    path.write_text(yaml.safe_dump(sections, sort_keys=False))
    return path


def lock_store(redis_url: str) -> dict:
    """Rasa's RedisLockStore (rasa/core/lock_store.py), so that several Rasa servers never
    handle one conversation's messages at once, with a fallback to memory while Redis is down
    (bot/rasa_lock_store.py). The password stays in the environment: Rasa expands `${...}` in
    endpoints.yml."""
    redis = parse_redis_url(redis_url)
    section: dict = {"type": "bot.rasa_lock_store.RedisLockStoreWithFallback", "url": redis.host,
                     "port": redis.port, "db": redis.db, "key_prefix": "carebot", "use_ssl": redis.tls,
                     "socket_timeout": LOCK_STORE_TIMEOUT_SECONDS}
    if redis.username:
        section["username"] = redis.username
    if redis.password:
        section["password"] = "${%s}" % PASSWORD_ENV
    return section


def rasa_password_env(settings: Settings) -> dict:
    """The variables endpoints.yml's `${CAREBOT_REDIS_PASSWORD}` and `${CAREBOT_DATABASE_PASSWORD}`
    read, for Rasa alone."""
    passwords = {PASSWORD_ENV: parse_redis_url(settings.redis_url).password if settings.redis_url else None,
                 rasa_tracker.PASSWORD_ENV: make_url(settings.database_url).password}
    return {name: password for name, password in passwords.items() if password}


class Supervisor:
    def __init__(self, settings: Settings, model: Path):
        token = settings.rasa_token or secrets.token_urlsafe(24)
        self.settings = settings
        # The gateway's retrain jobs load new models into this Rasa server through its API.
        self.base_env = {**os.environ, **QUIET_ENV, "CAREBOT_RASA_TOKEN": token,
                         "RASA_PORT": str(settings.rasa_port)}
        self.services = services(dataclasses.replace(settings, rasa_token=token), model)
        self.children: dict[str, subprocess.Popen] = {}
        self.started_at: dict[str, float] = {}
        self.crashes: dict[str, int] = {}
        self.restart_at: dict[str, float] = {}
        self.signalled = False  # set by the signal handler, and nothing else happens there

    def start(self) -> None:
        for service in self.services:
            self._spawn(service)

    def _spawn(self, service: Service) -> None:
        child = subprocess.Popen(
            service.command, cwd=self.settings.root, env={**self.base_env, **service.env},
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
            text=True, errors="replace")
        self.children[service.name] = child
        self.started_at[service.name] = time.monotonic()
        threading.Thread(target=self._relay, args=(service.name, child), daemon=True).start()

    def _relay(self, name: str, child: subprocess.Popen) -> None:
        """Copy a child's output to ours, each line prefixed with the service name."""
        assert child.stdout is not None
        for line in child.stdout:
            sys.stdout.write(f"{name:<8}| {line}")
            sys.stdout.flush()

    def wait_ready(self, timeout: float = 300) -> bool:
        url = f"http://127.0.0.1:{self.settings.port}/healthz"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not self.signalled:
            self.keep_alive()
            try:
                if httpx.get(url, timeout=2).status_code == 200:
                    return True
            except httpx.HTTPError:
                pass
            time.sleep(1)
        return False

    def keep_alive(self) -> None:
        """Start again, after its pause, every child that has died."""
        now = time.monotonic()
        for service in self.services:
            child = self.children[service.name]
            if child.poll() is None:
                if now - self.started_at[service.name] > STABLE_SECONDS:
                    self.crashes[service.name] = 0
                continue
            if service.name not in self.restart_at:
                crashes = self.crashes.get(service.name, 0)
                pause = RESTART_BACKOFF_SECONDS[min(crashes, len(RESTART_BACKOFF_SECONDS) - 1)]
                self.crashes[service.name] = crashes + 1
                self.restart_at[service.name] = now + pause
                print(f"carebot  | {service.name} exited (status {child.returncode}); starting it again "
                      f"in {pause} s", flush=True)
            elif now >= self.restart_at[service.name]:
                del self.restart_at[service.name]
                self._spawn(service)

    def stop(self) -> None:
        for child in self.children.values():
            _signal_group(child, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for child in self.children.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(child, signal.SIGKILL)
                child.wait()

    def run_forever(self) -> int:
        """Run until SIGINT or SIGTERM; return the exit status (1 if a port is taken)."""
        def on_signal(signum, frame):
            self.signalled = True
        signal.signal(signal.SIGINT, on_signal)
        signal.signal(signal.SIGTERM, on_signal)
        taken = taken_ports(self.settings)
        if taken:
            print(f"carebot  | cannot start: port {', '.join(taken)} already in use (another `carebot run`?). "
                  f"Stop it, or choose other ports with PORT, RASA_PORT and ACTIONS_PORT.", flush=True)
            return 1
        self.start()
        try:
            if self.wait_ready():
                print(f"carebot  | ready: http://{self.settings.host}:{self.settings.port}/ "
                      f"(chat API at /api/chat, nurse console at /console). Ctrl-C stops everything.", flush=True)
                print(first_admin_hint(self.settings), end="", flush=True)
            while not self.signalled:
                self.keep_alive()
                time.sleep(TICK_SECONDS)
            return 0
        finally:
            self.stop()


def taken_ports(settings: Settings) -> list[str]:
    """The ports this stack needs that something else already listens on."""
    wanted = {str(settings.port): settings.host,
              **{str(settings.rasa_port + i): "127.0.0.1" for i in range(settings.rasa_servers)},
              **{str(settings.actions_port + i): "127.0.0.1" for i in range(settings.rasa_servers)}}
    taken = []
    for port, host in wanted.items():
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((host, int(port)))
            except OSError:
                taken.append(port)
    return taken


def first_admin_hint(settings: Settings) -> str:
    """There are no default console accounts: say how to create the first one."""
    from bot.console.accounts import Accounts

    if Accounts(open_database(settings.database_url)).any_admin():
        return ""
    return ("carebot  | no console admin yet. Create one (you choose the password):\n"
            "carebot  |   .venv/bin/carebot users add YOUR_NAME --clinic demo --role admin\n")


def _signal_group(child: subprocess.Popen, signum: int) -> None:
    try:
        os.killpg(child.pid, signum)
    except ProcessLookupError:
        pass


def main() -> None:
    """`python -m bot.runner MODEL`: what `carebot run` becomes once the model is ready, so the
    long-lived supervisor does not keep the training code in memory."""
    sys.exit(Supervisor(load_settings(), Path(sys.argv[1])).run_forever())


if __name__ == "__main__":
    main()
