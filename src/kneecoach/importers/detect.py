"""Tell a file's format from its first bytes, unpack gzip as a stream within limits, and
read its activities — in bounded memory whatever the file.

GPX and TCX are parsed as they are read; gzip is unpacked as it is read, refused once it
unpacks past the file limit (:data:`MAX_FILE_BYTES` unless the caller gives its own,
KNEECOACH_IMPORT_FILE_LIMIT) or past :data:`MAX_RATIO` times the packed bytes read so far
(a decompression bomb is stopped early, not after filling memory). A zip archive's members
are held to the same limit (services.runs), so a file is refused alike however it came.
"""

from __future__ import annotations

import gzip
import io
import re
import zlib
from typing import BinaryIO

from kneecoach.domain.activity import Activity
from kneecoach.importers.errors import ImportFailure

MAX_FILE_BYTES = 100 * 1024 * 1024
"""The most one activity file may hold once unpacked, by default (kneecoach default,
setting KNEECOACH_IMPORT_FILE_LIMIT): a day of 1 Hz records with heart rate and cadence is
about 25 MB as GPX, so 100 MB takes a multi-day ultra and refuses a 200 MB file, which
only a hostile or broken export holds."""
MAX_RATIO = 200
"""The most a packed file may grow by unpacking (activity files pack 5-20 times; the same
limit as for a zip archive's members)."""
RATIO_FLOOR = 1024 * 1024
"""Below this many unpacked bytes the ratio is not judged (tiny files pack unevenly)."""
MAX_FIT_BYTES = 64 * 1024 * 1024
"""The most a FIT file may hold (read whole to decode): 100 hours at 1 Hz is about 10 MB."""
SNIFF_BYTES = 65536
"""How far into an XML file to look for its root element's name."""


class _Counted(io.RawIOBase):
    """Counts the bytes read through it (the packed side of a gzip stream)."""

    def __init__(self, inner: BinaryIO) -> None:
        self.inner = inner
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.inner.read(len(buffer))
        size = len(data)
        buffer[:size] = data
        self.count += size
        return size


class _Limited(io.RawIOBase):
    """Unpacked gzip, refused past the size limit or the packing ratio; a damaged or cut
    stream is an ImportFailure, not a library's exception."""

    def __init__(self, packed: BinaryIO, limit: int, ratio: int) -> None:
        self.counted = _Counted(packed)
        self.unpacked = gzip.GzipFile(fileobj=io.BufferedReader(self.counted, 65536), mode="rb")
        self.limit = limit
        self.ratio = ratio
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        try:
            data = self.unpacked.read(len(buffer))
        except (OSError, EOFError, zlib.error) as error:
            if isinstance(error, EOFError):
                raise ImportFailure("truncated gzip data") from None
            raise ImportFailure(f"damaged gzip data: {error}") from None
        size = len(data)
        self.count += size
        if self.count > self.limit:
            raise ImportFailure(too_large(self.limit))
        if self.count > RATIO_FLOOR and self.count > self.ratio * max(self.counted.count, 1):
            raise ImportFailure(f"unpacks {self.ratio}x or more: refused")
        buffer[:size] = data
        return size


def gunzip(data: bytes, limit: int = MAX_FILE_BYTES, ratio: int = MAX_RATIO) -> bytes:
    """Unpack gzip bytes within the limits (see :func:`unpacking`)."""
    return unpacking(io.BytesIO(data), limit, ratio).read()


def unpacking(
    packed: BinaryIO, limit: int = MAX_FILE_BYTES, ratio: int = MAX_RATIO
) -> io.BufferedReader:
    """A stream of gzip's unpacked bytes, refused (ImportFailure) once it unpacks past
    ``limit`` bytes or past ``ratio`` times the packed bytes read so far."""
    return io.BufferedReader(_Limited(packed, limit, ratio), 65536)


def _bounded(stream: BinaryIO, limit: int) -> bytes:
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise ImportFailure(too_large(limit))
    return data


