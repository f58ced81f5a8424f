"""Uploads streamed to disk: a multipart body written, in chunks as it arrives, to a folder
of its own under the jobs directory (never the system's temporary folder, never whole in
memory), each file under the name its sender gave it, with a limit on the bytes taken. A
refused or broken upload leaves nothing behind."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path, PureWindowsPath
from typing import Any, BinaryIO, TypeVar

from python_multipart import MultipartParser
from python_multipart.multipart import MultipartState, parse_options_header
from starlette.concurrency import run_in_threadpool

from kneecoach.domain.digits import ascii_digits
from kneecoach.services.ports import JobInput

CHUNK_BYTES = 1024 * 1024
"""Bytes gathered before they are handed to a thread to parse and write: the event loop
only receives."""
FIELD_BYTES = 64 * 1024
"""A form field's text (the CSRF token), and all of them together, are at most this long."""
MAX_FILES = 1000
"""Files in one upload (an export zip counts as one): past it the upload is refused as it
arrives, before any more is written."""
OVERHEAD_BYTES = 1024 * 1024
"""What a multipart body may hold beyond its files' bytes (boundaries, headers, fields)."""


F = TypeVar("F", bound=Callable[..., Any])


def streams_upload(route: F) -> F:
    """Mark a route that is a coroutine so it can receive a body as it streams: it awaits
    the body and hands every file write and database call to the thread pool, so the
    event loop never waits on them (tests/web/test_event_loop.py reads the mark)."""
    route.streams_upload = True  # type: ignore[attr-defined]
    return route


class UploadTooLarge(Exception):
    """More bytes than the upload limit."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"the upload is larger than the limit of {size_text(limit)}")


class BadUpload(Exception):
    """A body that is not a readable multipart form."""


def size_text(size: int) -> str:
    for unit, factor in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= factor:
            return f"{size / factor:g} {unit}"
    return f"{size} bytes"


def given_name(filename: str, number: int) -> str:
    """The file's own name as its sender gave it (a browser's C:\\… path cut to the name)."""
    name = PureWindowsPath(filename.replace("\0", "")).name.strip()
    return name or f"upload-{number}"


def _disk_name(name: str, number: int) -> str:
    """The name on disk: no separators, and at most 120 bytes (file systems count bytes,
    and a name in emoji is four bytes a character)."""
    safe = name.replace("/", "_").replace("\\", "_").encode()[:120].decode("utf-8", "ignore")
    return safe if safe not in ("", ".", "..") else f"upload-{number}"


@dataclass
class Received:
    """An upload on disk: its folder (under the jobs directory), its files by the names
    given, and its text fields."""

    root: Path
    folder: str
    files: list[JobInput] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)

    def remove(self) -> None:
        shutil.rmtree(self.root / self.folder, ignore_errors=True)


class _Writer:
    """The parser's callbacks: each file part to its own file, text parts kept."""

    def __init__(self, received: Received, file_field: str, limit: int) -> None:
        self.received = received
        self.file_field = file_field
        self.limit = limit
        self.written = 0
        self.header_field = b""
        self.header_value = b""
        self.headers: dict[bytes, bytes] = {}
        self.out: BinaryIO | None = None
        self.text: bytearray | None = None
        self.text_name = ""
        self.text_bytes = 0

    def on_part_begin(self) -> None:
        self.headers = {}

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self.header_field += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self.header_value += data[start:end]

    def on_header_end(self) -> None:
        self.headers[self.header_field.strip().lower()] = self.header_value.strip()
        self.header_field = self.header_value = b""

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self.headers.get(b"content-disposition", b""))
        name = options.get(b"name", b"").decode("utf-8", "replace")
        if b"filename" in options:
            if name != self.file_field:
                raise BadUpload(f"unexpected file field '{name[:40]}'")
            number = len(self.received.files) + 1
            if number > MAX_FILES:
                raise BadUpload(f"files: at most {MAX_FILES} in one upload")
            given = given_name(options[b"filename"].decode("utf-8", "replace"), number)
            relative = f"{number:04d}/{_disk_name(given, number)}"
            path = self.received.root / self.received.folder / relative
            path.parent.mkdir(parents=True)
            self.out = path.open("wb")
            self.received.files.append(JobInput(given, relative))
        else:
            self.text, self.text_name = bytearray(), name

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self.out is not None:
            self.written += end - start
            if self.written > self.limit:
                raise UploadTooLarge(self.limit)
            self.out.write(data[start:end])
        elif self.text is not None:
            self.text += data[start:end]
            self.text_bytes += end - start
            if len(self.text) > FIELD_BYTES or self.text_bytes > FIELD_BYTES:
                raise BadUpload(f"the field '{self.text_name[:40]}' is too long")

    def on_part_end(self) -> None:
        if self.out is not None:
            self.out.close()
            self.out = None
        elif self.text is not None:
            self.received.fields[self.text_name] = self.text.decode("utf-8", "replace")
            self.text = None

    def close(self) -> None:
        if self.out is not None:
            self.out.close()


async def receive_upload(
    stream: AsyncIterator[bytes],
    content_type: str,
    content_length: str | None,
    root: Path,
    limit: int,
    file_field: str = "files",
) -> Received:
    """Write a multipart body's files to a new folder under ``root`` as it arrives; the
    folder is removed if the upload is refused (UploadTooLarge, BadUpload) or broken off."""
    kind, options = parse_options_header(content_type)
    boundary = options.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise BadUpload("the upload must be sent as multipart/form-data")
    if (
        content_length
        and ascii_digits(content_length)
        and int(content_length) > limit + OVERHEAD_BYTES
    ):
        raise UploadTooLarge(limit)
    received = Received(root, f"upload-{uuid.uuid4().hex}")
    writer = _Writer(received, file_field, limit)
    callbacks = {
        name: getattr(writer, name)
        for name in (
            "on_part_begin",
            "on_header_field",
            "on_header_value",
            "on_header_end",
            "on_headers_finished",
            "on_part_data",
            "on_part_end",
        )
    }
    try:
        parser = MultipartParser(boundary, callbacks)  # type: ignore[arg-type]
    except Exception as error:  # a boundary no browser sends (too long)
        raise BadUpload(f"the upload is not a readable form: {error}") from None
    (root / received.folder).mkdir(parents=True)
    try:
        pending = bytearray()
        async for chunk in stream:
            pending += chunk
            if len(pending) >= CHUNK_BYTES:
                await run_in_threadpool(parser.write, bytes(pending))
                pending.clear()
        if pending:
            await run_in_threadpool(parser.write, bytes(pending))
        parser.finalize()
        if parser.state != MultipartState.END:
            raise BadUpload("the upload was cut short: its last part never ended")
        writer.close()
    except BaseException as error:
        writer.close()
        received.remove()
        if isinstance(error, (UploadTooLarge, BadUpload)):
            raise
        if isinstance(error, Exception) and type(error).__module__.startswith("python_multipart"):
            raise BadUpload(f"the upload is not a readable form: {error}") from None
        raise
    return received
