"""Running, met, missed and overdue statutory deadlines per application and per provider.

Which act opens and closes which term, and the verdicts, are in projections.deadline_rules.
A batch is applied in memory (the open terms of the applications it touches are read in one
query per 500 applications) and written in one go per table (write_rows, delete_rows).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Final
from uuid import UUID

from domain.calendar import working_days_between
from domain.housing_application import HousingApplication
from domain.values import DeadlineKind
from projections.database import Row, Tx
from projections.deadline_rules import APPLICANT, BODY, OPEN, Case, Term, TermOf, step
from projections.projection import Projection, Recorded
from projections.view_sql import limit_clause

CHUNK: Final = 500
APPLICATION_EVENTS: Final = (HousingApplication.Act, HousingApplication.Applied)
TERM_TYPES: Final = (
    ("application_id", "text"), ("provider", "text"), ("kind", "text"), ("ref", "text"),
    ("starts_on", "text"), ("due_on", "text"), ("working_days", "integer"), ("basis", "text"),
    ("party", "text"), ("opened_seq", "bigint"), ("opened_version", "integer"),
    ("status", "text"), ("closed_version", "integer"), ("closed_on", "text"),
    ("late_by", "integer"),
)  # fmt: skip
TERM_COLUMNS: Final = ", ".join(name for name, _ in TERM_TYPES)
APPLICATION_TYPES: Final = (("application_id", "text"), ("provider", "text"), ("tz", "text"))
_UPDATED: Final = (
    "starts_on, due_on, working_days, basis, party, opened_seq, opened_version,"
    " status, closed_version, closed_on, late_by"
)


def application_events(batch: Sequence[Recorded]) -> list[tuple[int, Any]]:
    """(notification id, event) of the HousingApplication events; other aggregates are ignored."""
    return [(r.notification_id, r.event) for r in batch if isinstance(r.event, APPLICATION_EVENTS)]


Columns = Sequence[tuple[str, str]]  # (name, PostgreSQL type) of the columns written


def write_rows(
    tx: Tx, table: str, columns: Columns, rows: Sequence[tuple[Any, ...]], tail: str = ""
) -> None:
    """`INSERT INTO {table} ... {tail}` for every row, in one go: an executemany on SQLite (a C
    loop); on PostgreSQL a COPY (through a temporary table when `tail` resolves conflicts)."""
    if not rows:
        return
    names = ", ".join(name for name, _ in columns)
    if tx.dialect != "postgres":
        marks = ", ".join("?" * len(columns))
        tx.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks}) {tail}", rows)
        return
    if not tail:
        tx.copy_rows(table, [name for name, _ in columns], rows)
        return
    # COPY cannot resolve conflicts: the rows go through a temporary table of the same shape.
    incoming = f"{table}_incoming"
    tx.execute(
        f"CREATE TEMPORARY TABLE IF NOT EXISTS {incoming} (LIKE {table}) ON COMMIT DELETE ROWS"
    )
    tx.copy_rows(incoming, [name for name, _ in columns], rows)
    tx.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM {incoming} {tail}")
    tx.execute(f"TRUNCATE {incoming}")


def delete_rows(tx: Tx, table: str, columns: Columns, keys: Sequence[tuple[Any, ...]]) -> None:
    """DELETE the rows of `table` whose key `columns` equal one of `keys` (as write_rows)."""
    if not keys:
        return
    if tx.dialect != "postgres":
        where = " AND ".join(f"{name} = ?" for name, _ in columns)
        tx.executemany(f"DELETE FROM {table} WHERE {where}", keys)
        return
    names = ", ".join(name for name, _ in columns)
    arrays = ", ".join(f"?::{kind}[]" for _, kind in columns)
    tx.execute(
        f"DELETE FROM {table} WHERE ({names}) IN (SELECT * FROM unnest({arrays}))",
        [list(column) for column in zip(*keys, strict=True)],
    )


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text is not None else None


def term_row(t: Term) -> tuple[Any, ...]:
    return (
        t.application_id, t.provider, t.kind.value, t.ref, t.starts_on.isoformat(),
        t.due_on.isoformat(), t.working_days, t.basis, t.party, t.opened_seq, t.opened_version,
        t.status, t.closed_version, _iso(t.closed_on), t.late_by,
    )  # fmt: skip


def term_of(row: Row) -> Term:
    return TermOf(
        str(row[0]), row[1], DeadlineKind(row[2]), row[3], date.fromisoformat(row[4]),
        date.fromisoformat(row[5]), int(row[6]), row[7], row[8], int(row[9]), int(row[10]),
        row[11], row[12], _day(row[13]), row[14],
    )  # fmt: skip


class TermBook:
    """A projection's own record of applications (provider, time zone) and their terms.

    With `keep_closed` the terms table keeps every term with its verdict (the monitor);
    without, a closed term's row is deleted (the audit trail only needs the open ones).
    """

    def __init__(self, applications: str, terms: str, *, keep_closed: bool) -> None:
        self.applications = applications
        self.terms = terms
        self.keep_closed = keep_closed

    def create_tables(self, tx: Tx) -> None:
        tx.execute(
            f"CREATE TABLE IF NOT EXISTS {self.applications} (application_id TEXT PRIMARY KEY,"
            " provider TEXT NOT NULL, tz TEXT NOT NULL)"
        )
        tx.execute(
            f"CREATE TABLE IF NOT EXISTS {self.terms} (application_id TEXT NOT NULL,"
            " provider TEXT NOT NULL, kind TEXT NOT NULL, ref TEXT NOT NULL,"
            " starts_on TEXT NOT NULL, due_on TEXT NOT NULL, working_days INTEGER NOT NULL,"
            " basis TEXT NOT NULL, party TEXT NOT NULL, opened_seq BIGINT NOT NULL,"
            " opened_version INTEGER NOT NULL, status TEXT NOT NULL, closed_version INTEGER,"
            " closed_on TEXT, late_by INTEGER, PRIMARY KEY (application_id, kind, ref))"
        )

    def _load(self, tx: Tx, ids: Iterable[str]) -> dict[str, Case]:
        cases: dict[str, Case] = {}
        wanted = sorted(ids)
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start : start + CHUNK]
            marks = ", ".join("?" * len(chunk))
            for app_id, provider, tz in tx.fetchall(
                f"SELECT application_id, provider, tz FROM {self.applications}"
                f" WHERE application_id IN ({marks})",
                chunk,
            ):
                cases[app_id] = Case(app_id, provider, tz)
            for row in tx.fetchall(
                f"SELECT {TERM_COLUMNS} FROM {self.terms}"
                f" WHERE application_id IN ({marks}) AND status = ?",
                [*chunk, OPEN],
            ):
                term = term_of(row)
                cases[term.application_id].open[term.key] = term
        return cases

    def process(self, batch: Sequence[Recorded], tx: Tx) -> list[tuple[int, Any, list[Term]]]:
        """Apply the batch's application events to the terms and write them; returns, for
        each event in order, (notification id, event, the terms it opened or closed)."""
        events = [(seq, str(e.originator_id), e) for seq, e in application_events(batch)]
        new = {
            app_id: Case(app_id, e.provider, e.provider_tz)
            for _, app_id, e in events
            if isinstance(e, HousingApplication.Applied)
        }
        cases = self._load(tx, {app_id for _, app_id, _ in events} - new.keys())
        stored = {(c.application_id, *key) for c in cases.values() for key in c.open}
        cases.update(new)
        done: list[tuple[int, Any, list[Term]]] = []
        changed: dict[tuple[str, str, str], Term] = {}
        for seq, app_id, event in events:
            case = cases.get(app_id)
            terms = [] if case is None else step(case, event, seq)
            for term in terms:
                changed[(app_id, term.kind.value, term.ref)] = term
            done.append((seq, event, terms))
        write_rows(
            tx,
            self.applications,
            APPLICATION_TYPES,
            [(c.application_id, c.provider, c.tz) for c in new.values()],
        )
        kept = [t for t in changed.values() if self.keep_closed or t.status == OPEN]
        updates = ", ".join(f"{c} = excluded.{c}" for c in _UPDATED.split(", "))
        write_rows(
            tx,
            self.terms,
            TERM_TYPES,
            [term_row(t) for t in kept],
            f"ON CONFLICT (application_id, kind, ref) DO UPDATE SET {updates}",
        )
        if not self.keep_closed:  # only the open terms are kept: forget the closed ones
            gone = [k for k, t in changed.items() if t.status != OPEN and k in stored]
            delete_rows(tx, self.terms, TERM_TYPES[:1] + TERM_TYPES[2:4], gone)
        return done


DeadlineRow = TermOf[UUID]  # a term as the monitor's reads answer it: the application's UUID


@dataclass(frozen=True)
class OverdueDeadline:
    deadline: DeadlineRow
    overdue_by: int  # working days from due_on to today: what late_by would be if done today


# The order of the provider's reads, a total one: (application_id, kind, ref) is the key.
BY_DUE_DAY: Final = "due_on, application_id, kind, ref"
DeadlineKey = tuple[str, str, str, str]  # a row's values of BY_DUE_DAY, as stored


def key_of(row: DeadlineRow) -> DeadlineKey:
    """Where `row` stands in BY_DUE_DAY: a paging cursor's key."""
    return (row.due_on.isoformat(), str(row.application_id), row.kind.value, row.ref)


