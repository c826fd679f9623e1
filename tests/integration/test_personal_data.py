"""Personal data by role (docs/security.md), on both stores: a bundle made for an auditor or a
complaint body carries no IIN and no full name in any of its files and still verifies with the
operator's key; a court's carries the case whole; a forger is still caught; a log begun before
format 2 keeps its leaves, and its events that hold personal data are withheld, not cut."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cli.main import app as cli
from domain.claims import IdentityKey
from domain.records import Dwelling
from domain.values import Role
from projections.database import ViewDatabase
from projections.rebuild import rebuild
from projections.runner import TRACKING, create_tracking_table
from replay import leaf_formats
from replay.bundle import MANIFEST, event_file, read_zip, sha256_hex
from replay.canonical import canonical_json
from replay.catalog import LedgerViews
from replay.checkpoints import OperatorKey, load_signing_key, sign_checkpoint
from replay.export import export_application
from replay.leaf_formats import LeafFormats
from replay.redaction import initials
from replay.sealing import FORMAT_KEY, SEALED, WITHHELD_FOR
from replay.transparency import (
    CHECKPOINTS,
    TransparencyLog,
    create_checkpoint_table,
    transparency_log_class,
)
from replay.verify import verify_bundle_bytes
from tests.conftest import open_service
from tests.integration.personal_case import (
    APPLICANT,
    Household,
    every_piece_in,
    family_case,
    personal_data_in,
)
from tests.integration.walk import local, offer_housing
from tests.keys import IDENTITY_KEY_HEX
from tests.unit.forgeries import Files, rewrite, statement_line, tamper_alter_field

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
APPLIED, UPDATED, PASSED = 1, 6, 7  # versions: filed; accepted .. registered (2-5); these


@pytest.fixture
def key() -> OperatorKey:
    return load_signing_key({"KEZEK_SIGNING_KEY": "33" * 32, "KEZEK_LOG_ORIGIN": "kezek.test/log"})


@pytest.fixture
def case(database_url: str, identity_key: IdentityKey) -> Iterator[tuple[LedgerViews, Household]]:
    with open_service(database_url, identity_key) as service:
        household = family_case(service.waiting_list)
        yield service, household


def _document(bundle: bytes, version: int) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(read_zip(bundle)[event_file(version)])
    return document


def _exported(case: tuple[LedgerViews, Household], key: OperatorKey, role: Role) -> bytes:
    service, household = case
    return export_application(service, household.application_id, role=role, key=key, now=NOW).data


def _topics(bundle: bytes) -> list[str]:
    manifest = json.loads(read_zip(bundle)[MANIFEST])
    return [_document(bundle, v)["topic"].rsplit(".", 1)[1] for v in manifest["versions"]]


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.COMPLAINT_BODY])
def test_a_bundle_for_an_auditor_or_a_complaint_body_has_no_iin_nor_name_and_verifies(
    case: tuple[LedgerViews, Household], key: OperatorKey, role: Role
) -> None:
    service, household = case
    bundle = _exported(case, key, role)
    assert personal_data_in(bundle, household) == []
    topics = _topics(bundle)
    assert [topics[v - 1] for v in (APPLIED, UPDATED, PASSED)] == [
        "Applied",
        "DataUpdated",
        "PlacePassedToFamilyMember",
    ]

    report = verify_bundle_bytes(bundle, key.verifier_key)
    assert report.ok, report.lines()
    assert report.summary.endswith(
        f"made for {role.value}: 18 personal value(s) redacted, 0 event(s) withheld (listed above)"
    )
    assert [line.split(":")[0] for line in report.notes] == [
        event_file(v) for v in (APPLIED, UPDATED, PASSED)
    ]
    assert report.notes[0].startswith(f"events/0001.json: redacted for role {role.value}: ")

    # The IIN becomes the keyed reference the ledger uses for the person; a name, initials.
    form = _document(bundle, APPLIED)["state"]["form"]["_data_"]
    reference = service.waiting_list.identity.applicant_ref(household.applicant_iin)
    assert form["applicant_iin"]["shown"] == reference
    assert form["applicant_name"]["shown"] == initials(APPLICANT)
    assert len(initials(APPLICANT)) == len("X. Y. Z.")
    phone = form["phone"]
    assert phone == {SEALED: phone[SEALED], "redacted_for": role.value, "shown": None}
    manifest = json.loads(read_zip(bundle)[MANIFEST])
    assert manifest["made_for"] == role.value
    assert manifest["redacted"]["fields"][event_file(PASSED)] == ["successor_iin"]
    assert manifest["redacted"]["withheld"] == []


@pytest.mark.parametrize("role", [Role.COURT, Role.OFFICER])
def test_a_bundle_for_a_court_or_the_providers_staff_carries_the_case_whole_and_verifies(
    case: tuple[LedgerViews, Household], key: OperatorKey, role: Role
) -> None:
    household = case[1]
    bundle = _exported(case, key, role)
    assert every_piece_in(bundle, household)
    report = verify_bundle_bytes(bundle, key.verifier_key)
    assert report.ok, report.lines()
    assert report.notes == []
    assert report.summary.endswith(f"made for {role.value}: whole, nothing redacted")
    applicant = _document(bundle, APPLIED)["state"]["form"]["_data_"]["applicant_iin"]
    assert applicant["value"] == household.applicant_iin
    assert len(bytes.fromhex(applicant["salt"])) == 32


def test_a_redacted_bundle_tampered_with_fails_and_says_where(
    case: tuple[LedgerViews, Household], key: OperatorKey
) -> None:
    data = _exported(case, key, Role.AUDITOR)

    def failures(forged: bytes) -> list[str]:
        return verify_bundle_bytes(forged, key.verifier_key).failures

    assert failures(tamper_alter_field(data, APPLIED)) == [
        "events/0001.json: SHA-256 does not match the manifest (file altered?)",
        "events/0001.json: leaf hash does not match the inclusion proof (event altered?)",
    ]

    def reopened(files: Files, manifest: dict[str, Any]) -> None:
        """A forger puts a value of their own where the redacted one was, keeping the digest."""
        name = event_file(PASSED)
        document = json.loads(files[name])
        sealed = document["state"]["successor_iin"][SEALED]
        document["state"]["successor_iin"] = {SEALED: sealed, "salt": "00" * 32, "value": "x"}
        files[name] = canonical_json(document)
        manifest["files"][name] = sha256_hex(files[name])
        manifest["redacted"]["fields"].pop(name)

    forged = rewrite(data, reopened)
    assert failures(forged) == [
        statement_line(forged),
        f"{event_file(PASSED)}: successor_iin does not match its sealed digest (value altered?)",
    ]

    def relabelled(files: Files, manifest: dict[str, Any]) -> None:
        manifest["made_for"] = Role.COURT.value

    forged = rewrite(data, relabelled)
    found = failures(forged)
    assert found[0] == statement_line(forged)
    assert (
        "events/0001.json: form/_data_/applicant_iin is redacted for 'auditor', but the bundle "
        "is made for 'court'"
    ) in found


def test_a_log_begun_before_format_2_keeps_its_leaves_and_withholds_what_it_cannot_cut(
    database_url: str, identity_key: IdentityKey, key: OperatorKey, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The log is filled and signed by a version that knew only format 1 ...
    with monkeypatch.context() as before:
        before.setattr(leaf_formats, "ensure", lambda *_: None)
        with open_service(database_url, identity_key) as service:
            household = family_case(service.waiting_list)
            service.runner.catch_up()
            with service.database.transaction() as tx:
                old = sign_checkpoint(tx, service.view(TransparencyLog), key, now=NOW)
    # ... then this version starts: what is logged from now on is format 2.
    with open_service(database_url, identity_key) as service:
        wl = service.waiting_list
        offer_housing(wl, household.application_id, local(2024, 5, 6), _flat())
        court = export_application(service, household.application_id, key=key, now=NOW).data
        auditor = export_application(
            service, household.application_id, role=Role.AUDITOR, key=key, now=NOW
        ).data
        with service.database.transaction() as tx:
            log = service.view(TransparencyLog)
            assert log.root(tx, old.size).hex() == old.root_hash
            sign_checkpoint(tx, log, key)  # proves the log extends the old checkpoint
        rebuilt = rebuild(wl, service.database, transparency_log_class(wl), switch=False)
        assert rebuilt.verdict == "equal to the live view"

    assert every_piece_in(court, household)
    assert FORMAT_KEY not in _document(court, APPLIED)
    assert _document(court, PASSED + 1)[FORMAT_KEY] == 2
    assert verify_bundle_bytes(court, key.verifier_key).ok

    assert personal_data_in(auditor, household) == []
    withheld = [event_file(v) for v in (APPLIED, UPDATED, PASSED)]
    assert json.loads(read_zip(auditor)[MANIFEST])["redacted"]["withheld"] == withheld
    assert _document(auditor, APPLIED)[WITHHELD_FOR] == Role.AUDITOR.value
    report = verify_bundle_bytes(auditor, key.verifier_key)
    assert report.ok, report.lines()
    assert report.notes[0] == (
        "events/0001.json: withheld for role auditor: its leaf (format 1) commits to the whole "
        "event, so its inclusion is proven but its content is the operator's signed word only"
    )
    assert verify_bundle_bytes(tamper_alter_field(auditor, APPLIED), key.verifier_key).failures


def test_format_2_never_begins_where_a_checkpoint_may_have_signed_format_1(
    database: ViewDatabase,
) -> None:
    log = TransparencyLog()
    with database.transaction() as tx:
        create_tracking_table(tx)
        create_checkpoint_table(tx)
        tx.execute(
            f"INSERT INTO {CHECKPOINTS} (size, root_hash, time, origin, key_id, signature, note)"
            " VALUES (3, 'r', 't', 'o', 'k', 's', 'n')"
        )
    with database.transaction() as tx:
        log.create_tables(tx)  # signed once, its log's tracking gone: which leaves, unknown
        assert LeafFormats.load(tx).starts == ()
        tx.execute(
            f"INSERT INTO {TRACKING} (projection, generation, position) VALUES (?, 1, 40)",
            (log.name,),
        )
        log.create_tables(tx)  # the log filled again up to 40: format 2 after it
        assert LeafFormats.load(tx).starts == (41,)
        log.create_tables(tx)  # decided once
        assert LeafFormats.load(tx).starts == (41,)


def test_kezek_export_makes_the_bundle_for_the_role_given_with_for(
    case: tuple[LedgerViews, Household], database_url: str, tmp_path: Path
) -> None:
    _, household = case
    runner, out = CliRunner(), tmp_path / "case.zip"
    env = {
        "KEZEK_IDENTITY_KEY": IDENTITY_KEY_HEX,
        "KEZEK_TOKEN_KEY": "55" * 32,
        "KEZEK_SIGNING_KEY": "33" * 32,
        "KEZEK_LOG_ORIGIN": "kezek.test/log",
    }
    args = ["export", "--application", str(household.application_id), "--out", str(out)]
    args += ["--database-url", database_url]
    refused = runner.invoke(cli, [*args, "--for", "applicant"], env=env)
    assert refused.exit_code == 2
    assert "--for is one of court, officer, head, complaint_body, auditor" in refused.output
    made = runner.invoke(cli, [*args, "--for", "auditor"], env=env)
    assert made.exit_code == 0, made.output
    assert "Bundle made for auditor: 18 personal value(s) redacted" in made.output
    assert personal_data_in(out.read_bytes(), household) == []
    operator = load_signing_key(env).verifier_key
    checked = runner.invoke(cli, ["verify", str(out), "--key", operator])
    assert checked.exit_code == 0, checked.output
    assert "events/0001.json: redacted for role auditor: " in checked.output


def _flat() -> Dwelling:
    return Dwelling(address="Almaty, Abay 1, flat 2", rooms=3, useful_area_m2="70.0", floor=2)
