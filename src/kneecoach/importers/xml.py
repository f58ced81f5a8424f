"""Safe, fast XML reading for GPX and TCX: no DTDs, no entities, no network."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

from kneecoach.importers.errors import ImportFailure

FORBIDDEN = (b"<!DOCTYPE", b"<!ENTITY")


def refuse_dtd(data: bytes) -> None:
    """Refuse any document type declaration or entity: activity files never need one, and
    they are how XML bombs and external-entity attacks get in."""
    head = data[:65536].upper()
    if any(marker.upper() in head for marker in FORBIDDEN):
        raise ImportFailure("XML with a DTD or entity declarations is refused")


def elements(data: bytes, tags: set[str]) -> Iterator[Any]:
    """Yield each finished element whose local name is in ``tags``, then free it."""
    from lxml import etree

    refuse_dtd(data)
    context = etree.iterparse(
        io.BytesIO(data),
        events=("end",),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        for _, element in context:
            tag = element.tag
            if not isinstance(tag, str):
                continue
            local = tag.rpartition("}")[2]
            if local in tags:
                yield local, element
                if local not in ("trk", "Activity", "Lap"):
                    element.clear(keep_tail=False)
    except etree.XMLSyntaxError as error:
        raise ImportFailure(f"not well-formed XML: {error.msg}") from None


def child_text(element: Any, name: str) -> str | None:
    for child in element.iter():
        tag = child.tag
        if isinstance(tag, str) and tag.rpartition("}")[2] == name and child.text:
            return str(child.text).strip()
    return None


def number(text: str | None) -> float:
    if text is None:
        return float("nan")
    try:
        return float(text)
    except ValueError:
        return float("nan")


def timestamp(text: str | None) -> float:
    """Seconds since the epoch of an ISO 8601 time (UTC when no zone is given); NaN if absent."""
    if not text:
        return float("nan")
    try:
        moment = dt.datetime.fromisoformat(text.strip().replace("z", "Z"))
    except ValueError:
        return float("nan")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.timestamp()
