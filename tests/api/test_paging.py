"""Cursor paging of the list-like reads, on both stores: the position history and the audit
trail oldest first, a provider's deadlines soonest due first; `?limit=` from 1 to 500 (100
when absent), `?cursor=` the `next_cursor` of the page before, null on the last page."""

from __future__ import annotations

import base64
import itertools
from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.paging import AUDIT, DEADLINES, HISTORY, MAX_CURSOR_LENGTH, MAX_LIMIT
from api.services import Services
from demo.synthetic import officer
from domain import acts
from domain.values import Role
from domain.waiting_list import WaitingList
from projections.database import ViewDatabase
from projections.position_history import PositionHistory
from tests.api.conftest import Tokens
from tests.integration.test_position_history import APPS, list_acts, random_log
from tests.integration.test_queue_projection import DAY
from tests.integration.walk import correct_priority, deregister, local, register, submit

Headers = dict[str, str]
GENERATIONS = itertools.count(100)  # a fresh set of view tables for each hypothesis example


def settle(services: Services) -> None:
    """Wait until the views include everything written so far."""
    assert services.wait_for(services.waiting_list.recorder.max_notification_id() or 0, 10)


def get(client: TestClient, url: str, headers: Headers, **params: Any) -> dict[str, Any]:
    response = client.get(url, params=params, headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def all_pages(
    client: TestClient,
    url: str,
    headers: Headers,
    items: str,
    limit: int,
    cursor: str | None = None,
    **params: Any,
) -> list[list[dict[str, Any]]]:
    """Every page of a read, following `next_cursor` from `cursor` (the first page) on."""
    pages: list[list[dict[str, Any]]] = []
    while True:
        extra = {"cursor": cursor} if cursor is not None else {}
        body = get(client, url, headers, limit=limit, **params, **extra)
        assert body["limit"] == limit
        assert len(body[items]) <= limit
        pages.append(body[items])
        cursor = body["next_cursor"]
        if cursor is None:
            return pages
        assert len(body[items]) == limit  # only the last page may hold fewer
        assert len(pages) < 100


def assert_refused(client: TestClient, url: str, headers: Headers, **params: Any) -> None:
    response = client.get(url, params=params, headers=headers)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"].endswith("/malformed-input"), problem
    assert any(name in problem["detail"] for name in params), problem


# -- the ledgers --------------------------------------------------------------------------


def moved_about(wl: WaitingList) -> tuple[UUID, list[UUID]]:
    """`a`, registered first, moved back by four filed before it, forward by a correction of
    its own priority, back and forward again by another's correction and leaving (eight
    changes, the last one by another: its history ends in a stretch on the list). Changes
    of others behind it (o5 joining, o4 leaving after a's correction) do not move it."""
    a = submit(wl, 1, filed_at=local(2024, 3, 18, 12))
    others = [submit(wl, 2 + n, filed_at=local(2024, 3, 18, 9, n)) for n in range(4)]
    others.append(submit(wl, 6, filed_at=local(2024, 3, 18, 13)))  # behind a
    for n, app in enumerate([a, *others]):
        register(wl, app, day=DAY + timedelta(minutes=10 * n))
    correct_priority(wl, a, local(2024, 3, 1), DAY + timedelta(days=1))
    deregister(wl, others[3], DAY + timedelta(days=1, hours=3))  # behind a by now
    correct_priority(wl, others[0], local(2024, 2, 1), DAY + timedelta(days=2))
    deregister(wl, others[0], DAY + timedelta(days=3))
    return a, others


ALMATY_DEADLINES = "/v1/providers/almaty/deadlines"


def accepted(services: Services, count: int) -> list[UUID]:
    """`count` applications accepted and left idle, in the views: two running terms each, due
    on the same days (ties broken by the application, then the kind)."""
    wl = services.waiting_list
    ids = [submit(wl, 20 + n, filed_at=local(2024, 4, 1, 9, n)) for n in range(count)]
    for app in ids:
        wl.perform(acts.ACCEPT, app, actor=officer("almaty"), effective_at=local(2024, 4, 1, 11))
    settle(services)
    return ids


@pytest.fixture
def history_of_a(services: Services) -> UUID:
    a, _ = moved_about(services.waiting_list)
    settle(services)
    return a


# -- position history ---------------------------------------------------------------------


def test_history_pages_follow_each_other_without_gap_or_repeat(
    client: TestClient, tokens: Tokens, history_of_a: UUID
) -> None:
    url, staff = f"/v1/applications/{history_of_a}/history", tokens.staff(Role.OFFICER)
    whole = get(client, url, staff, limit=MAX_LIMIT)
    changes = whole["changes"]
    assert [(c["old_position"], c["new_position"], c["own"]) for c in changes] == [
        (None, 1, True),
        (1, 2, False),
        (2, 3, False),
        (3, 4, False),
        (4, 5, False),
        (5, 1, True),
        (1, 2, False),
        (2, 1, False),
    ]
    assert whole["next_cursor"] is None
    for limit in range(1, len(changes) + 2):  # resuming after every change, own or another's
        pages = all_pages(client, url, staff, "changes", limit)
        assert [c for page in pages for c in page] == changes, limit
        assert len(pages) == max(-(-len(changes) // limit), 1)


def test_the_first_history_page_of_a_short_history_is_the_whole_history(
    client: TestClient, tokens: Tokens, history_of_a: UUID
) -> None:
    url, staff = f"/v1/applications/{history_of_a}/history", tokens.staff(Role.OFFICER)
    body = get(client, url, staff)
    assert (body["limit"], body["next_cursor"]) == (100, None)
    assert body["application_id"] == str(history_of_a)
    assert body["changes"] == get(client, url, staff, limit=MAX_LIMIT)["changes"]
    seqs = [c["seq"] for c in body["changes"]]
    assert seqs == sorted(set(seqs))  # oldest first, one change a log position


def test_history_paging_is_stable_while_changes_are_appended(
    client: TestClient, services: Services, tokens: Tokens, history_of_a: UUID
) -> None:
    url, staff = f"/v1/applications/{history_of_a}/history", tokens.staff(Role.OFFICER)
    first = get(client, url, staff, limit=3)
    wl = services.waiting_list
    ahead = submit(wl, 9, filed_at=local(2024, 2, 20, 10))  # ahead of a's corrected priority
    register(wl, ahead, day=DAY + timedelta(days=4))
    settle(services)
    rest = all_pages(client, url, staff, "changes", 3, cursor=first["next_cursor"])
    paged = first["changes"] + [c for page in rest for c in page]
    whole = get(client, url, staff, limit=MAX_LIMIT)["changes"]
    assert paged == whole
    assert (whole[-1]["old_position"], whole[-1]["new_position"]) == (1, 2)
    assert whole[-1]["other_application_id"] == str(ahead)


def test_the_last_history_page_has_no_next_cursor(
    client: TestClient, tokens: Tokens, history_of_a: UUID
) -> None:
    url, staff = f"/v1/applications/{history_of_a}/history", tokens.staff(Role.OFFICER)
    pages = all_pages(client, url, staff, "changes", 4)  # 8 changes: two full pages, no third
    assert [len(page) for page in pages] == [4, 4]
    cursor = HISTORY.encode([pages[-1][-1]["seq"]])
    beyond = get(client, url, staff, cursor=cursor)
    assert (beyond["changes"], beyond["next_cursor"]) == ([], None)


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(drawn=list_acts, limit=st.integers(1, 6))
def test_history_pages_of_random_lists_join_up_to_the_whole_history(
    database: ViewDatabase, drawn: list[tuple[int, str, int, str, int]], limit: int
) -> None:
    history = PositionHistory(generation=next(GENERATIONS))
    with database.transaction() as tx:
        history.create_tables(tx)
        history.apply(random_log(drawn), tx)
    with database.transaction() as tx:
        for app in APPS:
            whole = history.history(tx, app)
            paged, after = [], 0
            while page := history.history(tx, app, after=after, limit=limit):
                assert len(page) <= limit
                paged += page
                after = page[-1].seq
            assert paged == whole
        history.drop_tables(tx)


# -- audit trail --------------------------------------------------------------------------


def test_audit_pages_follow_each_other_without_gap_or_repeat(
    client: TestClient, tokens: Tokens, history_of_a: UUID
) -> None:
    url, auditor = f"/v1/applications/{history_of_a}/audit", tokens.reader(Role.AUDITOR)
    whole = get(client, url, auditor)
    recorded = whole["acts"]
    assert (whole["limit"], whole["next_cursor"]) == (100, None)
    assert [a["version"] for a in recorded] == list(range(1, len(recorded) + 1))  # oldest first
    assert len(recorded) >= 7
    for limit in (1, 2, 3, len(recorded) - 1, len(recorded), len(recorded) + 1):
        pages = all_pages(client, url, auditor, "acts", limit)
        assert [a for page in pages for a in page] == recorded, limit


def test_audit_paging_is_stable_while_acts_are_appended(
    client: TestClient, services: Services, tokens: Tokens, history_of_a: UUID
) -> None:
    url, auditor = f"/v1/applications/{history_of_a}/audit", tokens.reader(Role.AUDITOR)
    first = get(client, url, auditor, limit=4)
    deregister(services.waiting_list, history_of_a, DAY + timedelta(days=5))
    settle(services)
    rest = all_pages(client, url, auditor, "acts", 4, cursor=first["next_cursor"])
    paged = first["acts"] + [a for page in rest for a in page]
    assert paged == get(client, url, auditor)["acts"]
    assert paged[-1]["event"] == "Deregistered"


def test_the_last_audit_page_has_no_next_cursor(
    client: TestClient, tokens: Tokens, history_of_a: UUID
) -> None:
    url, auditor = f"/v1/applications/{history_of_a}/audit", tokens.reader(Role.AUDITOR)
    recorded = get(client, url, auditor)["acts"]
    pages = all_pages(client, url, auditor, "acts", len(recorded))  # exactly one full page
    assert pages == [recorded]
    beyond = get(client, url, auditor, cursor=AUDIT.encode([recorded[-1]["version"]]))
    assert (beyond["acts"], beyond["next_cursor"]) == ([], None)


# -- deadlines ----------------------------------------------------------------------------


def test_deadline_pages_follow_each_other_without_gap_or_repeat(
    client: TestClient, services: Services, tokens: Tokens
) -> None:
    accepted(services, 5)
    url, head = ALMATY_DEADLINES, tokens.staff(Role.HEAD)
    for overdue, as_of in ((False, "2024-04-02"), (True, "2024-04-10")):
        whole = get(client, url, head, overdue=overdue, as_of=as_of)
        terms = whole["deadlines"]
        assert (whole["limit"], whole["next_cursor"]) == (100, None)
        assert len(terms) == (5 if overdue else 10)
        assert [d["due_on"] for d in terms] == sorted(d["due_on"] for d in terms)
        for limit in (1, 3, 4, len(terms)):
            pages = all_pages(client, url, head, "deadlines", limit, overdue=overdue, as_of=as_of)
            assert [d for page in pages for d in page] == terms, (overdue, limit)


def test_deadline_paging_is_stable_while_terms_are_opened(
    client: TestClient, services: Services, tokens: Tokens
) -> None:
    wl = services.waiting_list
    accepted(services, 3)
    url, head = ALMATY_DEADLINES, tokens.staff(Role.HEAD)
    first = get(client, url, head, limit=2, as_of="2024-04-02")
    late = submit(wl, 40, filed_at=local(2024, 4, 15, 9))  # due after the first page's terms
    wl.perform(acts.ACCEPT, late, actor=officer("almaty"), effective_at=local(2024, 4, 15, 11))
    settle(services)
    rest = all_pages(
        client, url, head, "deadlines", 2, as_of="2024-04-02", cursor=first["next_cursor"]
    )
    paged = first["deadlines"] + [d for page in rest for d in page]
    assert paged == get(client, url, head, as_of="2024-04-02")["deadlines"]
    assert [d["application_id"] for d in paged].count(str(late)) == 2


def test_the_last_deadline_page_has_no_next_cursor(
    client: TestClient, services: Services, tokens: Tokens
) -> None:
    accepted(services, 2)
    url, head = ALMATY_DEADLINES, tokens.staff(Role.HEAD)
    pages = all_pages(client, url, head, "deadlines", 2)  # four terms: two full pages
    assert [len(page) for page in pages] == [2, 2]
    empty = get(client, "/v1/providers/astana/deadlines", tokens.reader(Role.COURT))
    assert (empty["deadlines"], empty["next_cursor"], empty["limit"]) == ([], None, 100)


# -- what is refused ----------------------------------------------------------------------

READS = ("history", "audit", "deadlines")


def url_of(read: str, app: UUID) -> str:
    if read == "deadlines":
        return ALMATY_DEADLINES
    return f"/v1/applications/{app}/{read}"


@pytest.mark.parametrize("read", READS)
def test_a_limit_over_the_maximum_is_refused_with_422(
    client: TestClient, tokens: Tokens, history_of_a: UUID, read: str
) -> None:
    url, head = url_of(read, history_of_a), tokens.staff(Role.HEAD)
    assert get(client, url, head, limit=MAX_LIMIT)["limit"] == MAX_LIMIT
    for limit in (MAX_LIMIT + 1, 0, -1, "ten"):
        assert_refused(client, url, head, limit=limit)


@pytest.mark.parametrize("read", READS)
def test_a_forged_cursor_is_refused_with_422(
    client: TestClient, tokens: Tokens, history_of_a: UUID, read: str
) -> None:
    url, head = url_of(read, history_of_a), tokens.staff(Role.HEAD)
    own = {"history": HISTORY, "audit": AUDIT, "deadlines": DEADLINES}[read]
    others = [c for c in (HISTORY, AUDIT, DEADLINES) if c is not own]
    keys = {"h": [7], "a": [3], "d": ["2024-04-03", str(history_of_a), "consideration", ""]}

    def token(text: str) -> str:
        return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")

    forged = [
        "",  # an empty cursor is none of the cursors given out
        "not a cursor",
        "!!!!",
        token("{}"),
        token("[]"),
        token(f'["{own.read}"]'),
        token(f'["{own.read}", "x", "y"]'),
        token(f'["{own.read}", -1]'),
        token(f'["{own.read}", 1.5]'),
        token(f'["{own.read}", true]'),
        token(f'["{own.read}", "2024-13-01", "{history_of_a}", "consideration", ""]'),
        token(f'["{own.read}", "2024-04-03", "not-an-id", "consideration", ""]'),
        token(f'["{own.read}", "2024-04-03", "{history_of_a}", "no_such_kind", ""]'),
        *(other.encode(keys[other.read]) for other in others),  # another read's cursor
        "A" * (MAX_CURSOR_LENGTH + 1),
    ]
    for cursor in forged:
        assert_refused(client, url, head, cursor=cursor)
    assert get(client, url, head, cursor=own.encode(keys[own.read]))["limit"] == 100


def test_the_paged_reads_state_their_order_and_maximum_in_the_openapi_document(
    client: TestClient,
) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path, order in (
        ("/v1/applications/{application_id}/history", "oldest first"),
        ("/v1/applications/{application_id}/audit", "oldest first"),
        ("/v1/providers/{provider}/deadlines", "soonest first"),
    ):
        operation = paths[path]["get"]
        assert order in operation["description"]
        params = {p["name"]: p for p in operation["parameters"]}
        assert params["limit"]["schema"]["maximum"] == MAX_LIMIT
        assert params["limit"]["schema"]["default"] == 100
        assert str(MAX_LIMIT) in params["limit"]["description"]
        assert params["cursor"]["schema"]["anyOf"][0]["maxLength"] == MAX_CURSOR_LENGTH
