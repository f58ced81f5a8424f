"""GPX 1.0 and 1.1, with Garmin's TrackPointExtension heart rate and cadence.

Read as a stream (safely: no DTD, no entities, no network): each point's values go into
compact arrays as it is read and the point is freed, so memory follows the number of points
(8 bytes a value), never the size of the document. The sport comes from the track's
``<type>``, in Garmin's words or Strava's numbers (domain.sports).
"""

from __future__ import annotations

import datetime as dt
import io
import math
from array import array
from typing import TYPE_CHECKING, BinaryIO

import numpy as np

from kneecoach.domain.activity import Activity, Samples, Sport, summarise
from kneecoach.domain.sports import from_word
from kneecoach.importers.errors import ImportFailure
from kneecoach.importers.xml import elements, number, texts, timestamp

if TYPE_CHECKING:
    from lxml.etree import _Element

CHANNELS = 7
"""time, latitude, longitude, elevation, heart rate, cadence, speed."""


def _columns() -> list[array[float]]:
    return [array("d") for _ in range(CHANNELS)]


def read_gpx(source: bytes | BinaryIO) -> list[Activity]:
    """One activity per track (or route) with timed points."""
    stream = io.BytesIO(source) if isinstance(source, bytes) else source
    activities: list[Activity] = []
    columns = _columns()
    for local, element in elements(stream, {"trkpt", "rtept", "trk", "rte"}):
        if local in ("trkpt", "rtept"):
            found = texts(element)
            columns[0].append(timestamp(found.get("time")))
            columns[1].append(number(element.get("lat")))
            columns[2].append(number(element.get("lon")))
            columns[3].append(number(found.get("ele")))
            columns[4].append(number(found.get("hr")))
            columns[5].append(number(found.get("cad") or found.get("cadence")))
            columns[6].append(number(found.get("speed")))
        else:
            activity = _track(columns, _direct(element, "type"), _direct(element, "name"))
            if activity is not None:
                activities.append(activity)
            columns = _columns()
    if not activities:
        raise ImportFailure("no timed track points: nothing to import")
    return activities


def _direct(element: _Element, name: str) -> str | None:
    for child in element:
        tag = child.tag
        if isinstance(tag, str) and tag.rpartition("}")[2] == name and child.text:
            return str(child.text).strip() or None
    return None


def _track(columns: list[array[float]], kind: str | None, name: str | None) -> Activity | None:
    times = np.frombuffer(columns[0], dtype=np.float64) if columns[0] else np.zeros(0)
    keep = ~np.isnan(times)
    if not keep.any():
        return None
    order = np.argsort(times[keep], kind="stable")
    channels = []
    for index in range(CHANNELS):  # one channel at a time, each array freed once copied
        channels.append(np.frombuffer(columns[index], dtype=np.float64)[keep][order])
        columns[index] = array("d")
    del times
    start = float(channels[0][0])
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
        from_word(kind) if kind else Sport.RUN,
        dt.datetime.fromtimestamp(start, dt.UTC),
        samples,
        name=name or "",
        format="gpx",
    )
