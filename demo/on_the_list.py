"""Life on the list: data updates (Appendix 3), withdrawal, deregistration and succession
(Art. 73)."""

from __future__ import annotations

import random
from datetime import timedelta

from demo.after_sms import delivered_prompt
from demo.moments import portal_moment
from demo.script import Script
from demo.synthetic import Sex, appendix_3, document, head, person_name
from domain import acts
from domain.calendar import add_working_days, end_of_day, local_day, start_of_day
from domain.forms import FamilyMember
from domain.iin import parse_iin
from domain.values import DeregistrationGround, DocumentKind, Relation, SuccessionCause

DEREGISTRATION_REASONS = {
    DeregistrationGround.GROUNDS_CEASED: "the family acquired a dwelling by purchase",
    DeregistrationGround.MOVED_AWAY: "permanent registration moved to another locality",
    DeregistrationGround.STATE_EMPLOYMENT_ENDED: "the employment in the state body ended",
    DeregistrationGround.FALSE_INFORMATION: "the state real estate register shows a flat owned",
    DeregistrationGround.DEATH: "death of the registered citizen, no family members remain",
}


# Of the contact updates, the share prompted by an SMS (§11: its term counts from the SMS).
AFTER_SMS_SHARE = 0.5


def update_data(s: Script, *, contacts_only: bool = False) -> None:
    """Appendix 3 within 15 working days of the grounds arising (§11, Std 8)."""
    case, rng = s.case, s.rng
    grounds_on = s.later_day(7, 240, room=30)
    latest = end_of_day(add_working_days(grounds_on, 15), s.tz)
    at = portal_moment(rng, max(s.t, start_of_day(grounds_on, s.tz)), latest)
    holder = case.holder_iin
    spouse = any(m.relation is Relation.SPOUSE for m in case.family)
    kind = "contacts" if contacts_only else rng.choice(("child", "child", "contacts", "spouse"))
    if kind == "spouse" and spouse:
        kind = "child"
    phone = f"+7707{rng.randrange(10**7):07d}"
    if kind == "contacts":
        update = appendix_3(
            applicant_iin=holder,
            reason="change of the contact phone number",
            grounds_arose_on=grounds_on,
            documents=(document(DocumentKind.OTHER, f"contacts {grounds_on}"),),
            phone=phone,
        )
    else:
        sex: Sex
        if kind == "child":
            sex = "male" if rng.random() < 0.5 else "female"
            relation, born = Relation.CHILD, grounds_on
            reason, title = "birth of a child", "birth certificate"
        else:
            sex = "male" if parse_iin(holder).sex == "female" else "female"
            relation = Relation.SPOUSE
            born = parse_iin(holder).birth_date + timedelta(days=rng.randint(-900, 900))
            reason, title = "marriage", "marriage certificate"
        member = FamilyMember(
            iin=s.setting.iins.issue(born, sex),
            full_name=person_name(rng, sex),
            relation=relation,
        )
        case.family.append(member)
        update = appendix_3(
            applicant_iin=holder,
            family_member_iin=member.iin,
            reason=reason,
            grounds_arose_on=grounds_on,
            documents=(document(DocumentKind.OTHER, f"{title} {grounds_on}"),),
            family=tuple(case.family),
        )
    prompted = random.Random(f"after an SMS {case.serial}").random() < AFTER_SMS_SHARE
    if prompted and kind == "contacts":

        def after_sms() -> dict[str, object]:
            notice = delivered_prompt(s.wl, case.id)  # filed by now: late fields run last
            return {} if notice is None else {"after_notice": notice}

        s.add(at, acts.UPDATE_DATA, s.applicant(), update=update, late=after_sms)
        return
    s.add(at, acts.UPDATE_DATA, s.applicant(), update=update)


# Appendix 3 during consideration: a change of category within the list, where another
# category asks for the same documents (Std 8), walked by the socially vulnerable.
CATEGORY_CHANGE = {
    "single_parent_families": "large_families_low_income",
    "large_families_low_income": "single_parent_families",
}


def update_in_consideration(s: Script) -> None:
    """Appendix 3 while the application is considered (§11): the contact phone changed, and
    for the socially vulnerable the category too; on grounds arisen that day. Its own random
    draws leave the walk's other draws as they were."""
    case = s.case
    rng = random.Random(f"appendix 3 in consideration {case.serial}")
    latest = min(s.t + timedelta(hours=2), end_of_day(s.today, s.tz))
    at = portal_moment(rng, s.t, latest)
    category = case.form.category_code
    change = CATEGORY_CHANGE.get(category, "single_parent_families")
    if case.form.list_code != "socially_vulnerable":
        change = category
    update = appendix_3(
        applicant_iin=case.holder_iin,
        reason="the phone number changed"
        + (", and so did our category" if change != category else ""),
        grounds_arose_on=local_day(at, s.tz),
        documents=(document(DocumentKind.OTHER, f"consideration {case.serial}"),),
        phone=f"+7707{rng.randrange(10**7):07d}",
        category_code=None if change == category else change,
    )
    s.add(at, acts.UPDATE_DATA, s.applicant(), update=update)


def withdraw(s: Script, *, days: tuple[int, int], reasons: str) -> None:
    day = s.later_day(*days)
    at = portal_moment(s.rng, max(s.t, start_of_day(day, s.tz)), end_of_day(day, s.tz))
    s.add(at, acts.WITHDRAW, s.applicant(), reasons=reasons)


def deregister(s: Script, ground: DeregistrationGround | None = None, *, room: int = 10) -> None:
    case = s.case
    if ground is None:
        grounds = [
            DeregistrationGround.GROUNDS_CEASED,
            DeregistrationGround.MOVED_AWAY,
            DeregistrationGround.FALSE_INFORMATION,
        ]
        if case.form.list_code == "state_employees":
            grounds += [DeregistrationGround.STATE_EMPLOYMENT_ENDED] * 3
        if not case.family:
            grounds.append(DeregistrationGround.DEATH)
        ground = s.rng.choice(grounds)
    at = s.office(s.later_day(20, 360, room))
    reasons = f"{DEREGISTRATION_REASONS[ground]} (Art. 73)"
    s.add(at, acts.DEREGISTER, head(case.provider), ground=ground, reasons=reasons)


def pass_place(s: Script) -> None:
    """Art. 73: the registered citizen died or moved away; the spouse takes the place."""
    case = s.case
    successor = next(m for m in case.family if m.relation is Relation.SPOUSE)
    cause = s.rng.choice((SuccessionCause.DEATH, SuccessionCause.DEATH, SuccessionCause.MOVED_AWAY))
    at = s.office(s.later_day(30, 360))
    what = "death" if cause is SuccessionCause.DEATH else "permanent move"
    reasons = f"{what} of the registered citizen; the place passes to the spouse (Art. 73)"
    s.add(
        at,
        acts.PASS_PLACE,
        head(case.provider),
        cause=cause,
        successor_iin=successor.iin,
        reasons=reasons,
    )
    case.family = [m for m in case.family if m.iin != successor.iin]
    case.holder_iin = successor.iin  # from here on the successor acts as the applicant
