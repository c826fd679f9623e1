"""`kezek serve`: the HTTP API under uvicorn (the tokens to call it: cli/tokens.py).

`kezek serve --demo` is what `make run` runs: it seeds an empty store with the demo district
(plus a few applications still in consideration, so that every state and running deadlines
are there to see), brings the views up to date, prints the docs URL and a token for each
role, then serves.
"""

from __future__ import annotations

import signal
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from types import FrameType
from typing import Any
from uuid import UUID

import uvicorn

from api.app import create_app
from api.auth import Principal
from api.pages.signin import HOME
from api.services import token_issuer
from cli.demo_witness import with_demo_witness
from cli.notify import run_notify, start_notifier, where_sms_go
from cli.tokens import DEMO_PROVIDER, DEMO_SUBJECTS
from config.settings import Settings, identity_key
from demo import run_demo
from demo.filing import file_own
from demo.moments import local_moment
from demo.synthetic import checks_for, make_form, missing_items, officer
from domain import acts
from domain.actors import PROVIDER_ROLES
from domain.acts.definition import ActDefinition
from domain.calendar import default_calendar, is_working_day, local_day
from domain.clock import ScenarioClock
from domain.reference import get_provider
from domain.values import Role, Status
from domain.waiting_list import WaitingList
from projections.database import ViewDatabase
from projections.position_history import PositionHistory
from projections.queue import QueueProjection
from projections.runner import CatchUpRunner
from replay.catalog import live_projections

Echo = Callable[[str], None]
STAFF = PROVIDER_ROLES
# Applications still in consideration, seeded after the walk: the stage each one reaches, and
# the acts that take it there.
IN_PROGRESS: dict[Status, tuple[ActDefinition, ...]] = {
    Status.SUBMITTED: (),
    Status.ACCEPTED: (acts.ACCEPT,),
    Status.INCOMPLETE: (acts.ACCEPT, acts.NOTIFY_INCOMPLETE),
    Status.COMPLETE: (acts.ACCEPT, acts.FIND_COMPLETE),
    Status.VERIFIED: (acts.ACCEPT, acts.FIND_COMPLETE, acts.VERIFY),
}
IN_PROGRESS_PER_STAGE = 6
STAFF_AND_APPLICANT = (Role.OFFICER, Role.APPLICANT)


def serve(settings: Settings, host: str, port: int, *, notify: bool = True) -> None:
    """Run the API under uvicorn until SIGTERM or Ctrl-C; both shut it down gracefully (the
    requests in hand answered, the projection runner stopped, the store closed), then exit 0.
    With `notify`, an SMS delivery worker runs beside it (cli/notify.py)."""

    def stopped(signum: int, _: FrameType | None) -> None:
        # uvicorn re-raises the signal it shut down on: here that means a clean exit.
        raise SystemExit(0)

    previous = {sig: signal.signal(sig, stopped) for sig in (signal.SIGTERM, signal.SIGINT)}
    notifier = start_notifier(settings) if notify else None
    try:
        uvicorn.run(create_app(settings), host=host, port=port, log_level="info")
    finally:
        if notifier is not None:
            notifier.set()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def warn_of_estimated_days_off(echo: Echo, today: date | None = None) -> None:
    """Tell the operator of a day off in the coming year that `holidays` only estimates and no
    calendar data confirms (Kurban Ait): terms across it rest on the estimate until it is
    confirmed in KEZEK_CALENDAR_FILE (`confirmed_feasts`, docs/domain.md)."""
    start = today or datetime.now(UTC).date()
    days = default_calendar().unconfirmed_estimates(start, start + timedelta(days=365))
    if days:
        echo(
            f"warning: whether {days[0]} to {days[-1]} hold a day off is only estimated (Kurban "
            "Ait): confirm the announced day in KEZEK_CALENDAR_FILE (confirmed_feasts)"
        )


# -- make run ---------------------------------------------------------------------------------


