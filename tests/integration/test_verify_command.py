"""`kezek verify` run as a court runs it, in a process of its own: a 1 GiB zip bomb inside a
bundle is refused with a clear line while the verifier's peak resident memory stays far below
the bomb (it reached 2.1 GB before the reader was bounded).
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

from tests.unit.bundle_fixtures import KEY, synthetic_bundle

ROOT = Path(__file__).resolve().parents[2]
GiB = 1024 * 1024 * 1024
MEMORY_CEILING_KB = 300 * 1000  # 300 MB


def _bomb(path: Path, declare: Callable[[zipfile.ZipInfo], None] | None = None) -> Path:
    """A sound bundle with 1 GiB of zeros added as one more member, written a MiB at a time
    (nothing here holds the GiB); `declare` may change what its header says."""
    path.write_bytes(synthetic_bundle())
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        with archive.open("rendered/zeros.html", "w", force_zip64=True) as member:
            block = bytes(1024 * 1024)
            for _ in range(GiB // len(block)):
                member.write(block)
        if declare is not None:
            declare(archive.filelist[-1])
    return path


# Runs `python -m cli ...` and, at its exit, notes the peak resident memory of its own program
# (VmHWM belongs to the program exec'd; rusage's maxrss would also count the copy of the test
# process it was forked from, which is large inside a full test run).
PEAK_NOTING = (
    "import atexit, os, runpy, sys\n"
    "def note():\n"
    "    status = open('/proc/self/status').read()\n"
    "    peak = status.split('VmHWM:')[1].split()[0]\n"
    "    open(os.environ['KEZEK_PEAK_FILE'], 'w').write(peak)\n"
    "atexit.register(note)\n"
    "sys.argv = ['kezek', *sys.argv[1:]]\n"
    "runpy.run_module('cli', run_name='__main__', alter_sys=True)\n"
)


def _verify(bundle: Path, output: Path) -> tuple[int, list[str], int]:
    """`python -m cli verify BUNDLE --key KEY`: exit status, lines, peak RSS (KB) of it alone."""
    peak_file = output.with_suffix(".peak")
    with output.open("wb") as sink:
        child = subprocess.run(
            [sys.executable, "-c", PEAK_NOTING, "verify", str(bundle), "--key", KEY.verifier_key],
            stdout=sink, stderr=subprocess.STDOUT, cwd=ROOT, check=False,
            env={**os.environ, "PYTHONPATH": str(ROOT), "KEZEK_PEAK_FILE": str(peak_file)},
        )  # fmt: skip
    return child.returncode, output.read_text().splitlines(), int(peak_file.read_text())


def test_a_one_gib_zip_bomb_is_refused_while_the_verifier_stays_under_300_mb(
    tmp_path: Path,
) -> None:
    bomb = _bomb(tmp_path / "bomb.zip")
    assert bomb.stat().st_size < 8 * 1024 * 1024
    status, lines, peak = _verify(bomb, tmp_path / "out.txt")
    assert (status, lines) == (
        1,
        [
            "rendered/zeros.html: declares 1,024.0 MiB inflated, more than the 128.0 MiB a "
            "file of a bundle may hold (zip bomb?)",
            "FAILED: 1 check(s) failed",
        ],
    )
    assert peak < MEMORY_CEILING_KB, f"peak RSS {peak} KB"


def test_a_zip_bomb_whose_header_understates_it_is_inflated_only_to_the_size_declared(
    tmp_path: Path,
) -> None:
    def understate(info: zipfile.ZipInfo) -> None:
        info.file_size, info.CRC = 4096, zlib.crc32(bytes(4096))

    status, lines, peak = _verify(_bomb(tmp_path / "bomb.zip", understate), tmp_path / "out.txt")
    assert (status, lines) == (
        1,
        [
            "rendered/zeros.html: in the bundle but not in the manifest (file added?)",
            "FAILED: 1 check(s) failed",
        ],
    )
    assert peak < MEMORY_CEILING_KB, f"peak RSS {peak} KB"
