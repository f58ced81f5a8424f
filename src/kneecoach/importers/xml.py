"""Safe, fast XML reading for GPX and TCX: no DTDs, no entities, no network."""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Iterator
from typing import TYPE_CHECKING, cast

from kneecoach.importers.errors import ImportFailure

if TYPE_CHECKING:
    from lxml.etree import _Element

FORBIDDEN = (b"<!DOCTYPE", b"<!ENTITY")


def refuse_dtd(data: bytes) -> None:
    """Refuse any document type declaration or entity: activity files never need one, and
    they are how XML bombs and external-entity attacks get in."""
    head = data[:65536].upper()
    if any(marker.upper() in head for marker in FORBIDDEN):
        raise ImportFailure("XML with a DTD or entity declarations is refused")


def parser(data: bytes, tags: set[str]) -> Iterator[tuple[str, _Element]]:
    """An iterparse over ``data`` that raises events only for ``tags``, safely configured."""
    from lxml import etree

    refuse_dtd(data)
    return etree.iterparse(
        io.BytesIO(data),
        events=("end",),
        tag=[f"{{*}}{tag}" for tag in tags],
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def release(element: _Element) -> None:
    """Free a finished element and the siblings before it: flat memory on long tracks."""
    element.clear(keep_tail=False)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def elements(data: bytes, tags: set[str]) -> Iterator[tuple[str, _Element]]:
    """Yield (local name, element) for each finished element named in ``tags``.

    Only those elements raise events (the parser filters by tag in C); each is freed once
    the caller is done with it, together with the siblings before it, so memory stays flat
    on long tracks.
    """
    from lxml import etree

    try:
        for _, element in parser(data, tags):
            tag = cast(str, element.tag)  # a parsed element's tag is always text
            yield tag[tag.rfind("}") + 1 :], element
            release(element)
    except etree.XMLSyntaxError as error:
        raise ImportFailure(f"not well-formed XML: {error.msg}") from None


def texts(element: _Element) -> dict[str, str]:
    """Local name -> text of every element inside ``element`` (one pass)."""
    found: dict[str, str] = {}
    for child in element.iter():
        tag = child.tag
        if isinstance(tag, str) and child.text:
            found[tag[tag.rfind("}") + 1 :]] = child.text
    return found


def number(text: str | None) -> float:
    if not text:
        return math.nan
    try:
        return float(text)
    except ValueError:
        return math.nan


_DAYS: dict[str, float] = {}


def timestamp(text: str | None) -> float:
    """Seconds since the epoch of an ISO 8601 time (UTC when no zone is given); NaN if absent.

    The usual 'YYYY-MM-DDTHH:MM:SS[.fff]Z' is read without datetime, the day cached, since a
    track has thousands of points on one day.
    """
    if not text:
        return float("nan")
    text = text.strip()
    if len(text) >= 20 and text[10] == "T" and text[-1] in "Zz" and text[13] == ":":
        day = _DAYS.get(text[:10])
        if day is None:
            try:
                day = dt.datetime.fromisoformat(text[:10]).replace(tzinfo=dt.UTC).timestamp()
            except ValueError:
                return float("nan")
            _DAYS[text[:10]] = day
        try:
            return day + int(text[11:13]) * 3600 + int(text[14:16]) * 60 + float(text[17:-1])
        except ValueError:
            pass
    try:
        moment = dt.datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        return float("nan")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.timestamp()