def serve_demo(
    settings: Settings, host: str, port: int, applications: int, echo: Echo, *, notify: bool = True
) -> None:
    key = identity_key(settings)
    waiting_list = WaitingList(env={"KEZEK_DATABASE_URL": settings.database_url}, identity_key=key)
    try:
        empty = not waiting_list.recorder.max_notification_id()
    finally:
        waiting_list.close()
    if empty:
        run_demo(
            database_url=settings.database_url,
            key=key,
            applications=applications,
            fresh=False,
            echo=echo,
        )
        # The seeded cases are a simulated history of the last weeks: its clock stands at
        # each act's moment (the service itself runs on the system clock).
        waiting_list = WaitingList(
            env={"KEZEK_DATABASE_URL": settings.database_url},
            identity_key=key,
            clock=ScenarioClock(),
        )
        try:
            seed_in_progress(waiting_list, datetime.now(UTC))
        finally:
            waiting_list.close()
    else:
        echo("The store already holds events: serving them as they are (no new demo data).")
    if notify:  # the seeded history's SMS, before the views catch up (then none is pending)
        run_notify(settings, follow=False, echo=echo)
    applicant = catch_up_and_pick(settings)
    settings, witnessed = with_demo_witness(settings)
    echo("")
    for line in welcome(settings, host, port, applicant) + witnessed:
        echo(line)
    echo(where_sms_go(settings) if notify else "SMS notices are not delivered (--no-notify)")
    serve(settings, host, port, notify=notify)


def seed_in_progress(waiting_list: WaitingList, now: datetime) -> int:
    """File a few applications with the demo provider over the last weeks and take each to a
    stage of consideration, leaving their terms running (the older ones overdue)."""
    tz = get_provider(DEMO_PROVIDER).tz
    day, filed = local_day(now, tz), 0
    staff = officer(DEMO_PROVIDER, 1)
    stages = list(IN_PROGRESS)
    days = []
    for _ in range(IN_PROGRESS_PER_STAGE * len(stages)):
        day -= timedelta(days=1)
        while not is_working_day(day):
            day -= timedelta(days=1)
        days.append(day)
    # Oldest first: the ledger's clock moves forward, as the days did.
    for n, day in reversed(list(enumerate(days))):
        stage = stages[n % len(stages)]
        if stage is Status.INCOMPLETE:  # a category that needs a document, sent without it
            form = make_form(
                900_000 + n, list_code="state_employees", category_code="military"
            ).model_copy(update={"documents": ()})
        else:
            form = make_form(900_000 + n)
        at = local_moment(day, 10 * 60, tz)
        app_id = file_own(waiting_list, form, DEMO_PROVIDER, at).application_id
        filed += 1
        fields: dict[str, Any] = {
            "missing": missing_items(form),
            "checks": checks_for(form, DEMO_PROVIDER),
        }
        for hours, act in enumerate(IN_PROGRESS[stage], start=1):
            wanted = {k: v for k, v in fields.items() if k in act.request.model_fields}
            later = at + timedelta(hours=hours)
            waiting_list.perform(act, app_id, actor=staff, effective_at=later, **wanted)
    return filed


def catch_up_and_pick(settings: Settings) -> UUID | None:
    """Bring every view up to date (so that the service starts with no lag), and pick an
    application on a list of the demo provider for the applicant's token: one whose place was
    restored on a complaint if there is one, else the tenth of the longest list."""
    waiting_list = WaitingList(env={"KEZEK_DATABASE_URL": settings.database_url})
    database = ViewDatabase(settings.database_url)
    try:
        runner = CatchUpRunner(waiting_list, live_projections(database), database)
        runner.setup()
        runner.catch_up()
        queue = next(p for p in runner.projections if isinstance(p, QueueProjection))
        history = next(p for p in runner.projections if isinstance(p, PositionHistory))
        with database.transaction(write=False) as tx:
            rows = tx.fetchall(
                f"SELECT application_id FROM {history.changes} WHERE provider = ?"  # noqa: S608
                " AND cause = ? AND kind = ? ORDER BY seq",
                (DEMO_PROVIDER, "ComplaintDecided:restore_place", "joined"),
            )
            candidates = [UUID(row[0]) for row in rows]
            lists = ("socially_vulnerable", "state_employees", "large_families")
            for list_code in lists:
                candidates += [
                    e.application_id
                    for e in queue.public_page(tx, DEMO_PROVIDER, list_code, 1, 10)[-1:]
                ]
        return next((c for c in candidates if queue.position(c) is not None), None)
    finally:
        database.close()
        waiting_list.close()


