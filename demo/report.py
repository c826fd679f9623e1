"""The summary `kezek demo` prints: counts, the head of every list, three case histories.

Names are masked and no IIN is ever printed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any
from uuid import UUID

from demo.district import PROVIDERS, Route
from demo.result import SHOWCASE, DemoResult
from demo.synthetic import mask_name
from domain.calendar import zone
from domain.housing_application import HousingApplication
from domain.priority import key_application, key_moment
from domain.reference import get_provider, list_kinds
from domain.values import Remedy, Status
from domain.waiting_list import WaitingList

Echo = Callable[[str], None]


def report(waiting_list: WaitingList, result: DemoResult, echo: Echo = print) -> None:
    rate = result.acts / result.seconds if result.seconds else 0.0
    echo(
        f"Walked {result.applications:,} applications in {result.seconds:.1f} s: "
        f"{result.acts:,} acts recorded ({rate:,.0f} a second)."
    )
    echo(
        f"Events: {result.application_events:,} of the applications, {result.store_events:,} "
        "in the store (with the lists' and the claims' events)."
    )
    echo("")
    echo("Paths walked:")
    for path in Route:
        if result.paths[path]:
            echo(f"  {result.paths[path]:>6,}  {path.value}")
    echo("")
    echo("Final status of the applications:")
    for status in Status:
        if result.statuses[status]:
            echo(f"  {result.statuses[status]:>6,}  {status.value}")
    echo("")
    decided = ", ".join(f"{r.value} {result.remedies[r]}" for r in Remedy)
    echo(
        f"Complaints: {result.complaints_filed} filed; {result.complaints_satisfied} satisfied "
        f"by the provider; decided with remedy {decided}."
    )
    echo(
        f"Housing: {result.offers} offers to the head of a list ({result.offers_below_norm} "
        f"below the area norm), {result.offers_declined} declined, "
        f"{result.housing_provided} provided."
    )
    echo("")
    echo("Waiting lists (head of each list; names masked):")
    for lines in list_heads(waiting_list):
        for line in lines:
            echo(line)
    order = list(SHOWCASE)
    shown = sorted(result.showcase.items(), key=lambda item: order.index(item[0]))
    for title, application_id in shown:
        echo("")
        for line in case_history(waiting_list, application_id, title):
            echo(line)


def list_heads(waiting_list: WaitingList, size: int = 5) -> Iterator[list[str]]:
    for provider, *_ in PROVIDERS:
        tz = get_provider(provider).tz
        for code in list_kinds():
            queue = waiting_list.queue(provider, code)
            if queue is None or not len(queue):
                continue
            lines = [f"  {provider} / {code}: {len(queue):,} on the list"]
            lines.append(f"    {'pos':>4}  {'name':<12} {'priority moment':<23} application")
            for position, key in enumerate(queue.keys[:size], start=1):
                app = waiting_list.application(key_application(key))
                name = mask_name(holder_name(app))
                moment = local_text(key_moment(key), tz)
                lines.append(f"    {position:>4}  {name:<12} {moment:<23} {app.id}")
            yield lines


def case_history(waiting_list: WaitingList, application_id: UUID, title: str) -> list[str]:
    app = waiting_list.application(application_id)
    where = f"{app.provider} / {app.form.list_code}"
    position = waiting_list.position(application_id)
    now = app.status.value + (f", number {position[0]} of {position[1]}" if position else "")
    lines = [
        f"Case history: {title}",
        f"  application {application_id} ({where}; holder {mask_name(holder_name(app))}); "
        f"now {now}",
        f"  {'v':>3}  {'event':<27} {'effective at (local)':<23} {'actor':<15} {'basis':<24} "
        "detail",
    ]
    for event in waiting_list.repository.event_store.get(application_id):
        item: Any = event
        lines.append(
            f"  {item.originator_version:>3}  {type(item).__name__:<27} "
            f"{local_text(item.effective_at, app.tz):<23} {item.actor.role.value:<15} "
            f"{item.basis:<24} {_detail(item, app.tz)}".rstrip()
        )
    return lines


def holder_name(app: HousingApplication) -> str:
    """Who holds the place now (the applicant, or a family member it passed to)."""
    if app.holder_iin == app.form.applicant_iin:
        return app.form.applicant_name
    for member in (*app.form.family, *app.family):
        if member.iin == app.holder_iin:
            return member.full_name
    return "?"


def local_text(moment: datetime, tz: str) -> str:
    return moment.astimezone(zone(tz)).isoformat(sep=" ", timespec="minutes")


def _detail(event: Any, tz: str) -> str:
    """A short, IIN-free note on what the event decided."""
    name = type(event).__name__
    if name == "Accepted":
        return f"term ends {event.consideration_due.due_on}"
    if name == "NotifiedIncomplete":
        kinds = ", ".join(m.document.value for m in event.missing if m.document is not None)
        return f"missing {kinds}; correct by {event.correction_due.due_on}"
    if name == "Corrected":
        return "complete from now: priority moment"
    if name == "Verified":
        failed = [c.check.value for c in event.checks if c.outcome.value == "failed"]
        return f"grounds found: {', '.join(failed)}" if event.grounds_found else "no grounds"
    if name == "HearingScheduled":
        return f"{event.ground.value}; hearing {local_text(event.notice.hearing_at, tz)}"
    if name == "HearingHeld":
        return str(event.outcome.value)
    if name == "Registered":
        return f"queue number {event.queue_number}"
    if name in {"Refused", "Deregistered"}:
        return str(event.ground.value)
    if name == "ComplaintFiled":
        return f"{event.complaint_id} with the {event.complaint.filed_with.value}"
    if name == "ComplaintForwarded":
        return f"{event.complaint_id} to the {event.to_body.value}, due {event.decision_due.due_on}"
    if name == "ComplaintSatisfied":
        return str(event.complaint_id)
    if name == "ComplaintDecided":
        text = f"{event.complaint_id} {event.outcome.value}, remedy {event.remedy.value}"
        if event.queue_number is not None:
            text += f", queue number {event.queue_number}"
        if event.priority_moment is not None:
            text += f", priority from {local_text(event.priority_moment, tz)}"
        return text
    if name == "DataUpdated":
        return str(event.update.reason)
    if name == "PlacePassedToFamilyMember":
        return f"cause {event.cause.value}"
    if name == "HousingOffered":
        home = event.dwelling
        norm = ", below the norm" if event.below_norm else ""
        rooms = f"{home.rooms} room{'s' if home.rooms > 1 else ''}"
        return f"{event.offer_id}: {rooms}, {home.useful_area_m2} m2{norm}"
    if name in {"OfferDeclined", "HousingProvided"}:
        return str(event.offer_id)
    return ""
