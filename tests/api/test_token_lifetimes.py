"""A token lives no longer than its role allows, and only between its `nbf` and its `exp`
(give or take the clock skew): the issuer refuses to mint a longer one, and the service refuses
to read one, even signed with its own key. Checked over HTTP: an accepted token reaches the
route (404 for an application that does not exist; 403 for the portal, which may not read),
a refused one is a 401."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from api.auth import CLOCK_SKEW, MAX_LIFETIME, Principal, TokenRefused, describe
from api.services import Services
from domain.actors import IN_PROCESS_ONLY
from domain.values import Role
from tests.api.conftest import Tokens
from tests.api.walk import UNKNOWN

SKEW = int(CLOCK_SKEW.total_seconds())
HOUR = 3600


def status(client: TestClient, headers: dict[str, str]) -> int:
    """401 for a refused token; for an accepted one 404 (the application does not exist), or
    403 for the portal, which reads nothing."""
    response = client.get(f"/v1/applications/{UNKNOWN}", headers=headers)
    assert response.status_code in {401, 403, 404}, response.text
    return 404 if response.status_code == 403 else response.status_code


def claims(role: Role, iat: int, exp: int, **more: object) -> dict[str, object]:
    found: dict[str, object] = {"iss": "kezek", "sub": f"{role.value}-1", "role": role.value}
    found |= {"iat": iat, "nbf": iat, "exp": exp, "jti": f"jti-{role.value}-{iat}-{exp}"}
    if role in {Role.OFFICER, Role.HEAD}:
        found["provider"] = "almaty"
    return found | more


def test_every_role_that_calls_the_api_has_a_maximum_lifetime_and_no_other() -> None:
    assert set(MAX_LIFETIME) == set(Role) - IN_PROCESS_ONLY
    sessions = {Role.APPLICANT, Role.PORTAL}
    assert {MAX_LIFETIME[role] for role in sessions} == {timedelta(hours=12)}
    assert {MAX_LIFETIME[role] for role in set(MAX_LIFETIME) - sessions} == {timedelta(days=7)}


def test_a_token_longer_than_its_role_allows_is_refused_at_minting(
    client: TestClient, services: Services, tokens: Tokens
) -> None:
    issuer = services.tokens
    for role, maximum in MAX_LIFETIME.items():
        provider = "almaty" if role in {Role.OFFICER, Role.HEAD} else None
        principal = Principal(f"{role.value}-1", role, provider)
        hours = int(maximum / timedelta(hours=1))
        with pytest.raises(TokenRefused, match=re.escape(f"at most {describe(maximum)}")):
            issuer.issue(principal, hours=hours + 1)
        if role is not Role.APPLICANT:  # an applicant needs an application to reach a route
            longest = issuer.issue(principal, hours=hours)  # the longest allowed is read back
            assert status(client, {"Authorization": f"Bearer {longest}"}) == 404, role
    with pytest.raises(TokenRefused, match="positive"):
        issuer.issue(Principal("auditor-1", Role.AUDITOR), hours=0)
    with pytest.raises(TokenRefused, match="no token is issued"):
        issuer.issue(Principal("system-1", Role.SYSTEM, "almaty"))
    # The configured default is capped at each role's maximum.
    issuer.hours = 100
    assert issuer.lifetime(Role.APPLICANT) == timedelta(hours=12)
    assert issuer.lifetime(Role.COURT) == timedelta(hours=100)


def test_a_token_longer_than_its_role_allows_is_refused_at_reading(
    client: TestClient, tokens: Tokens
) -> None:
    now = int(time.time())
    for role, maximum in MAX_LIFETIME.items():
        longest = now + int(maximum.total_seconds())
        assert status(client, tokens.signed(claims(role, now, longest))) == 404, role
        refused = client.get(
            f"/v1/applications/{UNKNOWN}", headers=tokens.signed(claims(role, now, longest + 1))
        )
        assert refused.status_code == 401, role
        assert describe(maximum) in refused.json()["detail"]
    # What `kezek token --hours 438000` minted before: fifty years, signed with our key.
    fifty_years = claims(Role.OFFICER, now - HOUR, now + 438_000 * HOUR)
    assert status(client, tokens.signed(fifty_years)) == 401


def test_a_token_is_taken_only_between_nbf_and_exp_give_or_take_the_clock_skew(
    client: TestClient, tokens: Tokens
) -> None:
    now, role = int(time.time()), Role.AUDITOR
    expired_within_skew = claims(role, now - HOUR, now - SKEW // 2)
    expired = claims(role, now - HOUR, now - 2 * SKEW)
    starting_within_skew = claims(role, now + SKEW // 2, now + HOUR)
    not_yet_valid = claims(role, now, now + HOUR, nbf=now + 2 * SKEW)
    issued_in_the_future = claims(role, now + 2 * SKEW, now + HOUR, nbf=now)
    assert status(client, tokens.signed(expired_within_skew)) == 404
    assert status(client, tokens.signed(starting_within_skew)) == 404
    for refused in (expired, not_yet_valid, issued_in_the_future):
        assert status(client, tokens.signed(refused)) == 401, refused
    past = datetime.now(UTC) - timedelta(hours=2)
    minted_expired = tokens.services.tokens.issue(
        Principal("court-1", Role.COURT), hours=1, now=past
    )
    assert status(client, {"Authorization": f"Bearer {minted_expired}"}) == 401


def test_a_token_without_its_times_its_id_or_a_key_id_the_service_holds_is_refused(
    client: TestClient, tokens: Tokens
) -> None:
    now = int(time.time())
    valid = claims(Role.AUDITOR, now, now + HOUR)
    assert status(client, tokens.signed(valid)) == 404
    for claim in ("iat", "nbf", "exp", "jti"):
        without = {k: v for k, v in valid.items() if k != claim}
        response = client.get(f"/v1/applications/{UNKNOWN}", headers=tokens.signed(without))
        assert response.status_code == 401, claim
        assert claim in response.json()["detail"]
    unknown_key = "00" * 32  # a key the service does not hold: its kid is unknown
    assert status(client, tokens.signed(valid, key_hex=unknown_key)) == 401
    assert status(client, tokens.signed(valid, with_kid=False)) == 401