def welcome(settings: Settings, host: str, port: int, applicant: UUID | None) -> list[str]:
    """What `make run` prints before serving: where the docs are, and a token for each role."""
    tokens = token_issuer(settings)
    base = f"http://{'127.0.0.1' if host in {'0.0.0.0', '::'} else host}:{port}"  # noqa: S104
    # The default lifetime, which the applicant's and the portal's maximum (12 h) may cap.
    staff, own = (tokens.lifetime(role) / timedelta(hours=1) for role in STAFF_AND_APPLICANT)
    hours = (
        f"{staff:g} h"
        if staff == own
        else f"{staff:g} h, the applicant's and the portal's {own:g} h"
    )
    lines = [
        f"Kezek serves {settings.database_url} at {base}",
        f"  Interactive docs: {base}/docs   (Authorize: paste a token below)",
        f"  Public, no token: {base}/v1/queues/{DEMO_PROVIDER}/socially_vulnerable?page=1&size=20",
        f"Pages for people: {base}/  (a list: {base}/queues/{DEMO_PROVIDER}/socially_vulnerable)",
        f"  Sign in at {base}/signin: staff and others paste their token below; an applicant"
        " gives the IIN and the code the SMS gateway (or its local sink) receives",
        f"  Verify a court export: {base}/verify",
        f"Tokens (valid {hours}; `kezek token --help` makes others, `kezek token revoke` ends"
        " one):",
    ]
    app_token = ""
    if applicant is not None:
        app_token = tokens.issue(principal_for_application(settings, applicant))
        lines += [
            f"  applicant of application {applicant} (then {base}/me):",
            f"    {app_token}",
            # The demo's people are made up: their IIN may be shown, so the sign-in by SMS
            # code can be tried; a real applicant's never is (docs/security.md).
            f"    (a made-up person: or sign in at {base}/signin with the IIN"
            f" {demo_iin(settings, applicant)} and the code in the SMS sink)",
        ]
    for role, subject in DEMO_SUBJECTS.items():
        provider = DEMO_PROVIDER if role in STAFF else None
        token = tokens.issue(Principal(subject=subject, role=role, provider=provider))
        where = f" of {provider}" if provider else ""
        page = f" (then {base}{HOME[role]})" if role in HOME else ""
        lines += [f"  {role.value}{where} ({subject}){page}:", f"    {token}"]
    if applicant is not None:
        lines += [
            "A first request, as that applicant (their place on the list, then how it changed):",
            f"  curl -H 'Authorization: Bearer {app_token}' \\",
            f"    {base}/v1/applications/{applicant}/position",
            f"  (and .../{applicant}/history, .../audit; their notices: {base}/v1/me/notices)",
        ]
    return lines


def demo_iin(settings: Settings, application_id: UUID) -> str:
    """The demo applicant's made-up IIN, for trying the sign-in page."""
    waiting_list = WaitingList(env={"KEZEK_DATABASE_URL": settings.database_url})
    try:
        return waiting_list.application(application_id).holder_iin
    finally:
        waiting_list.close()


def principal_for_application(settings: Settings, application_id: UUID) -> Principal:
    """The applicant of an application, by the keyed reference stored in it."""
    waiting_list = WaitingList(env={"KEZEK_DATABASE_URL": settings.database_url})
    try:
        ref = waiting_list.application(application_id).applicant_ref
    finally:
        waiting_list.close()
    return Principal(subject=ref, role=Role.APPLICANT)
