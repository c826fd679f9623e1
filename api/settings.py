"""Configuration of the console script and (later) the HTTP API, from the environment.

`KEZEK_DATABASE_URL` picks the store (domain.store_url). The identity key, which turns IINs into
identifiers that cannot be reversed (domain.claims), comes from `KEZEK_IDENTITY_KEY` (hex) or
from the key file. Only a SQLite ledger, the local demo, ever gets a generated key: a
PostgreSQL ledger whose key went missing would silently start a second, unlinkable set of
identifiers, so there a missing key is an error.
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from domain.claims import MIN_KEY_BYTES, IdentityKey
from domain.store_url import DEFAULT_DATABASE_URL, persistence_env


class MissingIdentityKey(RuntimeError):
    """No identity key is configured where one must not be generated."""


class BadIdentityKey(ValueError):
    """The configured identity key is malformed or too short."""


class Settings(BaseSettings):
    """KEZEK_* environment variables."""

    model_config = SettingsConfigDict(env_prefix="KEZEK_", extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    identity_key_file: Path = Path("var/identity.key")
    # KEZEK_IDENTITY_KEY: the key as hex; wins over the key file.
    identity_key: SecretStr | None = None


def identity_key(settings: Settings) -> IdentityKey:
    """The identity key: KEZEK_IDENTITY_KEY if set, else the key file, else, for a SQLite
    database only, a new random key written to the key file (mode 0600)."""
    if settings.identity_key is not None and settings.identity_key.get_secret_value().strip():
        return _from_hex(settings.identity_key.get_secret_value(), "KEZEK_IDENTITY_KEY")
    path = settings.identity_key_file
    if path.exists():
        return _from_file(path)
    if "SQLITE_DBNAME" not in persistence_env(settings.database_url):
        raise MissingIdentityKey(
            f"no identity key: set KEZEK_IDENTITY_KEY (at least {2 * MIN_KEY_BYTES} hex digits) "
            f"or put the key in {path} (KEZEK_IDENTITY_KEY_FILE). A key is generated only for "
            "a SQLite demo ledger: on PostgreSQL a new key would cut every stored identifier "
            "off from the IIN it was derived from."
        )
    secret = secrets.token_bytes(MIN_KEY_BYTES)
    path.parent.mkdir(parents=True, exist_ok=True)
    # O_EXCL: never overwrite a key another process has just written; 0600 from the start.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as file:
        file.write(secret)
    print(
        f"kezek: generated a new identity key in {path} (mode 0600); keep it with the "
        "database: identifiers derived from IINs depend on it",
        file=sys.stderr,
    )
    return IdentityKey(secret)


def _from_hex(text: str, origin: str) -> IdentityKey:
    try:
        secret = bytes.fromhex(text.strip())
    except ValueError:
        raise BadIdentityKey(f"{origin} is not hexadecimal") from None
    return _checked(secret, origin)


def _from_file(path: Path) -> IdentityKey:
    """The key file holds the raw key bytes, or the key as hex text."""
    raw = path.read_bytes()
    text = raw.strip()
    if len(text) >= 2 * MIN_KEY_BYTES and all(c in b"0123456789abcdefABCDEF" for c in text):
        return _from_hex(text.decode("ascii"), str(path))
    return _checked(raw, str(path))


def _checked(secret: bytes, origin: str) -> IdentityKey:
    if len(secret) < MIN_KEY_BYTES:
        raise BadIdentityKey(f"the identity key in {origin} is shorter than {MIN_KEY_BYTES} bytes")
    return IdentityKey(secret)
