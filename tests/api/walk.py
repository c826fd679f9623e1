"""`Walk`: acts on applications over HTTP only, on a real service, for the API tests.

Moments are in March 2024 in Almaty (UTC+5), where 21, 22 and 25 March are Nauryz days off.
"""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from demo.synthetic import checks_for, make_form
from domain.forms import ApplicationForm
from domain.values import Check, HousingCondition, Role
from tests.api.conftest import Tokens

UNKNOWN = "00000000-0000-4000-8000-000000000000"
# Appendix 3's two declarations and its signature reference, as a data update's body has them.
APPENDIX_3_SIGNED = {
    "consents": {"housing_check": True, "protected_secret": True},
    "signature": "eds-signature-0123456789abcdef",
}


def at(day: str, time: str = "10:00") -> str:
    """A moment of March 2024 in Almaty: at("19", "11:30")."""
    return f"2024-03-{day}T{time}:00+05:00"


class Walk:
    """Acts over HTTP, and failed requests that must write nothing."""

    def __init__(self, client: TestClient, tokens: Tokens) -> None:
        self.client = client
        self.tokens = tokens
        self.officer = tokens.staff(Role.OFFICER)
        self.head = tokens.staff(Role.HEAD)
        self.forms: dict[str, ApplicationForm] = {}

    def written(self) -> int | None:
        return self.tokens.services.waiting_list.recorder.max_notification_id()

    def applicant(self, app_id: str) -> dict[str, str]:
        return self.tokens.applicant(self.forms[app_id].applicant_iin)

    def act(
        self, app_id: str, path: str, headers: dict[str, str], *, status: int = 200, **body: Any
    ) -> dict[str, Any]:
        response = self.client.post(f"/v1/applications/{app_id}/{path}", json=body, headers=headers)
        assert response.status_code == status, response.text
        result: dict[str, Any] = response.json()
        return result

    def fails(
        self, app_id: str, path: str, headers: dict[str, str], status: int, **body: Any
    ) -> dict[str, Any]:
        """The request fails with `status` as problem+json, and nothing is written."""
        before = self.written()
        response = self.client.post(f"/v1/applications/{app_id}/{path}", json=body, headers=headers)
        assert response.status_code == status, response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert self.written() == before
        problem: dict[str, Any] = response.json()
        return problem

    def broken_rule(
        self,
        app_id: str,
        path: str,
        headers: dict[str, str],
        error: str,
        paragraph: str,
        **body: Any,
    ) -> None:
        problem = self.fails(app_id, path, headers, 409, **body)
        assert problem["error"] == error, problem
        assert paragraph in problem["paragraph"], problem
        assert problem["rule"], problem

    def state(self, app_id: str) -> dict[str, Any]:
        response = self.client.get(f"/v1/applications/{app_id}", headers=self.officer)
        assert response.status_code == 200, response.text
        result: dict[str, Any] = response.json()
        return result

    def file(self, form: ApplicationForm, filed_at: str = at("18")) -> str:
        body = {"provider": "almaty", "filed_at": filed_at, "form": form.model_dump(mode="json")}
        headers = self.tokens.applicant(form.applicant_iin)
        response = self.client.post("/v1/applications", json=body, headers=headers)
        assert response.status_code == 201, response.text
        app_id: str = response.json()["application_id"]
        self.forms[app_id] = form
        return app_id

    def checks(self, app_id: str, failing: Check | None = None) -> list[dict[str, Any]]:
        found = checks_for(self.forms[app_id], "almaty", failing=failing)
        return [c.model_dump(mode="json") for c in found]

    def verified(
        self, form: ApplicationForm, filed: str = "10:00", failing: Check | None = None
    ) -> str:
        """Filed, accepted, found complete and verified on 18 March."""
        app_id = self.file(form, at("18", filed))
        self.act(app_id, "accept", self.officer, effective_at=at("18", "12:00"))
        self.act(app_id, "find-complete", self.officer, effective_at=at("18", "12:01"))
        self.act(
            app_id,
            "verify",
            self.officer,
            effective_at=at("18", "12:02"),
            checks=self.checks(app_id, failing),
        )
        return app_id

    def accepted_incomplete(self, serial: int) -> str:
        """An incomplete_form(serial), filed on 18 March and accepted at 11:00."""
        app_id = self.file(incomplete_form(serial))
        self.act(app_id, "accept", self.officer, effective_at=at("18", "11:00"))
        return app_id

    def registered(self, form: ApplicationForm, filed: str = "10:00") -> str:
        app_id = self.verified(form, filed)
        self.act(app_id, "register", self.officer, effective_at=at("18", "12:03"))
        return app_id


def incomplete_form(serial: int) -> ApplicationForm:
    """A form declaring sanitary housing conditions without the sanitary conclusion (Std 8)."""
    form = make_form(serial, with_documents=False)
    return form.model_copy(update={"housing_conditions": (HousingCondition.SANITARY,)})


MISSING = [{"document": "sanitary_conclusion", "description": "Std 8: sanitary conclusion"}]
