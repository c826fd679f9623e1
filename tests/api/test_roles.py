"""The role x endpoint table of tests/api/roles_table.py, proved on both stores.

Every combination the table does not allow answers 403 (problem+json) and writes nothing: each
role it leaves out, staff of another provider where staff are allowed, another applicant where
the applicant is; a role an operation never allows is refused before any lookup. Every
operation but a public one answers 401 without a valid token. Each request is otherwise well
formed (the example body its OpenAPI document shows, naming the application's own people) and
aimed at an application in a state where the act would be allowed: the same request with a
token the table allows succeeds. The table covers exactly the app's operations.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import jwt
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from starlette.routing import Mount

from api.auth import ALGORITHM, Principal
from cli.maintenance import sign
from demo.synthetic import make_form
from domain.forms import ApplicationForm
from domain.notices import notice_id
from domain.values import Check, Role
from tests.api import roles_table
from tests.api.conftest import Tokens
from tests.api.roles_table import APPLICANT, COMPLAINT_BODY, STAFF, SYSTEM, TABLE, Operation
from tests.api.test_complaints import forward
from tests.api.test_consideration import sanitary
from tests.api.walk import MISSING, UNKNOWN, Walk, at, incomplete_form

PROVIDER = "almaty"
OTHER_PROVIDER = "astana"
LIST_CODE = "socially_vulnerable"
PROBLEM = "application/problem+json"
FILE: Operation = ("POST", "/v1/applications")
FILED = make_form(900)  # what FILE files, as its own applicant
FLAT = {"address": "Almaty, Samal, block 12, flat 48", "rooms": 2, "useful_area_m2": "48.50"}
NOTICE: dict[str, Any] = {
    "ground": "non_compliance",
    "reasons": "The register shows a flat owned by the applicant.",
    "notice": {"hearing_at": at("19", "10:30"), "place": "Almaty CSC, room 214"},
}
COMPLAINT = {"subject": "action", "filed_with": "provider", "text": "A needless request."}
FORWARD = {**forward(version=6), "effective_at": at("19", "09:00")}
ACTED_AT = at("19", "11:00")  # after every state was built: its terms are running or over

# The state each act is tried on: one where its allowed roles could perform it.
STATE: dict[str, str] = {
    "accept": "filed",
    "assign": "accepted",
    "notify-incomplete": "accepted_incomplete",
    "find-complete": "accepted",
    "correct": "incomplete",
    "find-still-incomplete": "corrected",
    "refuse-further-consideration": "lapsed",
    "verify": "complete",
    "schedule-hearing": "grounds_found",
    "hold-hearing": "hearing_scheduled",
    "refuse": "hearing_held",
    "register": "verified",
    "offers/{offer_id}/decline": "offered",
    "offers/{offer_id}/provide": "offered",
}
REGISTERED = "registered"  # every other operation on an application: on the list, complaint c1
# A complaint body decides a complaint forwarded to it; the head one filed with the provider.
STATE_FOR_ROLE = {("complaints/{complaint_id}/decide", COMPLAINT_BODY): "forwarded"}
# An offer goes to the head of a list: each application offered one heads a list of its own.
OWN_LIST = {
    "offers": ("veterans", "orphans"),
    "offered": ("large_families", "state_employees", "emergency_housing"),
}


def act_of(operation: Operation) -> str | None:
    """The part of the path after the application ("" for the application itself), or None."""
    _, path = operation
    if not path.startswith(roles_table.APP):
        return None
    return path.removeprefix(roles_table.APP).removeprefix("/")


class Builder:
    """Puts applications of almaty, over HTTP, in the states the acts need."""

    def __init__(self, client: TestClient, tokens: Tokens) -> None:
        self.walk = Walk(client, tokens)
        self.serial = 0
        self.lists = {state: list(codes) for state, codes in OWN_LIST.items()}

    def form(self, *, incomplete: bool = False, list_code: str = LIST_CODE) -> ApplicationForm:
        self.serial += 1
        if incomplete:
            return incomplete_form(self.serial)
        return make_form(self.serial, list_code=list_code)

    def build(self, state: str, list_code: str = LIST_CODE) -> str:
        walk, officer = self.walk, self.walk.officer
        if state == "filed":
            return walk.file(self.form())
        if state in {"accepted", "complete", "accepted_incomplete", "incomplete", "corrected"}:
            app_id = walk.file(self.form(incomplete=state.endswith(("incomplete", "corrected"))))
            walk.act(app_id, "accept", officer, effective_at=at("18", "11:00"))
            if state == "complete":
                walk.act(app_id, "find-complete", officer, effective_at=at("18", "11:01"))
            if state in {"incomplete", "corrected"}:
                walk.act(
                    app_id, "notify-incomplete", officer, effective_at=at("18", "11:30"),
                    missing=MISSING,
                )  # fmt: skip
            if state == "corrected":
                walk.act(
                    app_id, "correct", walk.applicant(app_id), effective_at=at("18", "12:00"),
                    documents=[sanitary()],
                )  # fmt: skip
            return app_id
        if state == "lapsed":  # notified on 12 March: the 2 working days ran out on the 14th
            app_id = walk.file(self.form(incomplete=True), filed_at=at("12"))
            walk.act(app_id, "accept", officer, effective_at=at("12", "11:00"))
            walk.act(
                app_id, "notify-incomplete", officer, effective_at=at("12", "11:30"),
                missing=MISSING,
            )  # fmt: skip
            return app_id
        if state in {"grounds_found", "hearing_scheduled", "hearing_held"}:
            app_id = walk.verified(self.form(), failing=Check.NO_HOUSING_OWNED)
            if state == "grounds_found":
                return app_id
            walk.act(app_id, "schedule-hearing", officer, effective_at=at("18", "13:00"), **NOTICE)
            if state == "hearing_held":
                walk.act(
                    app_id, "hold-hearing", officer, effective_at=at("19", "10:45"),
                    applicant_position="I do not own it.", outcome="refusal",
                    reasons="The register is unambiguous.",
                )  # fmt: skip
            return app_id
        if state == "verified":
            return walk.verified(self.form())
        if state == "offered":
            app_id = walk.registered(self.form(list_code=self.lists["offered"].pop()))
            walk.act(
                app_id, "offers", officer, status=201, effective_at=at("18", "12:10"), dwelling=FLAT
            )
            return app_id
        assert state in {REGISTERED, "forwarded"}, state
        app_id = walk.registered(self.form(list_code=list_code))
        walk.act(
            app_id, "complaints?wait=true", walk.applicant(app_id), status=201,
            effective_at=at("18", "13:00"), complaint=COMPLAINT,
        )  # fmt: skip
        if state == "forwarded":
            walk.act(app_id, "complaints/c1/forward", officer, **FORWARD)
        return app_id

    def fresh(self, operation: Operation, role: str) -> str:
        """A new application in the state where `role` could perform the act."""
        act = act_of(operation)
        assert act is not None
        if act == "offers":
            return self.build(REGISTERED, list_code=self.lists["offers"].pop())
        return self.build(STATE_FOR_ROLE.get((act, role), STATE.get(act, REGISTERED)))


@dataclass
class Stage:
    """One application in each state the acts need, and the requests that reach them."""

    client: TestClient
    tokens: Tokens
    builder: Builder
    apps: dict[str, str]
    spec: dict[str, Any]
    query_values: dict[str, Any]  # a valid value of each query parameter, by name

    def written(self) -> int | None:
        return self.builder.walk.written()

    def app_for(self, operation: Operation) -> str | None:
        act = act_of(operation)
        if act is None:
            return None
        return self.apps[STATE.get(act, REGISTERED)]

    def url(self, operation: Operation, app_id: str | None = None) -> str:
        _, path = operation
        return path.format(
            application_id=app_id or self.app_for(operation),
            offer_id="o1",
            complaint_id="c1",
            notice_id=notice_id(UUID(self.apps[REGISTERED]), 2),  # its acceptance's notice
            sha256="0" * 64,  # unknown: the role check must come first anyway
            provider=PROVIDER,
            list_code=LIST_CODE,
        )

    def query(self, operation: Operation) -> dict[str, Any]:
        """A valid value of every required query parameter (the others keep their default)."""
        method, path = operation
        found: dict[str, Any] = {}
        for parameter in self.spec["paths"][path][method.lower()].get("parameters", []):
            if parameter["in"] != "query" or not parameter.get("required"):
                continue
            name = parameter["name"]
            assert name in self.query_values, f"{label(operation)}: a value for ?{name}="
            found[name] = self.query_values[name]
        return found

    def example(self, operation: Operation) -> dict[str, Any] | None:
        """The example of the operation's request body in its OpenAPI document."""
        method, path = operation
        spec_operation = self.spec["paths"][path][method.lower()]
        if "requestBody" not in spec_operation:
            return None
        ref = spec_operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        schema = self.spec["components"]["schemas"][ref.rsplit("/", 1)[-1]]
        if "examples" in schema:
            example: dict[str, Any] = dict(schema["examples"][0])
            return example
        if operation == FILE:  # the form is the applicant's own: see filed_form
            return {"provider": PROVIDER, "filed_at": at("18")}
        assert not schema.get("required"), f"{method} {path}: a body with no example"
        return {}

    def body(self, operation: Operation, app_id: str | None = None) -> dict[str, Any] | None:
        """The example, with the people it names made those of the application."""
        body = self.example(operation)
        if body is None:
            return None
        act = act_of(operation)
        if operation == FILE:
            body["form"] = FILED.model_dump(mode="json")
        elif act in {"update-data", "pass-place"}:
            forms = self.builder.walk.forms
            form = forms.get(app_id or "") or forms[self.app_for(operation) or ""]
            family_member = form.family[0].iin
            if act == "pass-place":
                body["successor_iin"] = family_member
            else:
                body["update"] = {
                    **body["update"],
                    "applicant_iin": form.applicant_iin,
                    "family_member_iin": family_member,
                }
        elif act in {"complaints/{complaint_id}/decide", "complaints/{complaint_id}/satisfy"}:
            body.update(remedy="none", reopen_at=None)  # the citizen is still on the list
        elif act == "court-decisions":  # on the list: a decision dated that day, no remedy
            body.update(remedy="none", reopen_at=None, decided_on=ACTED_AT[:10])
        if operation[0] == "POST":  # when it happens: the scenario client sets the clock
            body.setdefault("effective_at", ACTED_AT)
        return body

    def own_applicant(self, operation: Operation, app_id: str | None = None) -> dict[str, str]:
        app_id = app_id or self.app_for(operation)
        if app_id is None and operation in roles_table.OWN_ACCOUNT:
            app_id = self.apps[REGISTERED]
        if app_id is None:
            return self.tokens.applicant(FILED.applicant_iin)
        return self.builder.walk.applicant(app_id)

    def other_applicant(self) -> dict[str, str]:
        return self.tokens.applicant(make_form(999).applicant_iin)

    def token(self, role: str, operation: Operation, app_id: str | None = None) -> dict[str, str]:
        """A valid token of `role`: staff of the application's provider, the own applicant."""
        if role == APPLICANT:
            return self.own_applicant(operation, app_id)
        if role in STAFF:
            return self.tokens.staff(Role(role), PROVIDER)
        return self.tokens.reader(Role(role))

    def callers(self, operation: Operation) -> list[tuple[str, dict[str, str]]]:
        """Every caller the table refuses for `operation`, by name, with their token."""
        found = [(role, self.token(role, operation)) for role in roles_table.forbidden(operation)]
        allowed = TABLE[operation]
        if roles_table.is_public(operation):
            return found
        if APPLICANT in allowed and operation not in roles_table.OWN_ACCOUNT:
            found.append(("another applicant", self.other_applicant()))
        for role in sorted(allowed & STAFF):
            found.append(
                (f"{role} of {OTHER_PROVIDER}", self.tokens.staff(Role(role), OTHER_PROVIDER))
            )
        return found

    def send(
        self,
        operation: Operation,
        headers: dict[str, str],
        app_id: str | None = None,
        body: dict[str, Any] | None = None,
    ) -> Response:
        method, _ = operation
        response: Response = self.client.request(
            method,
            self.url(operation, app_id),
            params=self.query(operation),
            json=body or self.body(operation, app_id),
            headers=headers,
        )
        return response


