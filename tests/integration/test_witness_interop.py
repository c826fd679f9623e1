"""Interoperation with an independent implementation of C2SP tlog-witness/tlog-cosignature: the
PyPI packages aics-witness 0.1.0 and aics-tlog 0.2.1 (they declare Python >= 3.12 but run on
3.11; `make test` and `make interop` install them with --no-deps --ignore-requires-python). Their
witness client submits to our witness and verifies our cosignatures with our verifier key; their
verifier checks a cosignature over a Kezek checkpoint (with its `time` extension line)."""

from __future__ import annotations

import base64
from pathlib import Path

from replay.checkpoints import OperatorKey, checkpoint_text
from replay.merkle import consistency_path, hash_leaf, root_of
from tests.integration.witnesses import witness, witness_key

try:
    from aics_tlog import cosign
    from aics_witness import feeder
except ImportError as missing:  # never a silent skip: `make test` installs them
    raise ImportError(
        "the interop tests need aics-witness 0.1.0 and aics-tlog 0.2.1: run `make test`"
    ) from missing

KEY = OperatorKey("kezek.test/log", b"\x09" * 32)
TIME = "2026-01-01T00:00:00Z"


def _note(leaves: list[bytes]) -> str:
    text = checkpoint_text(KEY.name, len(leaves), root_of(leaves), TIME)
    line = base64.b64encode(KEY.key_id + KEY.sign(text.encode())).decode()
    return f"{text}\n\u2014 {KEY.name} {line}\n"


def test_an_independent_witness_client_gets_cosignatures_it_verifies_from_our_witness(
    tmp_path: Path,
) -> None:
    leaves = [hash_leaf(bytes([i])) for i in range(12)]
    cosigner = witness_key("witness.test/one")
    with witness(tmp_path, cosigner.name, KEY) as (url, _):
        client = feeder.WitnessClient(url, cosigner.verifier_key)
        for size in (5, 12):
            lines = client.submit(
                _note(leaves[:size]),
                lambda old, new: consistency_path(old, leaves[:new]) if old else [],
            )
            assert lines.startswith(f"\u2014 {cosigner.name} ")


def test_an_independent_verifier_accepts_our_cosignature_over_a_kezek_checkpoint() -> None:
    cosigner = witness_key("witness.test/one")
    root = root_of([hash_leaf(b"a"), hash_leaf(b"b")])
    line = cosigner.cosign(checkpoint_text(KEY.name, 2, root, TIME), 1_700_000_000)
    blob = base64.b64decode(line.split()[-1])
    assert blob[:4] == cosign.cosignature_key_id(cosigner.name, cosigner.public_key)
    assert cosign.verify_cosignature(
        blob[4:], cosigner.name, cosigner.public_key, KEY.name, 2, root, [f"time {TIME}"]
    )