def _row(row: Row) -> DeadlineRow:
    term = term_of(row)
    return TermOf(UUID(term.application_id), *term[1:])


class DeadlineMonitor(Projection):
    """Table `deadlines`: every statutory term of every application, open or closed."""

    name = "deadlines"
    reads = APPLICATION_EVENTS
    version = 3  # 2: terms judged on the later of the effective and recorded days; 3: an open
    # term says by how much it was overdue when it opened (late_by); the acceptance term (§7)
    tables = ("deadlines", "deadline_applications")

    def __init__(self, generation: int = 1) -> None:
        super().__init__(generation)
        self.book = TermBook(
            self.table("deadline_applications"), self.table("deadlines"), keep_closed=True
        )

    def create_tables(self, tx: Tx) -> None:
        self.book.create_tables(tx)
        tx.execute(
            f"CREATE INDEX IF NOT EXISTS {self.table('deadlines')}_by_provider"
            f" ON {self.table('deadlines')} (provider, status, due_on)"
        )

    def apply(self, batch: Sequence[Recorded], tx: Tx) -> None:
        self.book.process(batch, tx)

    # -- queries ---------------------------------------------------------------------------

    def _select(
        self,
        tx: Tx,
        where: str,
        params: Sequence[Any],
        order: str,
        *,
        after: DeadlineKey | None = None,
        limit: int | None = None,
    ) -> list[DeadlineRow]:
        """The rows in `order`; with `after`, only those past that key of the order (the
        provider's reads, ordered by `BY_DUE_DAY`); with `limit`, at most that many."""
        if after is not None:
            where += f" AND ({order}) > (?, ?, ?, ?)"
            params = (*params, *after)
        tail, limited = limit_clause(limit)
        rows = tx.fetchall(
            f"SELECT {TERM_COLUMNS} FROM {self.table('deadlines')} WHERE {where}"
            f" ORDER BY {order}{tail}",
            (*params, *limited),
        )
        return [_row(r) for r in rows]

    def running(
        self,
        tx: Tx,
        provider: str,
        *,
        after: DeadlineKey | None = None,
        limit: int | None = None,
    ) -> list[DeadlineRow]:
        """The provider's open terms, soonest due first (ties by application, kind, ref);
        with `after` (a `key_of`), those past it; with `limit`, at most that many."""
        return self._select(
            tx,
            "provider = ? AND status = ?",
            (provider, OPEN),
            BY_DUE_DAY,
            after=after,
            limit=limit,
        )

    def overdue(
        self,
        tx: Tx,
        provider: str,
        today: date,
        *,
        include_applicant: bool = False,
        after: DeadlineKey | None = None,
        limit: int | None = None,
    ) -> list[OverdueDeadline]:
        """Open terms whose last day is before `today`: the provider's (or a complaint body's)
        inaction; the applicant's own correction term only with `include_applicant`. In the
        order of `running`, and paged as it is."""
        where, params = "provider = ? AND status = ? AND due_on < ?", [provider, OPEN]
        params.append(today.isoformat())
        if not include_applicant:  # in SQL, so that a LIMIT counts the terms returned
            where += " AND party <> ?"
            params.append(APPLICANT)
        rows = self._select(tx, where, params, BY_DUE_DAY, after=after, limit=limit)
        return [OverdueDeadline(r, max(working_days_between(r.due_on, today), 0)) for r in rows]

    def for_application(self, tx: Tx, application_id: UUID) -> list[DeadlineRow]:
        """Every term of one application, in the order they were opened."""
        return self._select(
            tx, "application_id = ?", (str(application_id),), "opened_seq, opened_version, kind"
        )

    def before_bodies(self, tx: Tx, *, limit: int = 500) -> list[DeadlineRow]:
        """The decision terms of complaints before a body other than the provider (a higher
        body, the quality body), open or closed, the latest opened first."""
        return self._select(
            tx,
            "kind = ? AND party = ?",
            (DeadlineKind.COMPLAINT_DECISION.value, BODY),
            "opened_seq DESC, application_id, ref",
            limit=limit,
        )
