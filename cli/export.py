"""`kezek export` and `kezek verify` as plain functions (cli.main wires them to commands).

    write_bundle(export_application(source, APPLICATION_ID, role=...), FILE.zip)
                                        -> the bundle written, a summary printed
    write_bundle(export_list(source, PROVIDER, LIST, AsOf(MOMENT), role=...), FILE.zip)
                                        -> the same for a list as of a moment
    verify_bundle(FILE.zip, KEY, trust_file=..., ...)  -> exit status, one line per failure

The bundles are made by replay.export (`role`: whom a bundle is made for) from what a service
process holds (api.services.Services, opened with follow=False is enough: the export brings
the views up to the case's last event itself). `verify_bundle` needs no service at all
(replay.verify).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from replay.export import Exported
from replay.verify import verify_file

Echo = Callable[[str], None]


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that no reader ever sees half a bundle."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_bundle(exported: Exported, out: Path | str, *, echo: Echo = print) -> Path:
    """Write a bundle made by replay.export (a case's or a list's) to `out`, and say what it
    holds and how to check it."""
    path = Path(out)
    write_atomically(path, exported.data)
    manifest, checkpoint = exported.manifest, exported.checkpoint
    fresh = "signed now" if exported.signed_now else f"signed {checkpoint.time}"
    echo(
        f"Wrote {path}: {manifest.kind} {manifest.originator_id}, {manifest.event_count} "
        f"events (versions 1..{manifest.event_count}), checkpoint of size {checkpoint.size} "
        f"({fresh})"
    )
    echo(f"Bundle {manifest.redaction.summary().removesuffix(' (listed above)')}")
    echo(f"Verifier key: {manifest.verifier_key}")
    echo(f"Check it offline: kezek verify {path} --key '{manifest.verifier_key}'")
    return path


def verify_bundle(
    path: Path | str,
    key: str | None = None,
    *,
    trust_file: Path | str | None = None,
    trust_embedded: bool = False,
    echo: Echo = print,
    witness_keys: Sequence[str] = (),
    quorum: int | None = None,
) -> int:
    """0 when every check holds; 1 with one line per failure; 2 when no key is pinned (the
    operator's key: `key` or the keys of `trust_file`; `trust_embedded` explores with the
    bundle's own) or the bundle or a key is unreadable."""
    return verify_file(
        path, key, echo, trust_file=trust_file, trust_embedded=trust_embedded,
        witness_keys=witness_keys, quorum=quorum,
    )  # fmt: skip
