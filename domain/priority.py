"""The order of a list (Housing Relations Art. 74 para 1) as one sortable string per entry.

Order is by the moment the application with all required documents was filed (a corrected
application from the moment of its correction), in UTC to the microsecond. Ties are broken by
the application id (a random UUID, compared as 32 hex digits): deterministic, and it favours no
one. The last character records whether the applicant accepts housing below the norm (Appendix
1 item 12), which the list needs when it offers housing; it never decides the order because ids
are unique.
"""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def priority_key(moment: datetime, application_id: UUID, accepts_smaller: bool) -> str:
    stamp = moment.astimezone(UTC).strftime(_FORMAT)
    return f"{stamp}|{application_id.hex}|{'1' if accepts_smaller else '0'}"


def key_application(key: str) -> UUID:
    return UUID(hex=key.split("|")[1])


def key_moment(key: str) -> datetime:
    return datetime.strptime(key.split("|")[0], _FORMAT).replace(tzinfo=UTC)


def key_accepts_smaller(key: str) -> bool:
    return key.endswith("|1")