def build_stage(client: TestClient, tokens: Tokens) -> Stage:
    builder = Builder(client, tokens)
    # The offered one first, so that the registered one heads socially_vulnerable after it.
    states = ["offered", *sorted(set(STATE.values()) - {"offered"}), REGISTERED]
    apps = {state: builder.build(state) for state in states}
    services = tokens.services
    sign(services.waiting_list, services.database, lambda _: None)  # a checkpoint to prove
    size = client.get("/v1/transparency/checkpoint").json()["size"]
    query_values = {"at": at("19", "12:00"), "position": 1, "size": size, "old": 1, "new": size}
    spec: dict[str, Any] = client.get("/openapi.json").json()
    return Stage(client, tokens, builder, apps, spec, query_values)


@pytest.fixture
def stage(client: TestClient, tokens: Tokens, monkeypatch: pytest.MonkeyPatch) -> Stage:
    monkeypatch.setenv("KEZEK_SIGNING_KEY", "22" * 32)  # for test only: the checkpoint's key
    return build_stage(client, tokens)


def refusal_fault(response: Response, before: int | None, after: int | None) -> str | None:
    """What is wrong with a refusal that should be a 403 problem, or None."""
    if response.status_code != 403:
        return f"answered {response.status_code}: {response.text[:200]}"
    if response.headers.get("content-type") != PROBLEM:
        return f"answered 403 as {response.headers.get('content-type')}"
    problem = response.json()
    if problem.get("status") != 403 or not problem.get("type", "").endswith("/forbidden"):
        return f"answered 403 with {problem}"
    if after != before:
        return f"wrote events {before} -> {after}"
    return None


