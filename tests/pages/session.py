"""A browser-like session for the pages' tests in process: the SMS outbox read back, each
form's CSRF token, and a sign-in with a token."""

from __future__ import annotations

import json
import re
from pathlib import Path

from fastapi.testclient import TestClient

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def sent(outbox: Path) -> list[dict[str, str]]:
    if not outbox.exists():
        return []
    return [json.loads(line) for line in outbox.read_text().splitlines()]


def csrf_of(client: TestClient, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200, page.text
    found = CSRF.search(page.text)
    assert found, page.text
    return found.group(1)


def sign_in(client: TestClient, token: str) -> None:
    answer = client.post(
        "/signin/token",
        data={"csrf": csrf_of(client, "/signin"), "token": token},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text


def sign_in_as(client: TestClient, issuer_token: str) -> None:
    client.cookies.clear()
    sign_in(client, issuer_token)
