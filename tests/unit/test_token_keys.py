"""The token key ring is read from KEZEK_TOKEN_KEY (comma-separated hex) or the key file (one
hex key a line, `#` comments allowed, or one raw key as before), the signing key first; a key
named twice is refused; every key of the ring reads, only the first signs."""

from __future__ import annotations

from pathlib import Path

import jwt
import pytest

from api.auth import NotAuthenticated, Principal, key_id
from api.services import token_issuer
from config.settings import BadIdentityKey, Settings, token_keys
from domain.values import Role

NEW, OLD = "6e" * 32, "6f" * 32
AUDITOR = Principal("auditor-1", Role.AUDITOR)


def settings(tmp_path: Path, token_key: str | None = None) -> Settings:
    """Settings of these keys alone (None: the key file's), whatever the environment says."""
    return Settings(
        database_url=f"sqlite:///{tmp_path / 'kezek.db'}",
        token_key_file=tmp_path / "token.key",
        token_key=token_key,  # type: ignore[arg-type]
    )


def test_the_ring_comes_from_the_environment_or_the_key_file_the_signing_key_first(
    tmp_path: Path,
) -> None:
    ring = (bytes.fromhex(NEW), bytes.fromhex(OLD))
    assert token_keys(settings(tmp_path, token_key=f"{NEW}, {OLD}")) == ring
    (tmp_path / "token.key").write_text(f"# rotated 2025-06-01\n{NEW}\n\n{OLD}  \n")
    assert token_keys(settings(tmp_path)) == ring
    (tmp_path / "token.key").write_bytes(b"\x00raw key bytes, as a generated file holds" * 2)
    assert len(token_keys(settings(tmp_path))) == 1
    with pytest.raises(BadIdentityKey, match="twice"):
        token_keys(settings(tmp_path, token_key=f"{NEW},{NEW}"))
    with pytest.raises(BadIdentityKey, match="shorter"):
        token_keys(settings(tmp_path, token_key=f"{NEW},abcd"))


def test_every_key_of_the_ring_reads_and_only_the_first_signs(tmp_path: Path) -> None:
    both = token_issuer(settings(tmp_path, token_key=f"{NEW},{OLD}"))
    old_only = token_issuer(settings(tmp_path, token_key=OLD))
    new_only = token_issuer(settings(tmp_path, token_key=NEW))
    token = both.issue(AUDITOR)
    assert jwt.get_unverified_header(token)["kid"] == key_id(bytes.fromhex(NEW)) == both.kid
    assert both.key_ids == (key_id(bytes.fromhex(NEW)), key_id(bytes.fromhex(OLD)))
    assert both.read(old_only.issue(AUDITOR)) == AUDITOR
    assert new_only.read(token) == AUDITOR
    with pytest.raises(NotAuthenticated, match="kid"):
        new_only.read(old_only.issue(AUDITOR))
