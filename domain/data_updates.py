"""The Appendix 3 data update (§11, Std 8, Appendix 1 items 2-3): when it may be made, whom it
may name, and what a change of category or family recomputes.

The applicant updates their data "from the moment the grounds appear", during consideration as
on the list (Appendix 3 speaks of the data "submitted earlier with an application"): from
acceptance to the decision, and while registered. The grounds have arisen by the day of the
update. A category changes within the application's list (another list is another application,
with its own priority: Art. 74 para 2); a change of category or family recomputes the documents
Std 8 requires, and the update brings those the change adds (docs/domain.md).

Its 15 working days count "from the date of the appearance of grounds or receipt of an sms -
notification" (§11, Std 8): from the grounds, unless the update names the SMS notice that
prompted it; then from the local day the ledger recorded that SMS as delivered, a fact the
server finds itself (`NoticeDelivery`), never one the caller states."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from domain.calendar import local_day
from domain.errors import (
    CategoryNotOfTheList,
    DataUpdateWhileNotRegistered,
    GroundsNotYetArisen,
    NoticeNotDeliveredBySms,
    UnknownFamilyMember,
    UpdateWithoutDocuments,
)
from domain.forms import DataUpdateForm, FamilyMember, required_documents
from domain.reference import UnknownReference, get_list_kind
from domain.values import (
    ON_THE_LIST,
    UNDER_CONSIDERATION,
    DocumentKind,
    HousingCondition,
    Status,
)

UPDATABLE = UNDER_CONSIDERATION | ON_THE_LIST
FROM_GROUNDS = "grounds"  # the term's start, as the event records it
FROM_SMS = "sms_delivered"


@dataclass(frozen=True)
class NoticeDelivery:
    """What the ledger holds of the notice an update names: the application it was about and
    when its SMS was recorded as delivered (None: not sent by SMS, pending, or failed)."""

    notice: UUID
    application_id: UUID | None
    sms_delivered_at: datetime | None


def term_start(
    application_id: UUID, grounds_arose_on: date, after: NoticeDelivery | None, tz: str
) -> tuple[date, str]:
    """The day the 15 working days count from, and which start it is (§11, Std 8)."""
    if after is None:
        return grounds_arose_on, FROM_GROUNDS
    if after.application_id != application_id:
        raise NoticeNotDeliveredBySms(f"notice {after.notice} is not one of this application")
    if after.sms_delivered_at is None:
        raise NoticeNotDeliveredBySms(
            f"notice {after.notice} has no SMS recorded as delivered to the applicant"
        )
    return local_day(after.sms_delivered_at, tz), FROM_SMS


def require_updatable(status: Status, grounds_arose_on: date, today: date) -> None:
    """The update comes during consideration or on the list, on grounds arisen by `today`
    (the provider's local day of the update, which is recorded when it is made)."""
    if status not in UPDATABLE:
        raise DataUpdateWhileNotRegistered(f"the application is {status.said}")
    if grounds_arose_on > today:
        raise GroundsNotYetArisen(
            f"the grounds are said to arise on {grounds_arose_on}, after the update ({today})"
        )


def require_household(
    holder_iin: str, family: Sequence[FamilyMember], update: DataUpdateForm
) -> None:
    if update.applicant_iin != holder_iin:
        raise UnknownFamilyMember("the form names another applicant")
    household = {holder_iin, *(m.iin for m in family)}
    if update.family is not None:
        members = [m.iin for m in update.family]
        if holder_iin in members or len(members) != len(set(members)):
            raise UnknownFamilyMember(
                "the family names the applicant, or a member twice (Appendix 1 item 3)"
            )
        household |= set(members)
    if update.family_member_iin is not None and update.family_member_iin not in household:
        raise UnknownFamilyMember("the family member named is not in the family")


@dataclass(frozen=True)
class Standing:
    """What the application holds that a data update may change, and its package."""

    list_code: str
    category_code: str
    conditions: tuple[HousingCondition, ...]
    family: tuple[FamilyMember, ...]
    documents: frozenset[DocumentKind]


@dataclass(frozen=True)
class Recomputation:
    """What a change of category or family made of the application: the documents Std 8 now
    requires, and the reasons in words (the event, the receipt and the history show them)."""

    required_documents: tuple[DocumentKind, ...]
    reasons: str


def recompute(before: Standing, update: DataUpdateForm) -> Recomputation | None:
    """None when the update changes neither the category nor the family."""
    category = update.category_code
    changes_category = category is not None and category != before.category_code
    if not changes_category and update.family is None:
        return None
    kind = get_list_kind(before.list_code)
    if category is not None:
        try:
            kind.category(category)
        except UnknownReference:
            raise CategoryNotOfTheList(
                f"the list '{kind.code}' has no category '{category[:64]}'"
            ) from None
    now_category = category or before.category_code
    family = before.family if update.family is None else update.family
    was = required_documents(kind.code, before.category_code, before.conditions, before.family)
    now = required_documents(kind.code, now_category, before.conditions, family)
    brought = before.documents | {d.kind for d in update.documents}
    lacking = sorted(k.value for k in now - was - brought)
    if lacking:
        raise UpdateWithoutDocuments(f"the change requires: {', '.join(lacking)}")
    reasons = [f"list {kind.code} unchanged"]
    if changes_category:
        reasons.append(f"category {before.category_code} -> {now_category}")
    if update.family is not None:
        reasons.append(f"family {1 + len(before.family)} -> {1 + len(family)} persons")
    listed = ", ".join(sorted(k.value for k in now)) or "none"
    reasons.append(f"documents Std 8 requires now: {listed}")
    return Recomputation(tuple(sorted(now, key=lambda k: k.value)), "; ".join(reasons))
