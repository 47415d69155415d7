"""Where things live and which ports they use, read once from the environment.

Every process (gateway, Rasa, action server, CLI) reads the same variables, so the runner only
has to export them once for all of its children.
"""
from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("en", "zh")
# Rasa reports usage and errors to servers on the internet unless told not to. Families'
# messages never leave this machine: every Rasa process runs with this.
NO_TELEMETRY = {"RASA_TELEMETRY_ENABLED": "false"}


@dataclass(frozen=True)
class Settings:
    root: Path
    content_dir: Path
    # Where everything is stored, Rasa's conversations included: `sqlite:///path` (the default,
    # var/carebot.db, or CAREBOT_DB's path) or `postgresql://user:password@host:port/name`.
    database_url: str
    var_dir: Path
    models_dir: Path
    host: str
    port: int
    rasa_port: int
    actions_port: int
    rasa_token: str
    default_clinic: str
    rate_limit: str
    # Behind a TLS-terminating proxy the app sees http: CAREBOT_SECURE_COOKIES=1 says it is https
    # (Secure cookies, HSTS).
    secure_cookies: bool = False
    # The clinic whose nurses keep the shared articles and model (every clinic reads them).
    library_clinic: str = "demo"
    # State that several processes must share (Rasa's conversation locks, the gateways' rate
    # limits) goes to this Redis (`redis://[user:password@]host[:port][/db]`); empty: in-process.
    redis_url: str = ""
    # How many Rasa servers (each with its own action server) `carebot run` starts, on
    # RASA_PORT, RASA_PORT+1, … and ACTIONS_PORT, ACTIONS_PORT+1, …
    rasa_servers: int = 1

    @property
    def rasa_urls(self) -> list[str]:
        return [f"http://127.0.0.1:{self.rasa_port + i}" for i in range(self.rasa_servers)]

    @property
    def actions_urls(self) -> list[str]:
        return [f"http://127.0.0.1:{self.actions_port + i}" for i in range(self.rasa_servers)]

    @property
    def rasa_url(self) -> str:
        return self.rasa_urls[0]

    @property
    def actions_url(self) -> str:
        return self.actions_urls[0]


MAX_RASA_SERVERS = 16


def _whole_number(text: str) -> int:
    """0 for anything that is not one: `carebot run` refuses it with a clear message."""
    text = text.strip()
    return int(text) if text.isdigit() else 0


@functools.lru_cache(maxsize=16)
def database_url(url: Optional[str], db: Optional[str], var: Optional[str]) -> str:
    """From CAREBOT_DATABASE_URL, CAREBOT_DB and CAREBOT_VAR (cached: the per-message red-flag
    detector asks for it, and resolving the SQLite path is a file-system call)."""
    return (url or "").strip() or f"sqlite:///{Path(db or Path(var or ROOT / 'var') / 'carebot.db').resolve()}"


def load_settings() -> Settings:
    """Build the settings from `CAREBOT_*` variables (and `PORT`), with working defaults."""
    env = os.environ
    var = Path(env.get("CAREBOT_VAR", ROOT / "var"))
    return Settings(
        root=ROOT,
        content_dir=Path(env.get("CAREBOT_CONTENT", ROOT / "content")),
        database_url=database_url(env.get("CAREBOT_DATABASE_URL"), env.get("CAREBOT_DB"), env.get("CAREBOT_VAR")),
        var_dir=var,
        models_dir=Path(env.get("CAREBOT_MODELS", ROOT / "models")),
        host=env.get("HOST", "127.0.0.1"),
        port=int(env.get("PORT", "8000")),
        rasa_port=int(env.get("RASA_PORT", "5005")),
        actions_port=int(env.get("ACTIONS_PORT", "5055")),
        rasa_token=env.get("CAREBOT_RASA_TOKEN", ""),
        default_clinic=env.get("CAREBOT_DEFAULT_CLINIC", "demo"),
        rate_limit=env.get("CAREBOT_RATE_LIMIT", "sender=20/60,address=120/60"),
        secure_cookies=env.get("CAREBOT_SECURE_COOKIES") == "1",
        library_clinic=env.get("CAREBOT_LIBRARY_CLINIC") or env.get("CAREBOT_DEFAULT_CLINIC", "demo"),
        redis_url=env.get("CAREBOT_REDIS_URL", "").strip(),
        rasa_servers=_whole_number(env.get("RASA_SERVERS", "1")),
    )
