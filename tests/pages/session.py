"""A browser-like session for the pages' tests in process: the one-off SMS queued, each
form's CSRF token, and a sign-in with a token."""

from __future__ import annotations

import json
import re

from fastapi.testclient import TestClient

from api.services import Services
from domain.notifying import ONE_OFF

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def sent(services: Services) -> list[dict[str, str]]:
    """The one-off SMS queued in the notices' outbox (the delivery worker's to send)."""
    outbox = services.waiting_list.recorder.outbox  # type: ignore[attr-defined]
    with services.database.transaction(write=False) as tx:
        rows = tx.fetchall(
            f"SELECT phone, params FROM {outbox.table} WHERE subject = ? ORDER BY seq", (ONE_OFF,)
        )
    return [{"to": str(phone), "text": json.loads(params)["text"]} for phone, params in rows]


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
