"""GPX 1.0 and 1.1, with Garmin's TrackPointExtension heart rate and cadence.

The document is parsed once (safely: no DTD, no entities, no network) and every channel of
a track is pulled out with one XPath query in C, then converted by numpy; only a channel
that some points lack is read point by point.
"""

from __future__ import annotations

import datetime as dt
import math
import warnings
from typing import TYPE_CHECKING, cast

import numpy as np

from kneecoach.domain.activity import Activity, Floats, Samples, Sport, summarise
from kneecoach.importers.errors import ImportFailure
from kneecoach.importers.xml import number, refuse_dtd, timestamp

if TYPE_CHECKING:
    from lxml.etree import _Element

EXTENSION = {"hr": ("hr",), "cad": ("cad", "cadence"), "speed": ("speed",)}


class _Paths:
    """XPath expressions for one document: namespace-aware where GPX's own elements are
    concerned (fast), by local name only inside <extensions> (vendors' namespaces vary)."""

    def __init__(self, root: _Element) -> None:
        namespace = root.nsmap.get(None)
        self.namespaces = {"g": namespace} if namespace else {}
        self.g = "g:" if namespace else ""

    def points(self, kind: str) -> str:
        g = self.g
        return f"{g}trkseg/{g}trkpt" if kind == "trk" else f"{g}rtept"

    def child(self, name: str) -> tuple[str, ...]:
        """Where a channel sits below a point: its own child, or one or two levels inside
        <extensions> (Garmin's TrackPointExtension, or a plain vendor element)."""
        if name in EXTENSION:
            names = " or ".join(f'local-name()="{n}"' for n in EXTENSION[name])
            return (f"{self.g}extensions/*/*[{names}]", f"{self.g}extensions/*[{names}]")
        return (f"{self.g}{name}",)

    def under(self, where: str, name: str) -> str:
        return " | ".join(f"{where}/{child}/text()" for child in self.child(name))

    def own(self, name: str) -> str:
        return "string(" + " | ".join(self.child(name)) + ")"


def _parse(data: bytes) -> _Element:
    from lxml import etree

    refuse_dtd(data)
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        return etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as error:
        raise ImportFailure(f"not well-formed XML: {error.msg}") from None


def read_gpx(data: bytes) -> list[Activity]:
    """One activity per track (or route) with timed points."""
    root = _parse(data)
    paths = _Paths(root)
    activities = []
    tracks: list[_Element] = root.xpath(f"{paths.g}trk|{paths.g}rte", namespaces=paths.namespaces)
    for track in tracks:
        tag = cast(str, track.tag)  # a parsed element's tag is always text
        kind = tag[tag.rfind("}") + 1 :]
        activity = _track(track, paths, paths.points(kind))
        if activity is not None:
            activities.append(activity)
    if not activities:
        raise ImportFailure("no timed track points: nothing to import")
    return activities


def _text_of(track: _Element, paths: _Paths, name: str) -> str | None:
    found = track.xpath(f"string({paths.g}{name})", namespaces=paths.namespaces)
    return str(found).strip() or None


def _column(
    track: _Element, paths: _Paths, where: str, points: list[_Element], name: str
) -> Floats:
    """One channel for every point: all at once when every point has it, else one by one."""
    values: list[str] = track.xpath(paths.under(where, name), namespaces=paths.namespaces)
    if len(values) == len(points):
        try:
            return np.array(values, dtype=np.float64)
        except ValueError:
            pass
    if not values:
        return np.full(len(points), math.nan)
    return np.array(
        [
            number(str(p.xpath(paths.own(name), namespaces=paths.namespaces)) or None)
            for p in points
        ],
        dtype=np.float64,
    )


def _times(track: _Element, paths: _Paths, where: str, points: list[_Element]) -> Floats:
    values: list[str] = track.xpath(paths.under(where, "time"), namespaces=paths.namespaces)
    if len(values) == len(points) and all(len(v) == 20 and v[-1] == "Z" for v in values[:50]):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                stamps = np.array([v[:-1] for v in values], dtype="datetime64[ms]")
            return stamps.astype(np.int64).astype(np.float64) / 1000.0
        except (ValueError, Warning):
            pass
    return np.array(
        [
            timestamp(str(p.xpath(paths.own("time"), namespaces=paths.namespaces)) or None)
            for p in points
        ],
        dtype=np.float64,
    )


def _track(track: _Element, paths: _Paths, where: str) -> Activity | None:
    points: list[_Element] = track.xpath(where, namespaces=paths.namespaces)
    if not points:
        return None
    times = _times(track, paths, where, points)
    keep = ~np.isnan(times)
    if not keep.any():
        return None
    lat = np.array([number(p.get("lat")) for p in points], dtype=np.float64)
    lon = np.array([number(p.get("lon")) for p in points], dtype=np.float64)
    channels = [times, lat, lon] + [
        _column(track, paths, where, points, n) for n in ("ele", "hr", "cad", "speed")
    ]
    channels = [c[keep] for c in channels]
    order = np.argsort(channels[0], kind="stable")
    channels = [c[order] for c in channels]
    start = float(channels[0][0])
    kind = _text_of(track, paths, "type")
    samples = Samples(
        seconds=channels[0] - start,
        latitude=channels[1],
        longitude=channels[2],
        altitude=channels[3],
        distance=np.full(channels[0].shape[0], math.nan),
        heart_rate=channels[4],
        cadence=channels[5],
        speed=channels[6],
    )
    return summarise(
        Sport.parse(kind) if kind else Sport.RUN,
        dt.datetime.fromtimestamp(start, dt.UTC),
        samples,
        name=_text_of(track, paths, "name") or "",
    )
