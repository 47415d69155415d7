"""Logging in to the nurse console the way a browser does (login CSRF cookie, session cookie)."""
from __future__ import annotations

import re

import httpx

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
