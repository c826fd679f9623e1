"""`kezek token` end to end: it refuses a lifetime longer than the role allows, and its
revocations reach every `kezek serve` process on the store (real processes, real HTTP) within
the stated bound: one token by its id or by itself, every token of a retired key."""

from __future__ import annotations

import re
import time
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest

from api.auth import key_id
from api.revocations import MAX_AGE_SECONDS
from demo.synthetic import make_form
from tests.api.conftest import TOKEN_KEY_HEX
from tests.api.test_token_revocation import PREVIOUS_KEY_HEX
from tests.api.walk import UNKNOWN
from tests.integration.cluster import environment
from tests.integration.test_cli_serve import kezek_token, serving

RING = f"{TOKEN_KEY_HEX},{PREVIOUS_KEY_HEX}"


@pytest.fixture
def env(database_url: str, tmp_path: Path) -> dict[str, str]:
    """The processes' environment, with a ring: the tests' key signs, a previous one reads."""
    return environment(database_url, tmp_path) | {"KEZEK_TOKEN_KEY": RING}


def minted(env: dict[str, str], *args: str) -> tuple[str, str]:
    """A token from `kezek token ARGS`, and its id as printed on stderr."""
    result = kezek_token(env, *args)
    assert result.exit_code == 0, result.output
    found = re.search(r"jti (\S+),", result.stderr)
    assert found, result.stderr
    return result.stdout.strip(), found.group(1)


def accepted(base: str, token: str) -> bool:
    response = httpx.get(
        f"{base}/v1/applications/{UNKNOWN}", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code in {401, 404}, response.text
    return response.status_code == 404


def refused_everywhere_within(bound: float, bases: list[str], token: str) -> float:
    """Seconds until every process refuses `token`; fails on an acceptance begun after `bound`
    seconds."""
    start = time.monotonic()
    for base in bases:
        while accepted(base, token):
            assert time.monotonic() - start < bound, f"{base} still takes the token"
            time.sleep(0.02)
    return time.monotonic() - start


def test_kezek_token_refuses_a_lifetime_longer_than_the_role_allows(
    env: dict[str, str],
) -> None:
    cases = [
        (["--role", "officer", "--provider", "almaty", "--hours", "438000"], "168 hours (7 days)"),
        (["--role", "court", "--hours", "169"], "168 hours (7 days)"),
        (
            ["--role", "applicant", "--iin", make_form(1).applicant_iin, "--hours", "13"],
            "at most 12 hours",
        ),
        (["--role", "system", "--provider", "almaty"], "no token is issued"),
        ([], "give --role"),
    ]
    for args, message in cases:
        result = kezek_token(env, *args)
        assert result.exit_code == 2, (args, result.output)
        assert message in result.stderr, (args, result.stderr)
        assert not result.stdout, args
    longest = kezek_token(env, "--role", "auditor", "--hours", "168")
    assert longest.exit_code == 0, longest.output
    assert "valid 168 hours (7 days)" in longest.stderr


def test_revocations_reach_every_serving_process_on_the_store_within_the_bound(
    env: dict[str, str], tmp_path: Path
) -> None:
    old_env = {**env, "KEZEK_TOKEN_KEY": PREVIOUS_KEY_HEX}  # minting before the rotation
    by_id, jti = minted(env, "--role", "auditor")
    by_token, _ = minted(env, "--role", "court")
    kept, _ = minted(env, "--role", "auditor")
    of_old_key, _ = minted(old_env, "--role", "complaint_body")
    with ExitStack() as stack:
        bases = [stack.enter_context(serving(env, tmp_path))[0] for _ in range(2)]
        for base in bases:
            assert all(accepted(base, t) for t in (by_id, by_token, kept, of_old_key))
        revoked = kezek_token(env, "revoke", jti, "--note", "laptop lost")
        assert revoked.exit_code == 0, revoked.output
        assert kezek_token(env, "revoke", by_token).exit_code == 0
        for token in (by_id, by_token):
            refused_everywhere_within(MAX_AGE_SECONDS, bases, token)
        old_kid = key_id(bytes.fromhex(PREVIOUS_KEY_HEX))
        signing = kezek_token(env, "retire", key_id(bytes.fromhex(TOKEN_KEY_HEX)))
        assert signing.exit_code == 2
        assert "the key that signs" in signing.stderr
        assert kezek_token(env, "retire", old_kid).exit_code == 0
        refused_everywhere_within(MAX_AGE_SECONDS, bases, of_old_key)
        assert all(accepted(base, kept) for base in bases)
    listed = kezek_token(env, "keys").stdout.splitlines()
    assert listed == [f"{key_id(bytes.fromhex(TOKEN_KEY_HEX))}  signs", f"{old_kid}  retired"]
