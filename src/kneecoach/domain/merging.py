"""One person is in one activity at a time: files whose time ranges overlap substantially
are one activity, whatever sport, distance or format each names.

Each file's account of an activity is an :class:`Origin`. Two origins are the same activity
when they start within :data:`SAME_START_S` of each other, or when the time they share is at
least :data:`SHARED_FRACTION` of the shorter one. An activity keeps every origin; its
figures come from the richest (:func:`richness`: a device's FIT before TCX before GPX, a
device's distance before one worked out from GPS points), and its sport from the richest
origin that names one. Every choice is a total order over origins, so the result does not
depend on the order the files were imported in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from kneecoach.domain.activity import Activity, Sport

SAME_START_S = 120.0
"""Starts this close (seconds) are the same activity (kneecoach default)."""
SHARED_FRACTION = 0.8
"""Or this share of the shorter activity overlapped by the other (kneecoach default)."""
FORMAT_RANK = {"fit": 4, "tcx": 3, "strava": 2, "gpx": 1}
"""Richer first: a device's own file, then Garmin's TCX (laps, device distance), then
Strava's streams (the device's distance and every channel, no laps), then GPX."""


@dataclass(frozen=True, slots=True)
class Origin:
    """One file's account of an activity: enough to match it and to rank it."""

    name: str
    """The file's name as the person gave it (an archive's member as archive/path)."""
    format: str
    sport: Sport
    start: dt.datetime
    elapsed_s: float
    distance_m: float
    device_distance: bool
    samples: int
    title: str = ""
    """The activity's own name in the file ('Morning Run'), if it has one."""

    @property
    def end(self) -> dt.datetime:
        return self.start + dt.timedelta(seconds=max(self.elapsed_s, 0.0))

    @staticmethod
    def of(activity: Activity, name: str) -> Origin:
        return Origin(
            name=name,
            format=activity.format,
            sport=activity.sport,
            start=activity.start,
            elapsed_s=activity.elapsed_s,
            distance_m=activity.distance_m,
            device_distance=activity.device_distance,
            samples=len(activity.samples),
            title=activity.name,
        )


def same_activity(a: Origin, b: Origin) -> bool:
    """Starts within two minutes, or at least 80 % of the shorter one shared."""
    lead = (b.start - a.start).total_seconds()  # b's start, in seconds from a's
    if abs(lead) <= SAME_START_S:
        return True
    shorter = min(a.elapsed_s, b.elapsed_s)
    if shorter <= 0:
        return False
    # the time they share, in seconds from a's start (an import compares thousands)
    shared = min(max(a.elapsed_s, 0.0), lead + max(b.elapsed_s, 0.0)) - max(0.0, lead)
    return shared >= SHARED_FRACTION * shorter


def richness(origin: Origin) -> tuple[int, bool, int, float, float, float, str, str, str]:
    """Larger is richer: the format, then a device's distance, then more samples; the
    figures and the name only break ties, so the order is total. The start is compared as
    the instant it is, whatever time zone a file wrote it in."""
    return (
        FORMAT_RANK.get(origin.format, 0),
        origin.device_distance,
        origin.samples,
        origin.distance_m,
        origin.elapsed_s,
        origin.start.timestamp(),
        origin.sport.value,
        origin.title,
        origin.name,
    )


def richest(origins: Iterable[Origin]) -> Origin:
    return max(origins, key=richness)


def sport_of(origins: Iterable[Origin]) -> Sport:
    """The sport of the richest origin that names one; 'other' when none does."""
    named = [o for o in origins if o.sport is not Sport.OTHER]
    return richest(named).sport if named else Sport.OTHER


def title_of(origins: Iterable[Origin]) -> str:
    """The activity's name from the richest origin that has one."""
    named = [o for o in origins if o.title]
    return richest(named).title if named else ""


def in_order(origins: Iterable[Origin]) -> tuple[Origin, ...]:
    """Origins without repeats, in one order whatever order they came in."""
    return tuple(sorted(set(origins), key=lambda o: (o.start, o.name, richness(o))))


