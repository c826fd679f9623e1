"""The verifier reads a bundle as hostile, with bounded memory: the file, its central directory,
each member's declared size, the declared total and the compression ratio are checked before
anything is inflated, and each member is inflated in chunks and held to its declared size.

The zips here are small: their headers are made to declare what a bomb would (the 1 GiB bomb
itself, with the verifier's memory measured, is tests/integration/test_verify_command.py's).
"""

from __future__ import annotations

import io
import os
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from replay import bundle_reading
from replay.bundle_reading import MAX_BUNDLE_BYTES, MiB, read_zip
from replay.verify import verify_file
from tests.unit.bundle_fixtures import KEY, failures

Headers = Callable[[list[zipfile.ZipInfo]], None]


def _zip(
    members: dict[str, bytes],
    headers: Headers | None = None,
    method: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    """A zip of `members`; `headers` may change what the central directory declares."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=method)
        if headers is not None:
            headers(archive.filelist)
    return buffer.getvalue()


def _refusal(data: bytes) -> str:
    found = failures(data)
    assert len(found) == 1, found
    return found[0]


def test_a_member_declaring_more_than_a_member_may_hold_is_refused_before_it_is_inflated() -> None:
    def declare(infos: list[zipfile.ZipInfo]) -> None:
        infos[0].file_size = 1024 * MiB

    assert _refusal(_zip({"events/0001.json": b"{}"}, declare)) == (
        "events/0001.json: declares 1,024.0 MiB inflated, more than the 128.0 MiB a file of a "
        "bundle may hold (zip bomb?)"
    )


def test_a_member_inflating_far_beyond_what_bundles_do_is_refused() -> None:
    zeros = _zip({"rendered/list.html": bytes(8 * MiB)})
    assert _refusal(zeros).startswith("rendered/list.html: inflates ")
    assert " times (8.0 MiB from " in _refusal(zeros)
    assert _refusal(zeros).endswith("more than the 100 a bundle's files ever do (zip bomb?)")


def test_files_declaring_more_than_a_bundle_may_hold_together_are_refused() -> None:
    def declare(infos: list[zipfile.ZipInfo]) -> None:
        for info in infos:
            info.file_size, info.compress_size = 120 * MiB, 2 * MiB

    members = {f"events/{n:04d}.json": b"{}" for n in range(1, 6)}
    assert _refusal(_zip(members, declare)) == (
        "bundle: its files declare 600.0 MiB inflated, more than the 512.0 MiB a bundle may "
        "hold (zip bomb?)"
    )


def test_a_member_understating_its_size_is_cut_off_at_the_size_it_declares() -> None:
    def understate(infos: list[zipfile.ZipInfo]) -> None:
        infos[0].file_size = 4096

    assert _refusal(_zip({"events/0001.json": bytes(2 * MiB)}, understate)) == (
        "events/0001.json: unreadable in the zip (Bad CRC-32 for file 'events/0001.json')"
    )

    def understate_with_its_crc(infos: list[zipfile.ZipInfo]) -> None:
        infos[0].file_size, infos[0].CRC = 4096, zlib.crc32(bytes(4096))

    cut = read_zip(_zip({"events/0001.json": bytes(2 * MiB)}, understate_with_its_crc))
    assert cut == {"events/0001.json": bytes(4096)}


def test_a_member_shorter_than_its_header_declares_is_refused() -> None:
    def overstate(infos: list[zipfile.ZipInfo]) -> None:
        infos[0].file_size = 2000

    assert _refusal(_zip({"events/0001.json": b"a" * 1000}, overstate)) == (
        "events/0001.json: holds 1,000 bytes, its header declares 2,000"
    )


def test_a_member_compressed_otherwise_than_a_bundle_is_or_encrypted_is_refused() -> None:
    assert _refusal(_zip({"manifest.json": b"{}"}, method=zipfile.ZIP_BZIP2)) == (
        "manifest.json: compression method 12 (a bundle is only stored or deflated)"
    )

    def encrypted(infos: list[zipfile.ZipInfo]) -> None:
        infos[0].flag_bits |= 0x1

    assert _refusal(_zip({"manifest.json": b"{}"}, encrypted)) == (
        "manifest.json: encrypted (a bundle never is)"
    )


def test_a_central_directory_larger_than_a_bundle_may_have_is_refused_before_it_is_parsed() -> None:
    data = bytearray(_zip({"manifest.json": b"{}"}))
    struct.pack_into("<L", data, len(data) - 22 + 12, 17 * MiB)  # the end record's size field
    assert _refusal(bytes(data)) == (
        "bundle: a central directory of 17.0 MiB, more than the 16.0 MiB a bundle may have "
        "(too many files)"
    )


def test_more_files_than_a_bundle_may_hold_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bundle_reading, "MAX_MEMBERS", 3)
    members = {f"events/{n:04d}.json": b"{}" for n in range(1, 5)}
    assert _refusal(_zip(members)) == "bundle: 4 files, more than the 3 allowed"


def test_a_bundle_file_larger_than_a_bundle_may_be_is_refused_before_it_is_read(
    tmp_path: Path,
) -> None:
    path = tmp_path / "huge.zip"
    with path.open("wb") as file:
        file.truncate(MAX_BUNDLE_BYTES + 1)  # sparse: nothing written, nothing read
    lines: list[str] = []
    assert verify_file(path, KEY.verifier_key, lines.append) == 1
    assert lines == [
        f"bundle: {MAX_BUNDLE_BYTES + 1:,} bytes, more than the 256.0 MiB a bundle may be",
        "FAILED: 1 check(s) failed",
    ]
    assert os.stat(path).st_blocks == 0
