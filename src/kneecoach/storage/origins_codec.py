"""An activity's origins (each file's account of it) as JSON, and back."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kneecoach.domain.activity import Sport
from kneecoach.domain.merging import FORMAT_RANK, Origin


def origin_out(origin: Origin) -> dict[str, Any]:
    return {
        "name": origin.name,
        "format": origin.format,
        "sport": origin.sport.value,
        "start": origin.start.astimezone(dt.UTC).isoformat(),
        "elapsed_s": origin.elapsed_s,
        "distance_m": origin.distance_m,
        "device_distance": origin.device_distance,
        "samples": origin.samples,
        "title": origin.title,
    }


def origin_in(raw: dict[str, Any]) -> Origin:
    """An origin from its JSON; a ValueError, KeyError or TypeError if it is not one."""
    start = dt.datetime.fromisoformat(str(raw["start"]))
    return Origin(
        name=str(raw["name"]),
        format=str(raw["format"]),
        sport=Sport(raw["sport"]),
        start=(start if start.tzinfo else start.replace(tzinfo=dt.UTC)).astimezone(dt.UTC),
        elapsed_s=float(raw["elapsed_s"]),
        distance_m=float(raw["distance_m"]),
        device_distance=bool(raw["device_distance"]),
        samples=int(raw["samples"]),
        title=str(raw.get("title", "")),
    )


def format_of(name: str) -> str:
    """The format a file's name says ('run.fit.gz' -> 'fit'); '' when it names none."""
    stem = name.lower().removesuffix(".gz")
    suffix = stem.rsplit(".", 1)[-1] if "." in stem else ""
    return suffix if suffix in FORMAT_RANK else ""


def legacy_origins(
    sources: list[str],
    sport: str,
    start: dt.datetime,
    elapsed_s: float,
    distance_m: float,
    samples: int,
    title: str,
) -> list[dict[str, Any]]:
    """Origins for an activity kept before origins were (its sources' names, its own
    figures): each file's format from its name, a device distance unless it was a GPX."""
    moment = start if start.tzinfo else start.replace(tzinfo=dt.UTC)
    return [
        origin_out(
            Origin(
                name=name,
                format=format_of(name),
                sport=Sport(sport),
                start=moment.astimezone(dt.UTC),
                elapsed_s=elapsed_s,
                distance_m=distance_m,
                device_distance=format_of(name) in ("fit", "tcx"),
                samples=samples,
                title=title,
            )
        )
        for name in sources
    ]
