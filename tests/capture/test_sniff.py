"""Format sniffing, compressed HARs, and whole-file errors of read_capture."""
from __future__ import annotations

import gzip
import os
import subprocess
import sys
import threading
import zlib
from pathlib import Path

import pytest

from pixelguard_addon.capture import CaptureError, CaptureStats, read_capture
from pixelguard_addon.capture.sniff import (EMPTY, FLOWS, GZIP, HAR, ZLIB, decompress,
                                             sniff)

from .conftest import CAPTURES

REPO = Path(__file__).resolve().parents[2]


def read(path):
    stats = CaptureStats()
    return list(read_capture(path, stats)), stats


@pytest.mark.parametrize("head, kind", [
    (b'{"log":', HAR),
    (b'\xef\xbb\xbf{"log":', HAR),
    (b'\xef\xbb\xbf \r\n\t {"log":', HAR),
    ('\ufeff {"log":'.encode("utf-16-le"), HAR),
    ('\ufeff{"log":'.encode("utf-16-be"), HAR),
    ("\ufeff12:".encode("utf-16-le"), FLOWS),
    ("\ufeff  ".encode("utf-16-le"), EMPTY),
    (b"\x1f\x8b\x08\x00", GZIP),
    (zlib.compress(b"{}")[:4], ZLIB),
    (zlib.compress(b"{}", 1)[:4], ZLIB),
    (b"1234:4:type", FLOWS),
    (b"80:x", FLOWS),  # "80" passes the zlib header checksum but is not 0x78-led
    (b"x", FLOWS),  # a lone "x" is not a zlib header
    (b"[1, 2]", FLOWS),  # not HAR; the flow reader will refuse it
    (b"", EMPTY),
    (b" \n\t", EMPTY),
    (b"\xef\xbb\xbf", EMPTY),
])
def test_sniff(head, kind):
    assert sniff(head) == kind


def test_decompress_roundtrip():
    assert decompress(gzip.compress(b"{}"), GZIP) == b"{}"
    assert decompress(zlib.compress(b"{}"), ZLIB) == b"{}"


def test_missing_file(tmp_path):
    path = tmp_path / "nope.har"
    with pytest.raises(CaptureError, match=r"nope\.har: no such file"):
        list(read_capture(path))


def test_directory(tmp_path):
    with pytest.raises(CaptureError, match="is a directory"):
        list(read_capture(tmp_path))


def test_unopenable_path(tmp_path):
    # A file used as a directory cannot be opened by anyone, root included (unlike chmod 0).
    blocker = tmp_path / "plain-file"
    blocker.write_text("{}")
    with pytest.raises(CaptureError, match="locked.har: cannot open"):
        list(read_capture(blocker / "locked.har"))


@pytest.mark.parametrize("data", [b"", b"   \n", b"\xef\xbb\xbf\n"])
def test_empty_file(tmp_path, data):
    path = tmp_path / "empty.mitm"
    path.write_bytes(data)
    with pytest.raises(CaptureError, match="empty.mitm: empty file"):
        list(read_capture(path))


def test_not_a_capture():
    pytest.importorskip("mitmproxy")
    path = CAPTURES / "not_a_capture.txt"
    with pytest.raises(CaptureError) as err:
        list(read_capture(path))
    assert str(path) in str(err.value) and "not a HAR or mitmproxy flow file" in str(err.value)


def test_source_is_path_as_given(chrome_har):
    rel = os.path.relpath(chrome_har)
    requests, _ = read(rel)
    assert requests[0].source == rel


def test_stats_optional(chrome_har):
    assert len(list(read_capture(chrome_har))) == 9


@pytest.mark.parametrize("name, pack", [
    ("capture.zhar", lambda b: zlib.compress(b, 9)),  # what mitmproxy's save.har writes
    ("capture.har.gz", gzip.compress),
    ("no_extension", gzip.compress),
])
def test_compressed_har(tmp_path, chrome_har, name, pack):
    path = tmp_path / name
    path.write_bytes(pack(chrome_har.read_bytes()))
    plain, plain_stats = read(chrome_har)
    packed, packed_stats = read(path)
    assert [(r.method, r.url, r.body, r.index) for r in packed] == [
        (r.method, r.url, r.body, r.index) for r in plain]
    assert packed_stats.skipped == plain_stats.skipped
    assert packed[0].source == str(path)


def test_har_content_with_flow_extension(tmp_path, chrome_har):
    path = tmp_path / "capture.mitm"
    path.write_bytes(chrome_har.read_bytes())
    assert len(read(path)[0]) == 9


def test_gzipped_flow_file(tmp_path, flow_file):
    path = tmp_path / "capture.mitm.gz"
    path.write_bytes(gzip.compress(flow_file.read_bytes()))
    assert len(read(path)[0]) == 6


@pytest.mark.parametrize("data, why", [
    (gzip.compress(b'{"log": {"entries": []}}')[:-6], "corrupt gzip data"),
    (b"\x1f\x8bnot really gzip", "corrupt gzip data"),
    (b"x\x9cnot really zlib", "corrupt zlib data"),
    (gzip.compress(b""), "empty file"),
    (gzip.compress(gzip.compress(b"{}")), "compressed twice"),
])
def test_bad_compressed(tmp_path, data, why):
    path = tmp_path / "bad.har.gz"
    path.write_bytes(data)
    with pytest.raises(CaptureError, match=f"bad.har.gz: {why}"):
        list(read_capture(path))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_flow_file_through_a_pipe(tmp_path, flow_file):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: fifo.write_bytes(flow_file.read_bytes()))
    writer.start()
    try:
        requests, _ = read(fifo)
    finally:
        writer.join(timeout=10)
    assert len(requests) == 6


def _run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                          text=True, timeout=60)


def test_har_reading_never_imports_mitmproxy(chrome_har):
    proc = _run(
        "import sys\n"
        "from pixelguard_addon.capture import read_capture\n"
        f"assert len(list(read_capture({str(chrome_har)!r}))) == 9\n"
        "assert 'mitmproxy' not in sys.modules, 'mitmproxy imported'\n")
    assert proc.returncode == 0, proc.stderr


def test_flow_file_without_mitmproxy_is_capture_error(flow_file):
    proc = _run(
        "import sys\n"
        "sys.modules['mitmproxy'] = None  # as if not installed\n"
        "from pixelguard_addon.capture import CaptureError, read_capture\n"
        "try:\n"
        f"    list(read_capture({str(flow_file)!r}))\n"
        "except CaptureError as exc:\n"
        "    print(exc)\n")
    assert proc.returncode == 0, proc.stderr
    assert "mitmproxy, which is not installed" in proc.stdout
    assert str(flow_file) in proc.stdout
