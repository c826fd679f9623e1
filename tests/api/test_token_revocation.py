"""A revoked token, and every token of a retired key, is refused within the stated bound
(api.revocations.MAX_AGE_SECONDS after the revocation commits), by every process on the store,
even one that remembers the token verified; a process whose serving tick does not run reads
the list itself. A key still in the ring goes on working until it is retired."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import jwt
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.auth import Principal, TokenIssuer, key_id
from api.revocations import MAX_AGE_SECONDS, retire, revoke
from api.services import Services
from config.settings import Settings
from domain.values import Role
from tests.api.conftest import TOKEN_KEY_HEX, Tokens
from tests.api.walk import UNKNOWN
from tests.keys import IDENTITY_KEY_HEX

PREVIOUS_KEY_HEX = "70726576696f75732d746f6b656e2d6b65792d666f722d74657374732d6f6e6c79"
AUDITOR = Principal("auditor-1", Role.AUDITOR)


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """The ring: the tests' key signs, a previous key is still accepted."""
    return Settings(
        database_url=database_url,
        identity_key=IDENTITY_KEY_HEX,  # type: ignore[arg-type]
        token_key=f"{TOKEN_KEY_HEX},{PREVIOUS_KEY_HEX}",  # type: ignore[arg-type]
        identity_key_file=tmp_path / "identity.key",
        token_key_file=tmp_path / "token.key",
    )


@pytest.fixture
def idle(settings: Settings) -> Iterator[TestClient]:
    """A second process on the same store, its serving tick not running."""
    app = create_app(settings, follow=False)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def accepted(client: TestClient, token: str) -> bool:
    """The token reaches the route (404: no such application) or is refused (401)."""
    response = client.get(
        f"/v1/applications/{UNKNOWN}", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code in {401, 404}, response.text
    return response.status_code == 404


def refused_within(bound: float, still_accepted: Callable[[], bool]) -> float:
    """Seconds until a request is refused; fails if one that began after `bound` was not."""
    start = time.monotonic()
    while True:
        began = time.monotonic() - start
        if not still_accepted():
            return began
        assert began < bound, f"still accepted {began:.2f} s after the revocation"
        time.sleep(0.02)


def test_a_revoked_token_is_refused_within_the_bound_by_every_process_even_remembered(
    client: TestClient, idle: TestClient, services: Services
) -> None:
    revoked, other = services.tokens.issue(AUDITOR), services.tokens.issue(AUDITOR)
    for process in (client, idle):
        assert accepted(process, revoked)
        assert accepted(process, revoked)  # remembered now
        assert accepted(process, other)
    jti = jwt.decode(revoked, options={"verify_signature": False})["jti"]
    revoke(services.database, jti)
    for process in (client, idle):
        refused_within(MAX_AGE_SECONDS, lambda p=process: accepted(p, revoked))
        assert accepted(process, other)
    response = client.get(
        f"/v1/applications/{UNKNOWN}", headers={"Authorization": f"Bearer {revoked}"}
    )
    assert response.json()["detail"] == "the token was revoked"


def test_a_previous_key_works_until_it_is_retired_then_none_of_its_tokens_do(
    client: TestClient, idle: TestClient, services: Services, tokens: Tokens
) -> None:
    previous = TokenIssuer(bytes.fromhex(PREVIOUS_KEY_HEX))
    assert services.tokens.key_ids == (services.tokens.kid, previous.kid)
    old = [previous.issue(AUDITOR), previous.issue(Principal("court-1", Role.COURT))]
    current = services.tokens.issue(AUDITOR)
    assert jwt.get_unverified_header(current)["kid"] == key_id(bytes.fromhex(TOKEN_KEY_HEX))
    for process in (client, idle):
        assert all(accepted(process, token) for token in [*old, current])
    retire(services.database, previous.kid)
    for process in (client, idle):
        for token in old:
            refused_within(MAX_AGE_SECONDS, lambda p=process, t=token: accepted(p, t))
        assert accepted(process, current)
    signed = tokens.signed(jwt.decode(old[0], options={"verify_signature": False}))
    assert client.get(f"/v1/applications/{UNKNOWN}", headers=signed).status_code == 404
