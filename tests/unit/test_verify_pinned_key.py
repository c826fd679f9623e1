"""The offline verifier checks with the operator's key as pinned by whoever checks (`--key`,
`--trust FILE`), never silently with the key a bundle carries: a forger's bundle, re-made and
re-signed whole with the forger's key, is consistent throughout and only a pinned key tells.

Same synthetic bundle and forgeries as test_verify_tampered_events.
"""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from cli.export import verify_bundle
from cli.main import app
from replay.checkpoints import OperatorKey
from replay.trust import NOT_PINNED
from replay.verify import verify_bundle_bytes
from tests.unit.bundle_fixtures import APP, KEY, ORIGIN, OTHER
from tests.unit.forgeries import tamper_resign_whole

RETIRED = OperatorKey(ORIGIN, bytes.fromhex("07" * 32))  # the operator's key before KEY
PINNED = f"{ORIGIN}+{KEY.key_id.hex()}"
FORGER = f"{ORIGIN}+{OTHER.key_id.hex()}"


def _write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def _verify(
    path: Path,
    key: str | None = None,
    *,
    trust_file: Path | None = None,
    trust_embedded: bool = False,
) -> tuple[int, list[str]]:
    lines: list[str] = []
    status = verify_bundle(
        path, key, trust_file=trust_file, trust_embedded=trust_embedded, echo=lines.append
    )
    return status, lines


def _trust_file(tmp_path: Path) -> Path:
    text = (
        f"# the operator's verifier keys\n\n{RETIRED.verifier_key}  retired 2025\n"
        f"{KEY.verifier_key}\n"
    )
    return _write(tmp_path, "operator.keys", text)


def test_a_bundle_re_signed_whole_by_a_forger_fails_against_the_operator_s_pinned_key(
    bundle: bytes, tmp_path: Path
) -> None:
    forged = _write(tmp_path, "forged.zip", tamper_resign_whole(bundle, 3, OTHER))
    refused = [
        f"statement.txt: signature does not verify with key {PINNED}",
        f"checkpoint: signature does not verify with key {PINNED}",
        "events/*: inclusion proofs not checked: the checkpoint is not authentic",
        "FAILED: 3 check(s) failed",
    ]
    status, lines = _verify(forged, KEY.verifier_key)
    assert (status, lines[1:]) == (1, refused)
    assert lines[0].startswith(f"note: the bundle names the key '{ORIGIN}+{OTHER.key_id.hex()}")
    key_file = _write(tmp_path, "operator.pub", KEY.verifier_key + "\n")
    assert _verify(forged, str(key_file))[0] == 1
    # Signed by none of the operator's keys: checked with the first, the others named.
    status, lines = _verify(forged, trust_file=_trust_file(tmp_path))
    retired = f"{ORIGIN}+{RETIRED.key_id.hex()}"
    assert (status, lines[1:]) == (1, [line.replace(PINNED, retired) for line in refused])
    assert lines[0].endswith(f"({retired}, the first of the pinned {retired}, {PINNED})")


def test_without_a_pinned_key_the_verifier_refuses_to_judge_and_says_how_to_pin_one(
    bundle: bytes, tmp_path: Path
) -> None:
    genuine = _write(tmp_path, "case.zip", bundle)
    forged = _write(tmp_path, "forged.zip", tamper_resign_whole(bundle, 3, OTHER))
    for path in (genuine, forged):
        assert _verify(path) == (2, NOT_PINNED.splitlines())
    assert len(NOT_PINNED.splitlines()) == 2
    assert verify_bundle_bytes(bundle, None).failures == [NOT_PINNED.replace("\n", " ")]
    assert "GET /v1/transparency/checkpoint" in NOT_PINNED
    result = CliRunner().invoke(app, ["verify", str(forged)])
    assert result.exit_code == 2
    assert result.output.startswith("kezek verify: no key pinned: pass --key KEY")


def test_exploring_with_the_bundle_s_own_key_passes_a_forgery_and_says_it_is_not_pinned(
    bundle: bytes, tmp_path: Path
) -> None:
    forged = _write(tmp_path, "forged.zip", tamper_resign_whole(bundle, 3, OTHER))
    result = CliRunner().invoke(app, ["verify", str(forged), "--trust-embedded-key"])
    assert result.exit_code == 0, result.output
    first, verdict = result.output.splitlines()
    assert first.startswith(
        f"NOT pinned: checking with the key the bundle itself carries ({FORGER})"
    )
    assert verdict.startswith(f"OK, NOT pinned: application {APP}: 5 events")
    assert f"key {FORGER}, the bundle's own)" in verdict
    # Exploring does not excuse what else fails.
    broken = _write(tmp_path, "broken.zip", bundle[: len(bundle) // 2])
    assert _verify(broken, trust_embedded=True)[0] == 1


def test_a_trust_file_pins_the_operator_s_keys_one_a_line_with_comments(
    bundle: bytes, tmp_path: Path
) -> None:
    genuine = _write(tmp_path, "case.zip", bundle)
    status, lines = _verify(genuine, trust_file=_trust_file(tmp_path))
    assert status == 0, lines
    assert lines == [lines[-1]]
    assert lines[-1].startswith(f"OK: application {APP}: 5 events")
    assert f"key {PINNED}, pinned)" in lines[-1]
    status, lines = _verify(genuine, KEY.verifier_key)
    assert (status, len(lines)) == (0, 1)


def test_a_trust_file_that_pins_nothing_or_cannot_be_read_and_pinning_while_exploring_are_refused(
    bundle: bytes, tmp_path: Path
) -> None:
    genuine = _write(tmp_path, "case.zip", bundle)
    empty = _write(tmp_path, "empty.keys", "# nothing yet\n\n")
    status, lines = _verify(genuine, trust_file=empty)
    assert status == 2
    assert lines[0].startswith(f"trust file {empty}: no key in it (the operator publishes")
    bad = _write(tmp_path, "bad.keys", f"{KEY.verifier_key}\n{ORIGIN}+00000000+AAAA\n")
    assert _verify(genuine, trust_file=bad) == (
        2,
        [f"trust file {bad}, line 2: the verifier key is not an Ed25519 key (0x01 || 32 bytes)"],
    )
    missing = tmp_path / "missing.keys"
    assert _verify(genuine, trust_file=missing) == (
        2,
        [f"trust file {missing}: cannot read it (No such file or directory)"],
    )
    status, lines = _verify(genuine, KEY.verifier_key, trust_embedded=True)
    assert status == 2
    assert lines[0].startswith("kezek verify: --trust-embedded-key with --key or --trust")
