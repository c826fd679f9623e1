"""`kezek demo`: a small synthetic district walked through every path, on a real SQLite store.

One walk (120 applications, about a second) is shared by the module's tests; the CLI test runs
its own tiny one through Typer.
"""

from __future__ import annotations

import re
import stat
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from typer.testing import CliRunner

from cli.main import app as cli
from config.settings import MissingIdentityKey, Settings, identity_key
from demo import run_demo
from demo.district import PROVIDERS, Route
from demo.entry import fresh_start
from demo.result import DemoResult
from demo.synthetic import mask_name
from domain.calendar import is_working_day, local_day
from domain.claims import IdentityKey
from domain.clock import ScenarioClock
from domain.housing_application import HousingApplication
from domain.queue_list import QueueList
from domain.reference import list_kinds
from domain.values import CLOSED, ON_THE_LIST, Remedy, Role, Status
from domain.waiting_list import WaitingList
from tests.keys import IDENTITY_KEY_HEX

N = 120
KEY = IdentityKey(bytes.fromhex(IDENTITY_KEY_HEX))
# Where no walked case may stop: every stage but the closed ones and the list itself.
TRANSIENT = set(Status) - CLOSED - {Status.REGISTERED}
UUID_TEXT = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class Walked:
    def __init__(self, result: DemoResult, output: str, url: str) -> None:
        self.result = result
        self.output = output
        self.url = url


@pytest.fixture(scope="module")
def walked(tmp_path_factory: pytest.TempPathFactory) -> Walked:
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'kezek.db'}"
    lines: list[str] = []
    result = run_demo(database_url=url, key=KEY, applications=N, seed=2, echo=lines.append)
    # Seed 2: the lists that empty fill again (below), with every path walked.
    return Walked(result, "\n".join(lines), url)


@pytest.fixture
def ledger(walked: Walked) -> Iterator[WaitingList]:
    """The demo's store, opened again: what it wrote must read back."""
    waiting_list = WaitingList(
        clock=ScenarioClock(), env={"KEZEK_DATABASE_URL": walked.url}, identity_key=KEY
    )
    try:
        yield waiting_list
    finally:
        waiting_list.close()


def applications(ledger: WaitingList, walked: Walked) -> list[HousingApplication]:
    return [ledger.application(i) for i in walked.result.application_ids]


def test_every_final_status_appears_and_nothing_is_left_half_done(walked: Walked) -> None:
    statuses = walked.result.statuses
    assert sum(statuses.values()) == N
    assert set(Status) - TRANSIENT <= set(statuses)
    assert not set(statuses) & TRANSIENT
    # Most applicants end up on a list.
    assert statuses[Status.REGISTERED] > N / 2


def test_every_path_is_walked(walked: Walked) -> None:
    assert set(walked.result.paths) == set(Route)


def test_stored_statuses_match_the_summary(walked: Walked, ledger: WaitingList) -> None:
    stored: dict[Status, int] = {}
    for app in applications(ledger, walked):
        stored[app.status] = stored.get(app.status, 0) + 1
    assert stored == dict(walked.result.statuses)


def test_complaints_are_decided_with_each_remedy(walked: Walked, ledger: WaitingList) -> None:
    remedies: set[Remedy] = set()
    satisfied = forwarded = 0
    for application_id in walked.result.application_ids:
        for event in ledger.repository.event_store.get(application_id):
            name = type(event).__name__
            if name == "ComplaintDecided":
                remedies.add(getattr(event, "remedy"))  # noqa: B009
            satisfied += name == "ComplaintSatisfied"
            forwarded += name == "ComplaintForwarded"
    assert remedies == set(Remedy)
    assert satisfied >= 1
    assert forwarded >= 2


def test_the_walk_records_a_late_hearing_notice_a_late_hearing_and_a_late_forward(
    walked: Walked, ledger: WaitingList
) -> None:
    """§13, §14: acts the law still requires after their term are walked, with why late."""
    late: set[str] = set()
    for application_id in walked.result.application_ids:
        for event in ledger.repository.event_store.get(application_id):
            if getattr(event, "late_because", ""):
                late.add(type(event).__name__)
    assert late == {"HearingScheduled", "HearingHeld", "ComplaintForwarded"}


def test_the_walk_reopens_a_refusal_and_records_a_courts_decision(
    walked: Walked, ledger: WaitingList
) -> None:
    """§14, §15: a remedy reopens a refusal, and a court's decision restores a place."""
    seen: set[tuple[str, str]] = set()
    for application_id in walked.result.application_ids:
        for event in ledger.repository.event_store.get(application_id):
            remedy = getattr(event, "remedy", None)
            if remedy is not None:
                seen.add((type(event).__name__, remedy.value))
    assert {("ComplaintDecided", "reopen"), ("CourtDecided", "restore_place")} <= seen


