"""Garmin Training Center XML (TCX): activities, laps and trackpoints, read as a stream
(each trackpoint's values into compact arrays, the element freed as read)."""

from __future__ import annotations

import datetime as dt
import io
import math
from array import array
from typing import TYPE_CHECKING, BinaryIO

import numpy as np

from kneecoach.domain.activity import Activity, Lap, Samples, Sport, summarise
from kneecoach.domain.sports import from_word
from kneecoach.importers.errors import ImportFailure
from kneecoach.importers.xml import elements, number, texts, timestamp

if TYPE_CHECKING:
    from lxml.etree import _Element


def _columns() -> list[array[float]]:
    return [array("d") for _ in range(8)]


def read_tcx(source: bytes | BinaryIO) -> list[Activity]:
    """One activity per <Activity>; treadmill runs keep the device's distance."""
    stream = io.BytesIO(source) if isinstance(source, bytes) else source
    activities: list[Activity] = []
    columns = _columns()
    laps: list[Lap] = []
    for local, element in elements(stream, {"Trackpoint", "Lap", "Activity"}):
        if local == "Trackpoint":
            found = texts(element)
            columns[0].append(timestamp(found.get("Time")))
            columns[1].append(number(found.get("LatitudeDegrees")))
            columns[2].append(number(found.get("LongitudeDegrees")))
            columns[3].append(number(found.get("AltitudeMeters")))
            columns[4].append(number(found.get("DistanceMeters")))
            columns[5].append(number(found.get("Value")))
            columns[6].append(number(found.get("Cadence") or found.get("RunCadence")))
            columns[7].append(number(found.get("Speed")))
        elif local == "Lap":
            start = timestamp(element.get("StartTime"))
            if not math.isnan(start):
                laps.append(
                    Lap(
                        dt.datetime.fromtimestamp(start, dt.UTC),
                        _nan_to_zero(number(_direct(element, "TotalTimeSeconds"))),
                        _nan_to_zero(number(_direct(element, "DistanceMeters"))),
                    )
                )
        else:
            activity = _activity(columns, from_word(element.get("Sport")), tuple(laps))
            if activity is not None:
                activities.append(activity)
            columns = _columns()
            laps = []
    if not activities:
        raise ImportFailure("no activity with timed trackpoints or laps: nothing to import")
    return activities


def _direct(element: _Element, name: str) -> str | None:
    for child in element:
        tag = child.tag
        if isinstance(tag, str) and tag.rpartition("}")[2] == name and child.text:
            return str(child.text).strip()
    return None


def _nan_to_zero(value: float) -> float:
    return 0.0 if math.isnan(value) else value


def _activity(columns: list[array[float]], sport: Sport, laps: tuple[Lap, ...]) -> Activity | None:
    times = np.frombuffer(columns[0], dtype=np.float64) if columns[0] else np.zeros(0)
    keep = ~np.isnan(times) if times.shape[0] else np.zeros(0, dtype=bool)
    if not keep.any():
        if not laps:
            return None
        total_time = sum(lap.elapsed_s for lap in laps)
        total_distance = sum(lap.distance_m for lap in laps)
        return summarise(
            sport,
            laps[0].start,
            Samples.empty(),
            laps=laps,
            elapsed_s=total_time,
            distance_m=total_distance,
            format="tcx",
        )
    arrays = [np.frombuffer(c, dtype=np.float64)[keep] for c in columns]
    order = np.argsort(arrays[0], kind="stable")
    arrays = [a[order] for a in arrays]
    start = float(arrays[0][0])
    samples = Samples(
        seconds=arrays[0] - start,
        latitude=arrays[1],
        longitude=arrays[2],
        altitude=arrays[3],
        distance=arrays[4],
        heart_rate=arrays[5],
        cadence=arrays[6],
        speed=arrays[7],
    )
    lap_distance = sum(lap.distance_m for lap in laps) if laps else 0.0
    return summarise(
        sport,
        dt.datetime.fromtimestamp(start, dt.UTC),
        samples,
        laps=laps,
        distance_m=lap_distance if lap_distance > 0 else None,  # the device's total wins
        format="tcx",
    )