class Outcome(StrEnum):
    ADDED = "added"
    """A new activity."""
    MERGED = "merged"
    """Another file of an activity already kept."""
    ALREADY_KEPT = "already kept"
    """This very file's activity was kept before: nothing changes."""


@dataclass(frozen=True, slots=True)
class Merge:
    """What keeping one new origin does to the activities already kept."""

    outcome: Outcome
    keep: int | None
    """The id of the kept activity that now holds it (the oldest matched); None: a new one."""
    drop: tuple[int, ...]
    """Kept activities it joins to ``keep`` (they were one activity all along)."""
    origins: tuple[Origin, ...]
    """Every origin of the resulting activity, in :func:`in_order`."""
    richest: Origin
    """The origin whose figures the activity shows."""
    sport: Sport
    title: str


def merge(new: Origin, kept: Sequence[tuple[int, Sequence[Origin]]]) -> Merge:
    """Where ``new`` goes among ``kept`` (id and origins of each activity already kept;
    passing more than the ones near in time is fine). Every kept activity with an origin
    that is the same activity as ``new`` becomes one with it."""
    matched = [(i, tuple(o)) for i, o in kept if any(same_activity(new, x) for x in o)]
    if any(new in origins for _, origins in matched) and len(matched) == 1:
        return _resolved(Outcome.ALREADY_KEPT, matched[0][0], (), matched[0][1])
    everything = [new, *(o for _, origins in matched for o in origins)]
    ids = sorted(i for i, _ in matched)
    outcome = Outcome.MERGED if matched else Outcome.ADDED
    return _resolved(outcome, ids[0] if ids else None, tuple(ids[1:]), everything)


def _resolved(
    outcome: Outcome, keep: int | None, drop: tuple[int, ...], origins: Iterable[Origin]
) -> Merge:
    """The merge of ``origins``: what :func:`in_order`, :func:`richest`, :func:`sport_of`
    and :func:`title_of` give, each origin ranked once (an import merges thousands)."""
    # each origin hashed once and ranked once; the rank holds every field of an origin, so
    # two origins of one rank are the same and sorting by it alone is a total order
    ranked = [(richness(o), o) for o in dict.fromkeys(origins)]
    ordered = tuple(o for _, o in sorted(ranked, key=lambda r: (r[1].start, r[1].name, r[0])))
    by_rank = [o for _, o in sorted(ranked, key=lambda r: r[0], reverse=True)]
    sport = next((o.sport for o in by_rank if o.sport is not Sport.OTHER), Sport.OTHER)
    title = next((o.title for o in by_rank if o.title), "")
    return Merge(outcome, keep, drop, ordered, by_rank[0], sport, title)


@dataclass(frozen=True, slots=True)
class Revision:
    """An activity after one of its origins changed or went: the origins left (none: the
    activity goes), and the sport and name they give by the merge rule."""

    origins: tuple[Origin, ...]
    sport: Sport
    title: str

    @property
    def gone(self) -> bool:
        return not self.origins


def _revised(origins: Iterable[Origin]) -> Revision:
    left = in_order(origins)
    if not left:
        return Revision((), Sport.OTHER, "")
    return Revision(left, sport_of(left), title_of(left))


def without(origins: Sequence[Origin], name: str) -> Revision | None:
    """The activity once the origin called ``name`` is gone (a service deleted its copy):
    it stays while another file holds it, with the sport and name the rest give; its
    figures stay those kept (only the richest origin's samples are kept). None when no
    origin has that name."""
    if not any(o.name == name for o in origins):
        return None
    return _revised(o for o in origins if o.name != name)


def edited(
    origins: Sequence[Origin], name: str, *, title: str | None = None, sport: Sport | None = None
) -> Revision | None:
    """The activity once the origin called ``name`` is renamed or given another sport where
    it came from (an edit on Strava): that origin changes and the activity's sport and name
    follow the merge rule (:func:`sport_of`, :func:`title_of`), as if the file had said so
    from the start. None when no origin has that name."""
    if not any(o.name == name for o in origins):
        return None
    changed = []
    for origin in origins:
        if origin.name == name:
            if title is not None:
                origin = replace(origin, title=title)
            if sport is not None:
                origin = replace(origin, sport=sport)
        changed.append(origin)
    return _revised(changed)