def test_the_walk_updates_data_in_consideration_and_changes_a_category_appendix_3(
    walked: Walked, ledger: WaitingList
) -> None:
    """Appendix 3, §11: a data update during consideration, one of them changing the category
    within the list (the documents Std 8 requires recomputed)."""
    stages: set[bool] = set()
    recomputed = 0
    for application_id in walked.result.application_ids:
        registered = False
        for event in ledger.repository.event_store.get(application_id):
            registered |= isinstance(event, HousingApplication.Registered)
            if isinstance(event, HousingApplication.DataUpdated):
                stages.add(registered)
                recomputed += event.update.category_code is not None and bool(event.recomputed)
    assert stages == {False, True}
    assert recomputed >= 1


def test_the_walk_updates_data_after_an_sms_counting_the_term_from_its_delivery_s11(
    walked: Walked, ledger: WaitingList
) -> None:
    """§11, Std 8: 15 working days "from ... receipt of an sms - notification": some of the
    walk's updates name the SMS that prompted them, and their term counts from its delivery."""
    counted = [
        event
        for application_id in walked.result.application_ids
        for event in ledger.repository.event_store.get(application_id)
        if isinstance(event, HousingApplication.DataUpdated)
        and event.term_counted_from == "sms_delivered"
    ]
    assert counted
    assert all(event.after_notice is not None for event in counted)


def test_the_walk_files_income_of_the_last_year_and_item_7_appendix_1(
    walked: Walked, ledger: WaitingList
) -> None:
    """Appendix 1 items 4 and 7: filings with income state the twelve months before them;
    those naming persons in item 7 say what is underlined."""
    forms = [app.form for app in applications(ledger, walked)]
    with_income = [f for f in forms if f.income]
    assert with_income
    assert all(f.income_period is not None for f in with_income)
    item_7 = [f for f in forms if f.disability_elderly_or_serious_disease]
    assert item_7
    assert all(len(f.serious_conditions) == 1 for f in item_7)


def test_the_walk_refuses_offers_with_and_without_a_valid_reason_art_73_75(
    walked: Walked, ledger: WaitingList
) -> None:
    """Art. 73-75: a refusal without a valid reason counts; one with a valid reason (and its
    document) does not."""
    seen: set[tuple[str, bool]] = set()
    for application_id in walked.result.application_ids:
        for event in ledger.repository.event_store.get(application_id):
            if isinstance(event, HousingApplication.OfferDeclined) and event.reason is not None:
                seen.add((event.reason.value, event.unjustified))
    assert {("no_valid_reason", True), ("health", False)} <= seen
    taken_off = [app for app in applications(ledger, walked) if app.status is Status.DEREGISTERED]
    assert any(app.unjustified_refusals == 2 for app in taken_off)


def test_queue_positions_are_one_to_n_on_every_list(walked: Walked, ledger: WaitingList) -> None:
    on_lists: dict[tuple[str, str], set[UUID]] = {}
    for app in applications(ledger, walked):
        if app.status in ON_THE_LIST:
            on_lists.setdefault((app.provider, app.form.list_code), set()).add(app.id)
    seen = 0
    for provider, *_ in PROVIDERS:
        for code in list_kinds():
            queue = ledger.queue(provider, code)
            expected = on_lists.get((provider, code), set())
            if queue is None:
                assert not expected
                continue
            assert queue.keys == sorted(set(queue.keys))
            ids = [UUID(hex=k.split("|")[1]) for k in queue.keys]
            assert set(ids) == expected
            for position, application_id in enumerate(ids, start=1):
                assert ledger.position(application_id) == (position, len(queue))
            seen += len(queue)
    assert seen == sum(len(v) for v in on_lists.values()) > 0


def joined_again_after_emptying(ledger: WaitingList) -> int:
    """How many times a list that had become empty was joined again."""
    rejoined = 0
    for provider, *_ in PROVIDERS:
        for code in list_kinds():
            length, emptied = 0, False
            for event in ledger.repository.event_store.get(QueueList.id_for(provider, code)):
                if isinstance(event, QueueList.Joined):
                    rejoined += emptied
                    length, emptied = length + 1, False
                elif isinstance(event, QueueList.Left):
                    length -= 1
                    emptied = length == 0
    return rejoined


def test_lists_that_became_empty_are_joined_again(ledger: WaitingList) -> None:
    # Nothing keeps a list from emptying any more (the domain once could not reopen an emptied
    # list, and the demo worked around it): leaving and housing empty small lists, and later
    # registrations join them again, with positions 1..n as above.
    assert joined_again_after_emptying(ledger) >= 1


