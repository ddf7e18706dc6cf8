"""Signing a test client in, as a browser would: read the form's CSRF token, post the form."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.factories import PASSWORD

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_from(html: str) -> str:
    match = CSRF.search(html)
    assert match, "the page has no CSRF field"
    return match.group(1)


def sign_in(client: TestClient, email: str, password: str = PASSWORD) -> str:
    """Sign in; the client then sends the session's CSRF token as a header. Returns it."""
    client.headers.pop("X-CSRF-Token", None)  # a token of an earlier session
    form = client.get("/signin")
    response = client.post(
        "/signin",
        data={"email": email, "password": password, "csrf_token": csrf_from(form.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    token = csrf_from(client.get("/signin").text)
    client.headers["X-CSRF-Token"] = token
    return token
