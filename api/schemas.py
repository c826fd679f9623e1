"""Response models of the HTTP API, kept apart from the events they lead to (the acts'
request models are the declarations': domain.acts.requests)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Self
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from domain.housing_application import HousingApplication
from domain.receipts import Receipt


class Schema(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @classmethod
    def copied(cls, source: object, **given: object) -> Self:
        """The answer made of `source`'s attributes named as its fields (a view's row, a
        receipt), and of the `given` fields (named otherwise there, or worked out)."""
        taken = {name: getattr(source, name) for name in cls.model_fields if name not in given}
        return cls.model_validate({**taken, **given})


class ActPublic(Schema):
    """What a recorded act answers: the application's new state and its place in the log."""

    application_id: UUID
    version: int
    notification_id: int = Field(description="The application's own event of this act.")
    log_position: int = Field(
        description="The last notification of the act's transaction (with the list's or the"
        " claim's event): pass it as ?at_least= to a read, through any process."
    )
    status: str
    queue_number: int | None = None
    complaint_id: str | None = None
    offer_id: str | None = None
    consequence: str | None = Field(
        default=None,
        description="What the act recomputed or brought about (a data update's new category,"
        " family and documents; an answer to an offer's consequence).",
    )
    projections_caught_up: bool | None = Field(
        default=None, description="With ?wait=true: whether the views include this act."
    )

    @classmethod
    def of(cls, receipt: Receipt, status: str, caught_up: bool | None) -> ActPublic:
        return cls.copied(receipt, status=status, projections_caught_up=caught_up)


class DeadlinePublic(Schema):
    kind: str
    starts_on: date
    due_on: date
    working_days: int
    basis: str


class ApplicationPublic(Schema):
    """The state of an application (no IIN, no name: those stay in the case file)."""

    application_id: UUID
    version: int
    provider: str
    list_code: str
    category_code: str
    status: str
    filed_at: datetime
    priority_moment: datetime
    reception_day: date | None
    queue_number_at_registration: int | None
    consideration_due: DeadlinePublic | None
    open_offer: str | None
    complaints: dict[str, str]

    @classmethod
    def of(cls, app: HousingApplication) -> ApplicationPublic:
        due = app.consideration_due
        return cls(
            application_id=app.id,
            version=app.version,
            provider=app.provider,
            list_code=app.form.list_code,
            category_code=app.category_code,
            status=app.status.value,
            filed_at=app.filed_at,
            priority_moment=app.priority_moment,
            reception_day=app.reception_day,
            queue_number_at_registration=app.queue_number,
            consideration_due=DeadlinePublic(
                kind=due.kind.value,
                starts_on=due.starts_on,
                due_on=due.due_on,
                working_days=due.working_days,
                basis=due.basis,
            )
            if due
            else None,
            open_offer=app.open_offer,
            complaints={cid: case.status.value for cid, case in app.complaints.items()},
        )


class PositionPublic(Schema):
    application_id: UUID
    provider: str
    list_code: str
    position: int
    out_of: int
    priority_moment: datetime
