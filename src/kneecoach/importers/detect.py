"""Tell a file's format from its bytes, unpack gzip safely, and read its activities."""

from __future__ import annotations

import zlib

from kneecoach.domain.activity import Activity
from kneecoach.importers.errors import ImportFailure

MAX_FILE_BYTES = 256 * 1024 * 1024
"""The most an activity file may hold once unpacked: a day of 1 Hz records is a few MB."""


def gunzip(data: bytes, limit: int = MAX_FILE_BYTES) -> bytes:
    """Unpack gzip, refusing anything that unpacks past ``limit`` (a decompression bomb)."""
    unpacker = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        out = unpacker.decompress(data, limit + 1)
    except zlib.error as error:
        raise ImportFailure(f"damaged gzip data: {error}") from None
    if len(out) > limit or unpacker.unconsumed_tail:
        raise ImportFailure(f"unpacks to more than {limit // (1024 * 1024)} MB: refused")
    if not unpacker.eof:
        raise ImportFailure("truncated gzip data")
    return out


def read_activities(data: bytes, name: str = "") -> list[Activity]:
    """Every activity in one file (GPX, TCX, FIT, or any of them gzipped)."""
    if data[:2] == b"\x1f\x8b":
        data = gunzip(data)
    if len(data) > MAX_FILE_BYTES:
        raise ImportFailure("larger than 256 MB: refused")
    if len(data) >= 12 and data[8:12] == b".FIT":
        from kneecoach.importers.fit import read_fit

        return read_fit(data)
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<"):
        if b"<gpx" in head:
            from kneecoach.importers.gpx import read_gpx

            return read_gpx(data)
        if b"trainingcenterdatabase" in head:
            from kneecoach.importers.tcx import read_tcx

            return read_tcx(data)
        raise ImportFailure("XML, but neither GPX nor TCX")
    suffix = name.lower().removesuffix(".gz").rsplit(".", 1)[-1] if "." in name else ""
    what = f"a .{suffix} file" if suffix else "this file"
    raise ImportFailure(f"{what} is not GPX, TCX or FIT")
