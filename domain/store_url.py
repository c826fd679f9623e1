"""`KEZEK_DATABASE_URL` picks the store; the library wants its own settings: translated here."""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlsplit

DEFAULT_DATABASE_URL = "sqlite:///var/kezek.db"
# The library's recorders, extended to keep Idempotency-Keys with the acts and to lock a list
# across processes (package `store`): named by topic, so the domain imports no infrastructure.
SQLITE_RECORDER = "store.sqlite:KezekSQLiteRecorder"
POSTGRES_RECORDER = "store.postgres:KezekPostgresRecorder"


class BadDatabaseURL(ValueError):
    pass


def persistence_env(url: str) -> dict[str, str]:
    """Library settings for `sqlite:///relative.db`, `sqlite:////abs.db` or `postgresql://...`.

    A PostgreSQL URL may name a schema with `?schema=name` (tests isolate themselves so).
    """
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        path = unquote(parts.path[1:] if parts.path.startswith("/") else parts.path)
        if parts.netloc or not path:
            raise BadDatabaseURL("a SQLite URL looks like sqlite:///path/to/kezek.db")
        return {
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": path,
            "APPLICATION_RECORDER_TOPIC": SQLITE_RECORDER,
        }
    if parts.scheme in {"postgresql", "postgres", "postgresql+psycopg"}:
        database = parts.path.lstrip("/")
        if not parts.hostname or not database:
            raise BadDatabaseURL("a PostgreSQL URL looks like postgresql://user@host:5432/db")
        env = {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "APPLICATION_RECORDER_TOPIC": POSTGRES_RECORDER,
            "POSTGRES_HOST": parts.hostname,
            "POSTGRES_PORT": str(parts.port or 5432),
            "POSTGRES_DBNAME": database,
            "POSTGRES_USER": unquote(parts.username or "postgres"),
            "POSTGRES_PASSWORD": unquote(parts.password or ""),
        }
        schema = parse_qs(parts.query).get("schema")
        if schema:
            env["POSTGRES_SCHEMA"] = schema[0]
        return env
    raise BadDatabaseURL(f"unsupported database URL scheme '{parts.scheme}'")


def sqlite_path(url: str) -> str | None:
    env = persistence_env(url)
    return env.get("SQLITE_DBNAME")
