"""Response models of the personal account's notices (api.routes.notices)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import Field

from api.notice_texts import account_text, subject_of
from api.schemas import Schema
from api.schemas_views import LIMIT, NEXT_CURSOR


def _moment(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


class SmsDeliveryPublic(Schema):
    status: str = Field(description="pending, delivered, or failed (not delivered).")
    delivered_at: datetime | None
    attempts: int


class NoticePublic(Schema):
    """One notice in the personal account, in the language chosen on the form."""

    notice_id: UUID
    application_id: UUID | None
    act_version: int | None = Field(description="The version of the act it tells of.")
    subject: str = Field(examples=["registered"])
    language: str
    title: str
    body: str
    delivered_at: datetime = Field(description="When it reached the personal account.")
    opened_at: datetime | None = Field(description="When the applicant opened it (None: not).")
    sms: SmsDeliveryPublic | None = Field(description="The SMS that went with it, if any.")

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> NoticePublic:
        title, body = account_text(row)
        return cls(
            notice_id=UUID(row["notice_id"]),
            application_id=UUID(row["application_id"]) if row["application_id"] else None,
            act_version=row["version"],
            subject=subject_of(row),
            language=row["language"],
            title=title,
            body=body,
            delivered_at=datetime.fromisoformat(row["recorded_at"]),
            opened_at=_moment(row["opened_at"]),
            sms=None
            if not row["sms_status"]
            else SmsDeliveryPublic(
                status=row["sms_status"],
                delivered_at=_moment(row["sms_delivered_at"]),
                attempts=int(row["attempts"]),
            ),
        )


class NoticesPublic(Schema):
    """The applicant's notices, newest first, and how many they have not opened."""

    notices: list[NoticePublic]
    unread: int = Field(description="Notices of this applicant not opened yet (all pages).")
    next_cursor: str | None = Field(description=NEXT_CURSOR)
    limit: int = Field(description=LIMIT)


class OpenedPublic(Schema):
    notice_id: UUID
    opened_at: datetime = Field(
        description="The moment of receipt where the Rules count from it (§11); the first"
        " opening's, however often it is opened again."
    )
