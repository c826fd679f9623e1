"""Reading a court bundle's zip with bounded memory: the limits, and the reader that holds to them.

A bundle comes from whoever hands it to a court, so the verifier reads it as hostile: the zip's
own sizes are checked before anything is inflated (the file, its central directory, each
member's declared size, the declared total, the compression ratio), and each member is then
inflated in chunks, stopping as soon as it holds more than its header declared or than a member
may. A 1 GiB member of zeros is refused before a byte of it is inflated; one whose header lies
about its size is cut off at the size it declared.

Only the standard library: the offline verifier (replay.verify) imports this, through
replay.bundle, and must not reach a database.
"""

from __future__ import annotations

import io
import os
import struct
import zipfile
import zlib
from typing import BinaryIO

MiB = 1024 * 1024
MAX_BUNDLE_BYTES = 256 * MiB  # the .zip file itself
MAX_DIRECTORY_BYTES = 16 * MiB  # its central directory: about 250,000 members
MAX_MEMBERS = 200_000  # files in a bundle: a list's events, one file each, and five more
MAX_MEMBER_BYTES = 128 * MiB  # one file inflated: the manifest of a list of ~100,000 events
MAX_TOTAL_BYTES = 512 * MiB  # every file inflated, together
MAX_RATIO = 100  # inflated : compressed, above RATIO_FLOOR (bundles' files make about 2-4)
RATIO_FLOOR = 1 * MiB
CHUNK = 1 * MiB
METHODS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})  # what write_zip may make


class BundleError(ValueError):
    """The bundle is not readable as one (the message names the file or the field)."""


def _mib(size: int) -> str:
    return f"{size / MiB:,.1f} MiB"


def read_zip(source: bytes | BinaryIO) -> dict[str, bytes]:
    """Every file of the bundle; refuses a zip that names a file twice or outside itself, or
    that is larger, inflates further or holds more than a bundle may (the MAX_* above)."""
    file = io.BytesIO(source) if isinstance(source, bytes) else source
    size = file.seek(0, os.SEEK_END)
    if size > MAX_BUNDLE_BYTES:
        raise BundleError(
            f"bundle: {size:,} bytes, more than the {_mib(MAX_BUNDLE_BYTES)} a bundle may be"
        )
    directory = _directory_size(file, size)
    if directory is not None and directory > MAX_DIRECTORY_BYTES:
        raise BundleError(
            f"bundle: a central directory of {_mib(directory)}, more than the "
            f"{_mib(MAX_DIRECTORY_BYTES)} a bundle may have (too many files)"
        )
    file.seek(0)
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise BundleError(f"bundle: not a zip file ({error})") from None
    with archive:
        infos = _checked(archive.infolist())
        return {info.filename: _inflate(archive, info) for info in infos if not info.is_dir()}


def _checked(infos: list[zipfile.ZipInfo]) -> list[zipfile.ZipInfo]:
    """The members, once their names, methods and declared sizes are all within bounds."""
    if len(infos) > MAX_MEMBERS:
        raise BundleError(f"bundle: {len(infos):,} files, more than the {MAX_MEMBERS:,} allowed")
    names: set[str] = set()
    for info in infos:
        name = info.filename
        if name.startswith("/") or ".." in name.split("/") or "\\" in name:
            raise BundleError(f"{name}: a path outside the bundle")
        if name in names:
            raise BundleError(f"{name}: twice in the bundle (which one is evidence?)")
        names.add(name)
        if info.compress_type not in METHODS:
            raise BundleError(
                f"{name}: compression method {info.compress_type} (a bundle is only stored "
                "or deflated)"
            )
        if info.flag_bits & 0x1:
            raise BundleError(f"{name}: encrypted (a bundle never is)")
        if info.file_size > MAX_MEMBER_BYTES:
            raise BundleError(
                f"{name}: declares {_mib(info.file_size)} inflated, more than the "
                f"{_mib(MAX_MEMBER_BYTES)} a file of a bundle may hold (zip bomb?)"
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            raise BundleError(
                f"{name}: inflates {ratio:,.0f} times ({_mib(info.file_size)} from "
                f"{info.compress_size:,} bytes), more than the {MAX_RATIO} a bundle's files "
                "ever do (zip bomb?)"
            )
    total = sum(info.file_size for info in infos)
    if total > MAX_TOTAL_BYTES:
        raise BundleError(
            f"bundle: its files declare {_mib(total)} inflated, more than the "
            f"{_mib(MAX_TOTAL_BYTES)} a bundle may hold (zip bomb?)"
        )
    return infos


def _inflate(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """One member, inflated a chunk at a time, stopped as soon as it outgrows its header."""
    name, declared = info.filename, info.file_size  # within MAX_MEMBER_BYTES (_checked)
    held = bytearray()
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(CHUNK):
                held += chunk
                if len(held) > declared:
                    raise BundleError(
                        f"{name}: inflates past the {declared:,} bytes its header declares "
                        "(zip bomb?)"
                    )
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as error:
        raise BundleError(f"{name}: unreadable in the zip ({error})") from None
    if len(held) != declared:
        raise BundleError(f"{name}: holds {len(held):,} bytes, its header declares {declared:,}")
    return bytes(held)


_END = struct.Struct("<4s4H2LH")  # end of central directory record (APPNOTE 4.3.16)
_END64_LOCATOR = struct.Struct("<4sLQL")  # zip64 end of central directory locator (4.3.15)
_END64 = struct.Struct("<4sQ2H2L4Q")  # zip64 end of central directory record (4.3.14)


def _directory_size(file: BinaryIO, size: int) -> int | None:
    """The central directory's size as the zip's end records state it, which is what
    zipfile reads into memory, one ZipInfo per entry; None when there is no end record (then
    zipfile refuses the file itself)."""
    tail = min(size, _END.size + 0xFFFF)  # the record, then a comment of up to 64 KiB
    file.seek(size - tail)
    data = file.read(tail)
    at = data.rfind(b"PK\x05\x06")
    if at < 0 or at + _END.size > len(data):
        return None
    directory: int = _END.unpack_from(data, at)[5]
    if at >= _END64_LOCATOR.size:
        locator = _END64_LOCATOR.unpack_from(data, at - _END64_LOCATOR.size)
        if locator[0] == b"PK\x06\x07" and locator[2] + _END64.size <= size:
            file.seek(locator[2])
            record = file.read(_END64.size)
            if record[:4] == b"PK\x06\x06":
                directory = max(directory, _END64.unpack(record)[8])
    return directory
