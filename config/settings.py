"""Configuration of the console script and (later) the HTTP API, from the environment.

`KEZEK_DATABASE_URL` picks the store (domain.store_url). The identity key, which turns IINs into
identifiers that cannot be reversed (domain.claims), comes from `KEZEK_IDENTITY_KEY` (hex) or
from the key file. Only a SQLite ledger, the local demo, ever gets a generated key: a
PostgreSQL ledger whose key went missing would silently start a second, unlinkable set of
identifiers, so there a missing key is an error.
"""

from __future__ import annotations

import os
import re
import secrets
import sys
from pathlib import Path

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from domain.claims import MIN_KEY_BYTES, IdentityKey
from domain.store_url import DEFAULT_DATABASE_URL, persistence_env

_HEX = re.compile(f"[0-9a-fA-F]{{{2 * MIN_KEY_BYTES},}}")


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
    # The token keys, one per line (hex): the first signs, the others (previous keys, still
    # accepted until retired) only check. docs/security.md, "Tokens".
    token_key_file: Path = Path("var/token.key")
    # KEZEK_TOKEN_KEY: the same ring as hex, comma-separated, the signing key first; wins over
    # the key file.
    token_key: SecretStr | None = None
    token_issuer: str = "kezek"  # noqa: S105 (a name, not a secret)
    # A token's default lifetime, capped at its role's maximum (api.auth.MAX_LIFETIME).
    token_hours: int = 12
    # KEZEK_WRITE_VIEWS=false: this process never writes the persisted views (a worker does);
    # it still keeps its own queue index, following the queue view's table.
    write_views: bool = True
    # KEZEK_WITNESSES: witness URLs, comma-separated. When set, the process that writes the views
    # signs a checkpoint every KEZEK_CHECKPOINT_SECONDS (when the log grew) and asks each to
    # cosign it; /health shows a witness that refused (docs/transparency.md).
    witnesses: str = ""
    checkpoint_seconds: float = 300.0
    # SMS notices (docs/notices.md): the HTTP gateway, or (none set) the local file sink; how
    # long one request may take; retries with exponential back-off and jitter, bounded.
    sms_gateway_url: str = ""
    sms_sink: Path = Path("var/sms.jsonl")
    sms_timeout_seconds: float = 10.0
    sms_max_attempts: int = 8
    sms_backoff_seconds: float = 2.0
    sms_backoff_cap_seconds: float = 600.0

    @property
    def witness_urls(self) -> list[str]:
        return [url.strip() for url in self.witnesses.split(",") if url.strip()]


def identity_key(settings: Settings) -> IdentityKey:
    """The identity key: KEZEK_IDENTITY_KEY if set, else the key file, else, for a SQLite
    database only, a new random key written to the key file (mode 0600)."""
    return IdentityKey(
        _secret(settings.identity_key, settings.identity_key_file, "identity key", settings)
    )


def token_keys(settings: Settings) -> tuple[bytes, ...]:
    """The ring of keys that check bearer tokens (HS256), the one that signs them first:
    KEZEK_TOKEN_KEY, the key file, or for a SQLite demo ledger a generated key."""
    value = settings.token_key
    if value is not None and value.get_secret_value().strip():
        parts = re.split(r"[\s,]+", value.get_secret_value().strip())
        return _ring([_from_hex(part, "KEZEK_TOKEN_KEY") for part in parts], "KEZEK_TOKEN_KEY")
    path = settings.token_key_file
    if path.exists():
        lines = _hex_lines(path.read_bytes())
        if lines is not None:
            return _ring([_from_hex(line, str(path)) for line in lines], str(path))
    return (_secret(None, path, "token key", settings),)


def _secret(value: SecretStr | None, path: Path, what: str, settings: Settings) -> bytes:
    if value is not None and value.get_secret_value().strip():
        return _from_hex(value.get_secret_value(), f"KEZEK_{_env(what)}")
    if path.exists():
        return _from_file(path, what)
    if "SQLITE_DBNAME" not in persistence_env(settings.database_url):
        raise MissingIdentityKey(
            f"no {what}: set KEZEK_{_env(what)} (at least {2 * MIN_KEY_BYTES} hex digits) "
            f"or put the key in {path} (KEZEK_{_env(what)}_FILE). A key is generated only for "
            "a SQLite demo ledger."
        )
    secret = secrets.token_bytes(MIN_KEY_BYTES)
    path.parent.mkdir(parents=True, exist_ok=True)
    # O_EXCL: never overwrite a key another process has just written; 0600 from the start.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _from_file(path, what)
    with os.fdopen(fd, "wb") as file:
        file.write(secret)
    print(
        f"kezek: generated a new {what} in {path} (mode 0600); keep it with the database",
        file=sys.stderr,
    )
    return secret


def _hex_lines(raw: bytes) -> list[str] | None:
    """A key file's keys as hex lines (blank lines and `#` comments left out), or None when it
    holds one raw key instead."""
    try:
        text = raw.decode("ascii")
    except UnicodeDecodeError:
        return None
    lines = [line.strip() for line in text.splitlines()]
    keys = [line for line in lines if line and not line.startswith("#")]
    hexadecimal = all(_HEX.fullmatch(line) for line in keys)
    return keys if keys and hexadecimal else None


def _ring(keys: list[bytes], origin: str) -> tuple[bytes, ...]:
    if len(set(keys)) != len(keys):
        raise BadIdentityKey(f"{origin} names a token key twice")
    return tuple(keys)


def _env(what: str) -> str:
    return what.upper().replace(" ", "_")


def _from_hex(text: str, origin: str) -> bytes:
    try:
        secret = bytes.fromhex(text.strip())
    except ValueError:
        raise BadIdentityKey(f"{origin} is not hexadecimal") from None
    return _checked(secret, origin)


def _from_file(path: Path, what: str) -> bytes:
    """The key file holds the raw key bytes, or the key as hex text."""
    raw = path.read_bytes()
    text = raw.strip()
    if len(text) >= 2 * MIN_KEY_BYTES and all(c in b"0123456789abcdefABCDEF" for c in text):
        return _from_hex(text.decode("ascii"), str(path))
    return _checked(raw, f"the {what} in {path}")


def _checked(secret: bytes, origin: str) -> bytes:
    if len(secret) < MIN_KEY_BYTES:
        raise BadIdentityKey(f"{origin} is shorter than {MIN_KEY_BYTES} bytes")
    return secret