def _root_name(head: bytes) -> bytes:
    """The start of an XML document as lower-case ASCII text, whatever its encoding."""
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or head[:2] in (b"<\x00", b"\x00<"):
        encoding = "utf-16" if head[:2] in (b"\xff\xfe", b"\xfe\xff") else None
        if encoding is None:
            encoding = "utf-16-le" if head[:1] == b"<" else "utf-16-be"
        text = head[: len(head) - len(head) % 2].decode(encoding, errors="ignore")
        return text.lower().encode("ascii", errors="ignore")
    return head.lower()


_COMMENT = re.compile(rb"<!--.*?-->", re.DOTALL)
_ELEMENT = re.compile(rb"<([a-z_][\w.-]*:)?([a-z_][\w.-]*)")


def _root(opening: bytes) -> bytes | None:
    """The local name of the root element (lower case), or None if it lies further on."""
    found = _ELEMENT.search(_COMMENT.sub(b"", opening))
    if found is None or b"<!--" in _COMMENT.sub(b"", opening)[: found.start()]:
        return None
    return found.group(2)


def too_large(limit: int) -> str:
    """Why a file past the file limit is refused, the same for a zip member or a gzip."""
    return f"larger than {_size(limit)} unpacked (the limit for one file): refused"


def _size(limit: int) -> str:
    mb = limit / (1024 * 1024)
    if mb >= 1:
        return f"{mb:.0f} MB"
    return f"{limit} bytes"


def read_activities(
    source: bytes | BinaryIO, name: str = "", limit: int = MAX_FILE_BYTES
) -> list[Activity]:
    """Every activity in one file (GPX, TCX, FIT, or any of them gzipped), read from bytes
    or a binary stream; refused (ImportFailure) past ``limit`` bytes unpacked."""
    raw: BinaryIO = io.BytesIO(source) if isinstance(source, bytes) else source
    stream: BinaryIO = io.BufferedReader(raw, SNIFF_BYTES)  # type: ignore[type-var]
    head = _peek(stream, 2)
    if head[:2] == b"\x1f\x8b":
        stream = unpacking(stream, limit)
    first = _peek(stream, 12)
    if len(first) >= 12 and first[8:12] == b".FIT":
        from kneecoach.importers.fit import read_fit

        return read_fit(_bounded(stream, min(MAX_FIT_BYTES, limit)))
    opening = _root_name(_peek(stream, SNIFF_BYTES))
    if opening.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        limited = io.BufferedReader(_Capped(stream, limit), 65536)
        root = _root(opening)
        if root is None:  # the root lies past a long prologue: go by the file's name
            suffix = name.lower().removesuffix(".gz").rsplit(".", 1)[-1] if "." in name else ""
            root = {"gpx": b"gpx", "tcx": b"trainingcenterdatabase"}.get(suffix, b"")
        gpx, tcx = root == b"gpx", root == b"trainingcenterdatabase"
        if gpx:
            from kneecoach.importers.gpx import read_gpx

            return read_gpx(limited)
        if tcx:
            from kneecoach.importers.tcx import read_tcx

            return read_tcx(limited)
        raise ImportFailure("XML, but neither GPX nor TCX")
    suffix = name.lower().removesuffix(".gz").rsplit(".", 1)[-1] if "." in name else ""
    what = f"a .{suffix} file" if suffix else "this file"
    raise ImportFailure(f"{what} is not GPX, TCX or FIT")


def _peek(stream: BinaryIO, size: int) -> bytes:
    """Up to ``size`` bytes from the start of a buffered stream, without consuming them
    (what one read of the underlying stream gave: enough to tell a format)."""
    peeked: bytes = stream.peek(size)  # type: ignore[attr-defined]
    return peeked[:size]


class _Capped(_Counted):
    """Refuses a stream past ``limit`` bytes (an unpacked GPX or TCX too large to be one)."""

    def __init__(self, inner: BinaryIO, limit: int) -> None:
        super().__init__(inner)
        self.limit = limit

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        size = super().readinto(buffer)
        if self.count > self.limit:
            raise ImportFailure(too_large(self.limit))
        return size
