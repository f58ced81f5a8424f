"""Safe, fast XML reading for GPX and TCX: no DTDs, no entities, no network."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from typing import TYPE_CHECKING, BinaryIO, cast

from kneecoach.importers.errors import ImportFailure

if TYPE_CHECKING:
    from lxml import etree
    from lxml.etree import _Element

REFUSED = "XML with a DTD or entity declarations is refused"


def refuse_dtd(element: _Element) -> None:
    """Refuse a document with any document type declaration: activity files never need one,
    and it is how XML bombs and external-entity attacks get in. Read from the parsed
    document, so it holds whatever the encoding (UTF-16 too) and wherever the declaration
    sits (after a long comment too)."""
    info = element.getroottree().docinfo
    if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
        raise ImportFailure(REFUSED)


def parser(source: BinaryIO, tags: set[str]) -> etree.iterparse[tuple[str, _Element]]:
    """An iterparse over ``source`` raising events only for ``tags``, safely configured: no
    DTD loaded, no entity expanded, no network, no huge text nodes."""
    from lxml import etree

    return etree.iterparse(
        source,
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


def elements(source: BinaryIO, tags: set[str]) -> Iterator[tuple[str, _Element]]:
    """Yield (local name, element) for each finished element named in ``tags``, read as a
    stream.

    Only those elements raise events (the parser filters by tag in C); each is freed once
    the caller is done with it, together with the siblings before it, so memory stays flat
    however long the file. The document type is checked at the first event (it can only
    come before the root element) and at the end.
    """
    from lxml import etree

    events = parser(source, tags | BULKY)
    checked = False
    try:
        for _, element in events:
            if not checked:
                refuse_dtd(element)
                checked = True
            tag = cast(str, element.tag)  # a parsed element's tag is always text
            local = tag[tag.rfind("}") + 1 :]
            if local in tags:
                yield local, element
            release(element)
        if not checked and events.root is not None:
            refuse_dtd(events.root)
    except etree.XMLSyntaxError as error:
        raise ImportFailure(f"not well-formed XML: {error.msg}") from None


BULKY = frozenset({"wpt", "metadata"})
"""Elements beside the tracks that are freed as read, though never used."""


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
