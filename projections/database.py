"""The views' own connection to the database the events live in: SQLite file or PostgreSQL.

Views sit beside the events, in their own tables, so that a batch of view rows and the
projection's new position commit in one transaction. SQL here is written once with `?`
placeholders and the subset both engines share (UPSERT, CTEs, window functions).
"""

from __future__ import annotations

import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import Any, Protocol

import psycopg

from domain.store_url import persistence_env
from store.keeping import ddl_lock_number

Row = tuple[Any, ...]


class Tx(Protocol):
    """One transaction on the view tables."""

    dialect: str

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None: ...

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None: ...

    def copy_rows(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        """Append `rows` to `table` (no conflict handling): COPY on PostgreSQL."""
        ...

    def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Row]: ...

    def fetchone(self, sql: str, params: Sequence[Any] = ()) -> Row | None: ...


_PLACEHOLDER = re.compile(r"\?")


class _SqliteTx:
    dialect = "sqlite"

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self._conn.execute(sql, params)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            self._conn.executemany(sql, rows)

    def copy_rows(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        marks = ", ".join("?" * len(columns))
        self.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)

    def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        return list(self._conn.execute(sql, params).fetchall())

    def fetchone(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        row = self._conn.execute(sql, params).fetchone()
        return tuple(row) if row is not None else None


class _PostgresTx:
    dialect = "postgres"

    def __init__(self, conn: psycopg.Connection[Row]) -> None:
        self._conn = conn

    @staticmethod
    def _sql(sql: str) -> str:
        return _PLACEHOLDER.sub("%s", sql.replace("%", "%%"))

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self._conn.execute(self._sql(sql), params)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            with self._conn.cursor() as cursor:
                cursor.executemany(self._sql(sql), rows)

    def copy_rows(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        # COPY is about 10 times an INSERT over unnest and 30 times a pipelined executemany.
        if not rows:
            return
        statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        with self._conn.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)

    def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        return self._conn.execute(self._sql(sql), params).fetchall()

    def fetchone(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        return self._conn.execute(self._sql(sql), params).fetchone()


# On PostgreSQL a process borrows at most this many connections for its views, one per
# transaction in progress: a server allows 100 by default, shared by every process on the
# store, and a web server's thread pool alone has 40 threads. A thread waits at most
# BORROW_SECONDS for one, then the transaction fails as the server's refusal would.
VIEW_CONNECTIONS = 10
BORROW_SECONDS = 30.0


class ViewDatabase:
    """Connections for the view tables to the store `database_url` names: on SQLite one per
    thread, on PostgreSQL borrowed from a small bounded set for each transaction."""

    def __init__(self, database_url: str) -> None:
        self.url = database_url
        self.env = persistence_env(database_url)
        self.dialect = "sqlite" if "SQLITE_DBNAME" in self.env else "postgres"
        self.schema = self.env.get("POSTGRES_SCHEMA", "public")
        self._local = threading.local()
        self._all: list[Any] = []
        self._lock = threading.Lock()
        self._idle: list[psycopg.Connection[Row]] = []
        self._slots = threading.BoundedSemaphore(VIEW_CONNECTIONS)

    # A text column that sorts byte by byte: priority keys must order the same on both engines
    # (PostgreSQL's default collation may ignore punctuation).
    @property
    def sortable_text(self) -> str:
        return "TEXT" if self.dialect == "sqlite" else 'TEXT COLLATE "C"'

    def connect_postgres(self, *, autocommit: bool = False) -> psycopg.Connection[Row]:
        env = self.env
        conn = psycopg.connect(
            host=env["POSTGRES_HOST"],
            port=int(env["POSTGRES_PORT"]),
            dbname=env["POSTGRES_DBNAME"],
            user=env["POSTGRES_USER"],
            password=env["POSTGRES_PASSWORD"] or None,
            autocommit=autocommit,
            connect_timeout=10,
            options=f"-c search_path={self.schema}",
        )
        return conn

    def _connection(self) -> Any:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            if self.dialect == "sqlite":
                conn = sqlite3.connect(
                    self.env["SQLITE_DBNAME"],
                    isolation_level=None,
                    check_same_thread=False,
                    timeout=30,
                )
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
            else:
                conn = self.connect_postgres(autocommit=True)
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    @contextmanager
    def transaction(self, *, write: bool = True, snapshot: bool = False) -> Iterator[Tx]:
        """One transaction on this thread's connection. With `snapshot`, every statement sees
        the same committed state (PostgreSQL: REPEATABLE READ; a SQLite read transaction in WAL
        mode always does), so that a tracked position and the rows read with it agree."""
        try:
            with self._transaction(write=write) as tx:
                if snapshot and self.dialect == "postgres":
                    tx.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                yield tx
        except (sqlite3.OperationalError, psycopg.OperationalError):
            # A broken connection (a restarted server) is dropped, so the next call reconnects.
            self._forget_connection()
            raise

    @contextmanager
    def creating(self) -> Iterator[Tx]:
        """A write transaction for CREATE statements: on PostgreSQL it first waits for the
        store's DDL lock, so processes setting up a new store at once never race in the
        catalogue (SQLite's write lock already serialises them)."""
        with self.transaction() as tx:
            if self.dialect == "postgres":
                tx.execute("SELECT pg_advisory_xact_lock(?)", (ddl_lock_number(self.schema),))
            yield tx

    def create(self, statements: Callable[[Tx], None], *, attempts: int = 6) -> None:
        """Run `statements` in a `creating` transaction, again after a deadlock: CREATE INDEX
        IF NOT EXISTS locks its table even when the index exists, so a process starting
        beside a runner writing two views can close a cycle with it (the server ends it);
        once the runner's batch commits, the tables are there."""
        for attempt in range(1, attempts + 1):
            try:
                with self.creating() as tx:
                    statements(tx)
                return
            except psycopg.errors.DeadlockDetected:
                if attempt == attempts:
                    raise
                time.sleep(0.1 * attempt)

    def _forget_connection(self) -> None:
        conn = getattr(self._local, "conn", None)
        self._local.conn = None
        if conn is not None:
            self._forget(conn)

    @contextmanager
    def _transaction(self, *, write: bool = True) -> Iterator[Tx]:
        if self.dialect == "postgres" and getattr(self._local, "conn", None) is None:
            with self._borrowed(), self._transaction(write=write) as tx:
                yield tx
            return
        conn = self._connection()
        if self.dialect == "sqlite":
            # IMMEDIATE takes the write lock up front, so a batch never fails half way on it.
            conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield _SqliteTx(conn)
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        else:
            with conn.transaction():
                yield _PostgresTx(conn)

    @contextmanager
    def _borrowed(self) -> Iterator[None]:
        """This thread's PostgreSQL connection for one outermost transaction (a nested one
        uses it too: a savepoint)."""
        if not self._slots.acquire(timeout=BORROW_SECONDS):
            raise psycopg.OperationalError(
                f"no view connection free in {BORROW_SECONDS:.0f} s ({VIEW_CONNECTIONS} in use)"
            )
        try:
            with self._lock:
                conn = self._idle.pop() if self._idle else None
            if conn is None or conn.closed:
                conn = self.connect_postgres(autocommit=True)
                with self._lock:
                    self._all.append(conn)
            self._local.conn = conn
            try:
                yield
            finally:
                held, self._local.conn = getattr(self._local, "conn", None), None
                if held is not None and not held.closed and not held.broken:
                    with self._lock:
                        self._idle.append(held)
                elif held is not None:
                    self._forget(held)
        finally:
            self._slots.release()

    def _forget(self, conn: Any) -> None:
        with self._lock:
            if conn in self._all:
                self._all.remove(conn)
        with suppress(Exception):  # it is broken already
            conn.close()

    def close(self) -> None:
        with self._lock:
            for conn in self._all:
                conn.close()
            self._all.clear()
            self._idle.clear()
        self._local = threading.local()
