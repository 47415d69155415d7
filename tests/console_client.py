"""Logging in to the nurse console the way a browser does (login CSRF cookie, session cookie)."""
from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import httpx
from starlette.applications import Starlette
from starlette.testclient import TestClient

from bot.clinics import ClinicRegistry
from bot.console.accounts import Accounts
from bot.content.store import ContentStore
from bot.storage import open_database, sqlite_url
from bot.gateway.app import create_app
from bot.settings import ROOT, load_settings

PASSWORD = "correct horse battery staple"


def log_in(client: httpx.Client, username: str, password: str = PASSWORD) -> httpx.Response:
    form = client.get("/console/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
    return client.post("/console/login", data={"username": username, "password": password,
                                               "csrf_token": token, "next": "/console"},
                       follow_redirects=False)


def csrf_of(page: httpx.Response) -> str:
    """The session's CSRF token, as the console's pages carry it."""
    return re.search(r'data-csrf="([^"]+)"', page.text).group(1)


def console_session(client: httpx.Client, username: str, password: str = PASSWORD) -> str:
    """Log in and return the CSRF token for later posts."""
    response = log_in(client, username, password)
    assert response.status_code == 303, response.text[:300]
    return csrf_of(client.get(response.headers["location"]))


def console_app(var: Path, users: dict[str, str], articles: Path = ROOT / "content" / "articles") -> Starlette:
    """The gateway app on a fresh database with the articles of `articles` (the shipped ones),
    the demo clinic and `users` ({name: role}) of the demo clinic; no Rasa needed for console pages."""
    settings = dataclasses.replace(load_settings(), var_dir=var, database_url=sqlite_url(var / "carebot.db"))
    db = open_database(settings.database_url)
    ContentStore(db).import_folder(articles)
    ClinicRegistry(db).seed_demo()
    for name, role in users.items():
        Accounts(db).add(name, "demo", role, PASSWORD)
    return create_app(settings)


def client(app: Starlette) -> TestClient:
    return TestClient(app, base_url="http://127.0.0.1:8000", follow_redirects=False)