def label(operation: Operation) -> str:
    return " ".join(operation)


# -- the table covers the app ------------------------------------------------------------------


def routed_operations(app: FastAPI) -> set[Operation]:
    """Every (method, path) the app routes, less the documentation, its assets and the pages
    for people (api.pages: HTML, out of the OpenAPI document; their roles: tests/pages)."""
    try:  # FastAPI >= 0.16x keeps included routers as such; this flattens them
        from fastapi.routing import iter_route_contexts

        routes: Any = list(iter_route_contexts(app.routes))
    except ImportError:  # pragma: no cover - older FastAPI lists the routes themselves
        routes = app.routes
    framework = {app.openapi_url, app.docs_url, app.redoc_url, app.swagger_ui_oauth2_redirect_url}
    found: set[Operation] = set()
    for route in routes:
        path = getattr(route, "path", None)
        inner = getattr(route, "route", route)
        if path in framework or isinstance(inner, Mount) or not inner.include_in_schema:
            continue
        methods = getattr(route, "methods", None)
        assert path, f"a route the table cannot name: {route!r}"
        assert methods, f"a route the table cannot name: {route!r}"
        found |= {(method, path) for method in methods if method != "HEAD"}
    return found


def test_the_table_names_every_operation_of_the_app_and_no_other(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    documented = {
        (method.upper(), path)
        for path, operations in spec["paths"].items()
        for method in operations
        if method in {"get", "put", "post", "patch", "delete"}
    }
    assert isinstance(client.app, FastAPI)
    routed = routed_operations(client.app)
    assert routed == documented, f"routed, not documented: {routed - documented}"
    assert set(TABLE) == documented, (
        f"without a row: {sorted(documented - set(TABLE))}; "
        f"rows for no operation: {sorted(set(TABLE) - documented)}"
    )
    for operation, allowed in TABLE.items():
        assert allowed, f"{label(operation)}: no role allowed"
        assert allowed <= {*roles_table.ROLES, roles_table.PUBLIC}, label(operation)
        # A public operation asks for no token in its document (no security, or an empty one).
        asks_token = bool(spec["paths"][operation[1]][operation[0].lower()].get("security"))
        assert asks_token != roles_table.is_public(operation), label(operation)


# -- 403 for every combination the table leaves out --------------------------------------------


def test_every_forbidden_caller_gets_403_and_writes_nothing(stage: Stage) -> None:
    faults: list[str] = []
    tried = 0
    for operation in TABLE:
        for caller, headers in stage.callers(operation):
            before = stage.written()
            response = stage.send(operation, headers)
            fault = refusal_fault(response, before, stage.written())
            tried += 1
            if fault:
                faults.append(f"{label(operation)} as {caller}: {fault}")
    assert not faults, "\n".join(faults)
    assert tried > 150


def unknown_id_faults(stage: Stage, operations: list[Operation]) -> list[str]:
    faults: list[str] = []
    for operation in operations:
        for role in roles_table.forbidden(operation):
            # The applicant's own application does not exist: any applicant is another one.
            headers = stage.other_applicant() if role == APPLICANT else stage.token(role, operation)
            before = stage.written()
            response = stage.send(operation, headers, app_id=UNKNOWN)
            fault = refusal_fault(response, before, stage.written())
            if fault:
                faults.append(f"{label(operation)} as {role}, unknown id: {fault}")
    return faults


def test_the_role_is_checked_before_the_application_is_looked_up(stage: Stage) -> None:
    """A role an operation never allows is refused even for an application that does not exist,
    so a 404 tells it nothing (the scope, provider or applicant, needs the application)."""
    operations = [operation for operation in TABLE if stage.app_for(operation) is not None]
    faults = unknown_id_faults(stage, operations)
    assert not faults, "\n".join(faults)


# -- 401 without a valid token -----------------------------------------------------------------


def test_every_operation_but_a_public_one_needs_a_valid_token(stage: Stage) -> None:
    services = stage.tokens.services
    foreign = jwt.encode(
        {"iss": "kezek", "sub": "head-1", "role": "head", "provider": PROVIDER, "iat": 0},
        b"another key, not the service's, long enough for HS256",
        algorithm=ALGORITHM,
    )
    head = Principal("head-1", Role.HEAD, PROVIDER)
    expired = services.tokens.issue(head, hours=1, now=datetime.now(UTC) - timedelta(hours=2))
    unnamed = services.tokens.issue(Principal("officer-1", Role.OFFICER))  # staff, no provider
    now = int(time.time())
    claims: dict[str, object] = {"iss": "kezek", "sub": "head-1", "role": "head", "jti": "j"}
    claims |= {"provider": PROVIDER, "iat": now, "nbf": now, "exp": now + 3600}
    system = stage.tokens.signed({**claims, "role": SYSTEM})  # no token is issued for it
    too_long = stage.tokens.signed({**claims, "exp": now + 8 * 24 * 3600})  # 7 days at most
    attempts = {
        "no token": {},
        "not a JWT": {"Authorization": "Bearer not-a-token"},
        "another key": {"Authorization": f"Bearer {foreign}"},
        "expired": {"Authorization": f"Bearer {expired}"},
        "staff without provider": {"Authorization": f"Bearer {unnamed}"},
        "the role system": system,
        "longer than its role allows": too_long,
    }
    faults: list[str] = []
    for operation in TABLE:
        for name, headers in attempts.items():
            before = stage.written()
            response = stage.send(operation, headers)
            if roles_table.is_public(operation):
                if response.status_code != 200:
                    faults.append(f"{label(operation)} ({name}): {response.status_code}")
                continue
            problem = response.json()
            if (
                response.status_code != 401
                or response.headers.get("content-type") != PROBLEM
                or response.headers.get("www-authenticate") != "Bearer"
                or problem.get("status") != 401
                or stage.written() != before
            ):
                faults.append(
                    f"{label(operation)} ({name}): {response.status_code} {response.text[:200]}"
                )
    assert not faults, "\n".join(faults)


# -- the roles the table allows pass the check -------------------------------------------------


ADMINISTRATIVE_FILE = ("GET", "/v1/administrative-files/{sha256}")


def test_every_allowed_caller_performs_the_act(stage: Stage) -> None:
    """The same request with a token the table allows succeeds: the state and the body were
    right, and only the token refused it above. Each act gets an application of its own."""
    faults: list[str] = []
    for operation, allowed in TABLE.items():
        method, _ = operation
        public = roles_table.is_public(operation)
        for role in roles_table.ROLES if public else sorted(allowed):
            app_id = None
            if method == "POST" and act_of(operation) is not None:
                app_id = stage.builder.fresh(operation, role)
            body = None
            if operation == FILE and role == roles_table.PORTAL:  # another citizen's filing
                body = {
                    **(stage.body(operation) or {}),
                    "form": make_form(998).model_dump(mode="json"),
                }
            response = stage.send(operation, stage.token(role, operation, app_id), app_id, body)
            if operation == ADMINISTRATIVE_FILE and response.status_code == 404:
                continue  # files exist only once a complaint is forwarded: test_replaying
            if response.status_code not in {200, 201}:
                faults.append(f"{label(operation)} as {role}: {response.text[:300]}")
    assert not faults, "\n".join(faults)