# Small districts of other seeds: in 1 lists empty and fill again twice; in 33 a flat below the
# norm of the family it was meant for goes to a citizen ahead of them who refused smaller
# housing, since it is within that citizen's own norm. An act the domain refuses would raise
# DemoBrokeARule.
@pytest.mark.parametrize("seed", [1, 33])
def test_the_walk_never_breaks_a_rule(tmp_path: Path, seed: int) -> None:
    url = f"sqlite:///{tmp_path / 'rules.db'}"
    result = run_demo(database_url=url, key=KEY, applications=40, seed=seed, echo=lambda _: None)
    assert sum(result.statuses.values()) == 40
    assert not set(result.statuses) & TRANSIENT
    assert result.housing_provided > 0


def test_acts_are_chronological_dated_in_the_past_and_staff_work_on_working_days(
    walked: Walked, ledger: WaitingList
) -> None:
    now = datetime.now(UTC)
    for app in applications(ledger, walked):
        previous: datetime | None = None
        for event in ledger.repository.event_store.get(app.id):
            item: Any = event
            at: datetime = item.effective_at
            assert at.tzinfo is not None
            assert at < now
            assert at.year in {2024, 2025}
            if previous is not None:
                assert at >= previous
            previous = at
            if item.actor.role in {Role.OFFICER, Role.HEAD}:
                assert is_working_day(local_day(at, app.tz)), (type(item).__name__, at)


def test_the_output_shows_no_iin_and_no_full_name(walked: Walked, ledger: WaitingList) -> None:
    output = walked.output
    assert walked.result.iins
    assert not [iin for iin in walked.result.iins if iin in output]
    # Nor anything shaped like an IIN (application ids aside).
    assert not re.search(r"(?<!\d)\d{12}(?!\d)", UUID_TEXT.sub("", output))
    for app in applications(ledger, walked):
        assert app.form.applicant_name not in output
        assert all(m.full_name not in output for m in app.form.family)


def test_the_output_summarises_the_walk(walked: Walked) -> None:
    output = walked.output
    assert f"Walked {N} applications" in output
    assert "Final status of the applications:" in output
    assert "socially_vulnerable:" in output
    assert "Case history: deregistered, restored on a complaint" in output
    assert "Case history: incomplete, corrected, priority corrected on a complaint" in output
    assert "HousingProvided" in output
    assert re.search(r"^\s+1\s+[A-Z]\*\*\* [A-Z]\*\*\*\s+20\d\d-", output, re.MULTILINE)


def test_mask_name_keeps_initials_only() -> None:
    assert mask_name("Aigerim Omarova") == "A*** O***"
    assert mask_name("Applicant 12") == "A*** 12"


def test_fresh_start_removes_only_a_sqlite_file(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    db.write_bytes(b"x")
    (tmp_path / "demo.db-wal").write_bytes(b"x")
    assert set(fresh_start(f"sqlite:///{db}")) == {db, tmp_path / "demo.db-wal"}
    assert not db.exists()
    assert fresh_start("postgresql://postgres@127.0.0.1:5432/postgres?schema=x") == []


def test_cli_runs_the_demo_subcommand(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    args = ["demo", "--applications", "15", "--database-url", f"sqlite:///{tmp_path / 'c.db'}"]
    env = {"KEZEK_IDENTITY_KEY": IDENTITY_KEY_HEX}
    first = runner.invoke(cli, args, env=env)
    assert first.exit_code == 0, first.output
    assert "Walked 15 applications" in first.output
    again = runner.invoke(cli, [*args, "--seed", "3"], env=env)
    assert again.exit_code == 0, again.output
    assert "Removed the earlier demo file" in again.output
    assert not (tmp_path / "var").exists()  # the key came from the environment


def test_identity_key_is_generated_once_for_sqlite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("KEZEK_IDENTITY_KEY", raising=False)
    key_file = tmp_path / "var" / "identity.key"
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'k.db'}", identity_key_file=key_file)
    first = identity_key(settings)
    assert "generated a new identity key" in capsys.readouterr().err
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(key_file.read_bytes()) == 32
    again = identity_key(settings)
    assert capsys.readouterr().err == ""
    assert again.applicant_ref("900101300017") == first.applicant_ref("900101300017")


def test_identity_key_comes_from_the_environment_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KEZEK_IDENTITY_KEY", IDENTITY_KEY_HEX)
    settings = Settings(identity_key_file=tmp_path / "absent.key")
    assert identity_key(settings).applicant_ref("900101300017") == KEY.applicant_ref("900101300017")
    assert not (tmp_path / "absent.key").exists()


def test_postgres_without_a_key_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KEZEK_IDENTITY_KEY", raising=False)
    settings = Settings(
        database_url="postgresql://kezek@db.example:5432/kezek",
        identity_key_file=tmp_path / "identity.key",
    )
    with pytest.raises(MissingIdentityKey, match="KEZEK_IDENTITY_KEY"):
        identity_key(settings)
    assert not (tmp_path / "identity.key").exists()
