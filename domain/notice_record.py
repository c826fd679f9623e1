"""What became of a notice after its act: delivered or not on each channel, opened or not.

One aggregate per notice (id: domain.notices.notice_id), started by the first thing that
happens to it, so the act's own transaction writes only its outbox rows. Its events are the
record a court reads: when the SMS gateway took the message (or gave up after how many
attempts) and when the applicant opened the notice in the personal account, the moment of
receipt where the Rules count a term from it (§11; docs/notices.md).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.clock import Stamped
from domain.values import Channel


class NoticeRecord(Aggregate):
    class Started(Stamped, Aggregate.Created):
        application_id: UUID | None
        act_version: int | None
        subject: str

    def __init__(self, application_id: UUID | None, act_version: int | None, subject: str):
        self.application_id = application_id
        self.act_version = act_version
        self.subject = subject
        self.delivered: dict[Channel, datetime] = {}
        self.failed: dict[Channel, int] = {}
        self.opened_at: datetime | None = None

    @classmethod
    def start(
        cls, notice: UUID, application_id: UUID | None, act_version: int | None, subject: str
    ) -> NoticeRecord:
        return cls._create(
            cls.Started,
            id=notice,
            application_id=application_id,
            act_version=act_version,
            subject=subject,
        )

    class Delivered(Stamped, Aggregate.Event):
        """The channel took the notice: the gateway answered 2xx (after `attempts` tries)."""

        channel: Channel
        attempts: int

        def apply(self, aggregate: Any) -> None:
            aggregate.delivered[self.channel] = self.timestamp

    class NotDelivered(Stamped, Aggregate.Event):
        """The channel refused the notice, or every retry failed: staff see it not delivered."""

        channel: Channel
        attempts: int
        reason: str

        def apply(self, aggregate: Any) -> None:
            aggregate.failed[self.channel] = self.attempts

    class Opened(Stamped, Aggregate.Event):
        """The applicant opened the notice in the personal account."""

        def apply(self, aggregate: Any) -> None:
            aggregate.opened_at = self.timestamp

    def deliver(self, channel: Channel, attempts: int) -> bool:
        if channel in self.delivered or channel in self.failed:
            return False
        self.trigger_event(self.Delivered, channel=channel, attempts=attempts)
        return True

    def fail(self, channel: Channel, attempts: int, reason: str) -> bool:
        if channel in self.delivered or channel in self.failed:
            return False
        self.trigger_event(self.NotDelivered, channel=channel, attempts=attempts, reason=reason)
        return True

    def open(self) -> bool:
        if self.opened_at is not None:
            return False
        self.trigger_event(self.Opened)
        return True
