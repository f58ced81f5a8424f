"""GPX 1.0 and 1.1, with Garmin's TrackPointExtension heart rate and cadence."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np

from kneecoach.domain.activity import Activity, Samples, Sport, summarise
from kneecoach.importers.errors import ImportFailure
from kneecoach.importers.xml import child_text, elements, number, timestamp

POINT_TAGS = {"trkpt", "rtept"}


def read_gpx(data: bytes) -> list[Activity]:
    """One activity per track (or route) with timed points."""
    activities: list[Activity] = []
    columns: list[list[float]] = [[] for _ in range(7)]
    for local, element in elements(data, {"trkpt", "rtept", "trk", "rte"}):
        if local in POINT_TAGS:
            columns[0].append(timestamp(child_text(element, "time")))
            columns[1].append(number(element.get("lat")))
            columns[2].append(number(element.get("lon")))
            columns[3].append(number(child_text(element, "ele")))
            columns[4].append(number(child_text(element, "hr")))
            cadence = child_text(element, "cad") or child_text(element, "cadence")
            columns[5].append(number(cadence))
            columns[6].append(number(child_text(element, "speed")))
            continue
        name = _own_text(element, "name") or ""
        sport = Sport.parse(_own_text(element, "type")) if _own_text(element, "type") else Sport.RUN
        activity = _activity(columns, sport, name)
        if activity is not None:
            activities.append(activity)
        columns = [[] for _ in range(7)]
        element.clear()
    if not activities:
        raise ImportFailure("no timed track points: nothing to import")
    return activities


def _own_text(element: object, name: str) -> str | None:
    for child in element:  # type: ignore[attr-defined]
        tag = child.tag
        if isinstance(tag, str) and tag.rpartition("}")[2] == name and child.text:
            return str(child.text).strip()
    return None


def _activity(columns: list[list[float]], sport: Sport, name: str) -> Activity | None:
    times = np.array(columns[0], dtype=np.float64)
    if times.shape[0] == 0 or np.isnan(times).all():
        return None
    keep = ~np.isnan(times)
    arrays = [np.array(c, dtype=np.float64)[keep] for c in columns]
    order = np.argsort(arrays[0], kind="stable")
    arrays = [a[order] for a in arrays]
    start = float(arrays[0][0])
    nothing = np.full(arrays[0].shape[0], math.nan)
    samples = Samples(
        seconds=arrays[0] - start,
        latitude=arrays[1],
        longitude=arrays[2],
        altitude=arrays[3],
        distance=nothing,
        heart_rate=arrays[4],
        cadence=arrays[5],
        speed=arrays[6],
    )
    return summarise(sport, dt.datetime.fromtimestamp(start, dt.UTC), samples, name=name)
