"""Back in the race: a knee-gated build-up from where the runner is to a race date.

Pure: the goal, the week-by-week plan and its adaptation are worked out from numbers passed
in (the starting weekly distance, the runs judged, the pause) and the day they are asked
about; nothing here reads a clock or a store.

The limits (evidence.md §12): every week at most +30 % over the one before (Nielsen 2014;
the 10 % rule did not prevent injuries, Buist 2008), a two-week taper cutting the volume by
about 41-60 % (Bosquet 2007). The build rate below 30 %, the down weeks, the weekly distance
a race needs, runs per week and the long run's share are kneecoach defaults.

Distances are worked in tenths of a kilometre (whole numbers), rounded down when built up
and up when eased off, so no rounding can push a week over the limit.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from kneecoach.domain.advice import Advice
from kneecoach.domain.digits import ascii_digits
from kneecoach.domain.errors import InvalidInput
from kneecoach.domain.evidence import (
    BOSQUET_2007,
    BUIST_2008,
    CLINICIAN,
    NIELSEN_2014,
    PRODUCT_DEFAULT,
    Source,
)
from kneecoach.domain.pain import MODEL, Band, PainVerdict, check_pain, judge_session

NAMED_DISTANCES: dict[str, float] = {
    "5k": 5000.0,
    "10k": 10000.0,
    "21.1k": 21097.5,
    "42.2k": 42195.0,
}
"""The race distances by name: 5 km, 10 km, the half marathon and the marathon."""

DISTANCE_NAMES: dict[float, str] = {
    5000.0: "5 km",
    10000.0: "10 km",
    21097.5: "half marathon",
    42195.0: "marathon",
}

MIN_RACE_M = 1000.0
MAX_RACE_M = 100000.0
"""kneecoach default: races from 1 km to 100 km are planned; longer ones need a coach."""

MAX_WEEKLY_RISE = 0.30
"""A week is never more than 30 % over the one before (Nielsen 2014, evidence.md §12)."""

BUILD_RATE = 0.20
"""kneecoach default: a building week adds 20 %, below the 30 % limit."""

DOWN_EVERY = 4
"""kneecoach default: every fourth week is a down week (three up, one down)."""

DOWN_SHARE = 0.8
"""kneecoach default: a down week runs 80 % of the level built; the week after returns to
the level (+25 %, inside the limit) without building further."""

TAPER_WEEKS = 2
TAPER_SHARES = (0.7, 0.4)
"""The two taper weeks run 70 % then 40 % of the peak (the race not counted): 45 % less on
average, inside Bosquet 2007's 41-60 %."""

LONG_RUN_SHARE = 0.4
"""kneecoach default: the long run is 40 % of the week's distance."""

MIN_START_KM = 1.0
"""kneecoach default: a build-up starts from at least 1 km a week of running."""

MAX_WEEKS_LOOKED_AHEAD = 156
"""How far ahead the earliest race date is looked for (three years)."""

MAX_DAYS_AHEAD = (MAX_WEEKS_LOOKED_AHEAD + 2) * 7
"""kneecoach default: a race goal is at most this far ahead (about three years: every
earliest date the plan offers is within it). A plan further ahead would be guesswork, and
one for a date centuries away is no plan at all."""

MAX_TARGET_SECONDS = 100 * 3600 - 1
"""kneecoach default: a target time under 100 hours (99:59:59), longer than any race of up
to 100 km takes."""

READY_WEEKLY_KM: tuple[tuple[float, float], ...] = (
    (5000.0, 12.0),
    (10000.0, 20.0),
    (21097.5, 32.0),
    (42195.0, 50.0),
)
"""kneecoach default: the weekly distance at which a race of each distance is within reach
(between them, in proportion; below 5 km 2.4 times the distance, at least 6 km; beyond the
marathon one more kilometre a week per kilometre of race)."""

LIMIT_SOURCES: tuple[Source, ...] = (NIELSEN_2014, BUIST_2008)
TAPER_SOURCES: tuple[Source, ...] = (BOSQUET_2007,)
PLAN_SOURCES: tuple[Source, ...] = (
    NIELSEN_2014,
    BUIST_2008,
    BOSQUET_2007,
    *MODEL,
    PRODUCT_DEFAULT,
)
"""Every plan cites the weekly limit, the taper and the kneecoach defaults it is built on."""

LIMIT_ADVICE = Advice(
    "Each week is at most 30 % more than the one before: bigger rises were linked (weakly) to "
    "running injuries, patellofemoral pain among them, while a 10 % rule did not prevent them. "
    "The plan builds by 20 % with a down week every fourth week (kneecoach defaults).",
    (*LIMIT_SOURCES, PRODUCT_DEFAULT),
)
TAPER_ADVICE = Advice(
    "The last two weeks taper: about 45 % less running, the runs kept as often and as "
    "brisk, which served racing best in a meta-analysis.",
    TAPER_SOURCES,
)
GATE_ADVICE = Advice(
    "The knee gates every week, as for the exercises: pain during a run at most 5/10 and the "
    "next morning no worse than before. A run that went badly repeats the week; a second "
    "steps back a week (kneecoach default); a pause stops the plan.",
    (*MODEL, PRODUCT_DEFAULT),
)


def parse_distance(text: str) -> float:
    """A race distance: 5k, 10k, 21.1k, 42.2k or a whole number of metres (1 000-100 000)."""
    given = text.strip().lower()
    if given in NAMED_DISTANCES:
        return NAMED_DISTANCES[given]
    if not ascii_digits(given):
        raise InvalidInput(
            f"the distance must be 5k, 10k, 21.1k, 42.2k or metres (as 15000), not {text!r}"
        )
    return check_distance(float(int(given)))


def check_distance(metres: float) -> float:
    if not MIN_RACE_M <= metres <= MAX_RACE_M:
        raise InvalidInput(
            f"the race distance must be from {MIN_RACE_M:.0f} to {MAX_RACE_M:.0f} metres, "
            f"not {metres:g}"
        )
    return metres


_TIME = re.compile(r"^(\d{1,3}):([0-5]\d):([0-5]\d)$")


def parse_target(text: str) -> int:
    """A target time as H:MM:SS, in seconds (more than zero)."""
    found = _TIME.match(text.strip())
    if found is None:
        raise InvalidInput(f"the target time must be H:MM:SS (as 0:55:00), not {text!r}")
    hours, minutes, seconds = (int(part) for part in found.groups())
    total = hours * 3600 + minutes * 60 + seconds
    if total <= 0:
        raise InvalidInput("the target time must be more than zero")
    if total > MAX_TARGET_SECONDS:
        raise InvalidInput(
            f"the target time must be under 100 hours "
            f"(at most {format_target(MAX_TARGET_SECONDS)}), not {text.strip()}"
        )
    return total


def check_race_day(race_on: dt.date, today: dt.date) -> dt.date:
    """A race day a goal may name: after today and at most :data:`MAX_DAYS_AHEAD` ahead."""
    if race_on <= today:
        raise InvalidInput(
            f"the race date must be after {today.isoformat()}, not {race_on.isoformat()}"
        )
    latest = today + dt.timedelta(days=MAX_DAYS_AHEAD)
    if race_on > latest:
        raise InvalidInput(
            f"the race date must be at most about three years ahead, by {latest.isoformat()} "
            f"(kneecoach default), not {race_on.isoformat()}"
        )
    return race_on


def format_target(seconds: int) -> str:
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def distance_name(metres: float) -> str:
    return DISTANCE_NAMES.get(metres, f"{metres / 1000:g} km")


@dataclass(frozen=True, slots=True)
class RaceGoal:
    """The runner's race: its day, its distance in metres, an optional target time, and the
    day the goal was set and the weekly distance the build-up starts from then."""

    race_on: dt.date
    distance_m: float
    set_on: dt.date
    start_km: float
    target_seconds: int | None = None
    set_by: str | None = None
    """The clinician who set the goal (their decision: it stands until a clinician changes
    it); None when the runner set it."""

    def __post_init__(self) -> None:
        check_distance(self.distance_m)
        if self.race_on <= self.set_on:
            raise InvalidInput(
                f"the race date must be after {self.set_on.isoformat()}, "
                f"not {self.race_on.isoformat()}"
            )
        if self.start_km < 0:
            raise InvalidInput("the starting weekly distance cannot be negative")
        if self.target_seconds is not None and self.target_seconds <= 0:
            raise InvalidInput("the target time must be more than zero")


RETURN_TO_RUN_RUNS_A_WEEK = 3
"""kneecoach default: the last return-to-run stage, run every other day, is three runs a week."""


def starting_weekly_km(
    recent_weekly_km: float, finished_stage_km: float | None, *, runs_a_week: int = 3
) -> float:
    """Where a build-up starts: the recent weekly distance from runs, or the last
    return-to-run stage run three times a week once it is finished, whichever is more."""
    from_stages = 0.0 if finished_stage_km is None else finished_stage_km * runs_a_week
    return round(max(recent_weekly_km, from_stages, 0.0), 1)


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def ready_weekly_km(distance_m: float) -> float:
    """The weekly distance at which a race is within reach (kneecoach default)."""
    if distance_m <= READY_WEEKLY_KM[0][0]:
        return max(6.0, 2.4 * distance_m / 1000)
    for (low_m, low_km), (high_m, high_km) in itertools.pairwise(READY_WEEKLY_KM):
        if distance_m <= high_m:
            return low_km + (high_km - low_km) * (distance_m - low_m) / (high_m - low_m)
    last_m, last_km = READY_WEEKLY_KM[-1]
    return last_km + (distance_m - last_m) / 1000


def runs_for(weekly_km: float) -> int:
    """kneecoach default: three runs a week below 25 km, four below 45 km, then five."""
    if weekly_km < 25:
        return 3
    if weekly_km < 45:
        return 4
    return 5


@dataclass(frozen=True, slots=True)
class PlanWeek:
    """One Monday-based week of the plan."""

    monday: dt.date
    kind: str
    """"build", "hold" (the level kept: after a down week, or at what the race needs),
    "down", "taper" or "race"."""
    runs: int
    distance_km: float
    """The week's running, the race itself not counted."""
    long_run_km: float
    strength_sessions: int
    race_km: float = 0.0
    """The race, in the race week."""
    note: str = ""


@dataclass(frozen=True, slots=True)
class RacePlan:
    """The plan to the race, or why there is none within the limits and what is reachable."""

    goal: RaceGoal
    reachable: bool
    weeks: tuple[PlanWeek, ...]
    reasons: tuple[str, ...]
    sources: tuple[Source, ...]
    peak_km: float
    """The weekly distance the plan peaks at (what the race needs, or more if the runner
    already runs more), from which the taper is cut."""
    stopped: bool = False
    earliest_race_on: dt.date | None = None
    """Unreachable: the earliest day (same weekday) the distance is reachable within the limits."""
    shorter_distance_m: float | None = None
    """Unreachable: the longest named shorter distance reachable by the race date."""
    held_by: str | None = None
    """The clinician holding the plan at its level, while their hold stands; None else."""
    held_since: dt.date | None = None
    """The day the clinician held the plan, while their hold stands."""


class Call(StrEnum):
    """What a clinician may decide about a runner's race plan besides its goal."""

    HOLD = "hold"
    """Keep the plan at the level of the week it is in: no building until released."""
    RELEASE = "release"
    """End the hold: the plan builds again, within the same limits."""
    STEP_BACK = "step-back"
    """Take the plan back a week from the week it is in, then build again from there."""


@dataclass(frozen=True, slots=True)
class ClinicianCall:
    """A clinician's decision on the race plan: what, the day, and who (by name). It stands
    until a clinician changes it: the runner's own changes to the goal leave it in force."""

    call: Call
    day: dt.date
    by: str

    def __post_init__(self) -> None:
        if not self.by.strip():
            raise InvalidInput("a clinician's decision names the clinician")


def held_on(monday: dt.date, calls: Sequence[ClinicianCall]) -> ClinicianCall | None:
    """The clinician's hold in force in the week of ``monday``: the latest hold or release
    made by then (``calls`` oldest first) when it is a hold; None else."""
    latest = None
    for made in calls:
        if made.call in (Call.HOLD, Call.RELEASE) and monday_of(made.day) <= monday:
            latest = made
    return latest if latest is not None and latest.call is Call.HOLD else None


def held_note(hold: ClinicianCall) -> str:
    return f"held by your clinician {hold.by} since {hold.day:%d %b}"


def hold_text(hold: ClinicianCall) -> str:
    """What the runner is told of a clinician's hold, wherever the plan is shown."""
    return (
        f"Held by your clinician {hold.by} since {hold.day:%d %B %Y}: the plan does not build "
        "until a clinician releases it. Your own changes to the race goal do not lift the hold."
    )


def goal_refusal(goal: RaceGoal | None) -> str | None:
    """Why a runner may not change or clear their race goal, or None when they may: a goal
    their clinician set is the clinician's decision, and stands until a clinician changes
    it."""
    if goal is None or goal.set_by is None:
        return None
    return (
        f"your clinician {goal.set_by} set this race goal on {goal.set_on:%d %b %Y}: only a "
        "clinician changes it"
    )


def hold_refusal(calls: Sequence[ClinicianCall], hold: bool) -> str | None:
    """Why a clinician's hold (``hold``) or release cannot be made now, or None: a plan is
    held once, and only a plan held is released."""
    standing = held_on(dt.date.max - dt.timedelta(days=7), calls)
    if hold and standing is not None:
        return f"the race plan is already held, by {standing.by} since {standing.day:%d %b %Y}"
    if not hold and standing is None:
        return "the race plan is not held: there is no hold to release"
    return None


def _tenths(km: float) -> int:
    return int(km * 10 + 1e-9)


def _km(tenths: int) -> float:
    return tenths / 10


def _is_down(index: int) -> bool:
    return (index + 1) % DOWN_EVERY == 0


def _rise(level: int, peak: int) -> int:
    """One building week: the level plus 20 %, rounded down, never beyond the peak."""
    return min(level * round(10 + BUILD_RATE * 10) // 10, peak)


def _ease(level: int, share: float) -> int:
    """A share of the level, rounded up to a whole tenth (easing never rounds too low)."""
    return -(-level * round(share * 10) // 10)


def _weeks_to_ready(
    distance_m: float, monday: dt.date, index: int, level: int, *, rise_first: bool
) -> int | None:
    """The fewest weeks before the taper, from week ``index`` of the goal, that reach the
    level a race of ``distance_m`` needs, by the same schedule as the plan."""
    for weeks in range(MAX_WEEKS_LOOKED_AHEAD + 1):
        race_on = monday + dt.timedelta(weeks=weeks + TAPER_WEEKS - 1)
        made = _schedule(
            distance_m, race_on, monday, index, level, rise_first=rise_first, strength=0
        )
        if made is not None:
            return weeks
    return None


def _schedule(
    distance_m: float,
    race_on: dt.date,
    monday: dt.date,
    index: int,
    level: int,
    *,
    rise_first: bool,
    strength: int,
    held: str | None = None,
) -> tuple[list[PlanWeek], int] | None:
    """The weeks from ``monday`` (week ``index`` of the goal) to the race week, building
    from ``level`` (tenths of km); None if the peak cannot be reached before the taper. A
    runner already beyond what the race needs keeps their level and tapers from it. A plan
    ``held`` by a clinician (the note saying who and since when) keeps ``level`` every week
    until the taper, which it cuts from that level: it does not build until a clinician
    releases it."""
    peak = level if held is not None else max(_tenths(ready_weekly_km(distance_m)), level)
    race_monday = monday_of(race_on)
    total = (race_monday - monday).days // 7 + 1
    build_weeks = total - TAPER_WEEKS
    if build_weeks < 0:
        return None
    weeks: list[PlanWeek] = []
    level = min(level, peak)
    after_down = index > 0 and _is_down(index - 1)
    for offset in range(build_weeks):
        i = index + offset
        day = monday + dt.timedelta(weeks=offset)
        if held is not None:
            weeks.append(replace(_week(day, "held", level, strength), note=held))
            continue
        # the same weeks whatever the race date: a later race never reaches less
        if _is_down(i):
            value, kind, after_down = _ease(level, DOWN_SHARE), "down", True
        elif after_down or (offset == 0 and not rise_first):
            value, kind, after_down = level, "hold", False
        else:
            before, level = level, _rise(level, peak)
            # a runner already at what the race needs keeps it: a hold, not a build
            value, kind = level, "build" if level > before else "hold"
        weeks.append(_week(day, kind, value, strength))
    if level < peak:
        return None
    for offset, share in enumerate(TAPER_SHARES):
        day = monday + dt.timedelta(weeks=build_weeks + offset)
        kind = "race" if offset == TAPER_WEEKS - 1 else "taper"
        week = _week(day, kind, int(peak * share), strength)
        if kind == "race":
            week = PlanWeek(
                week.monday,
                kind,
                week.runs,
                week.distance_km,
                week.long_run_km,
                strength,
                race_km=round(distance_m / 1000, 3),
                note=f"race day {race_on:%A %d %B}",
            )
        weeks.append(week)
    return weeks, peak


def _week(monday: dt.date, kind: str, tenths: int, strength: int) -> PlanWeek:
    km = _km(tenths)
    return PlanWeek(monday, kind, runs_for(km), km, _km(tenths * 4 // 10), strength)


def build_plan(goal: RaceGoal, *, strength_sessions: int = 0) -> RacePlan:
    """The plan from the week the goal was set to the race week, within the limits; or,
    if the race cannot be reached within them, why and what can be."""
    return _plan_from(
        goal,
        monday_of(goal.set_on),
        0,
        _tenths(goal.start_km),
        rise_first=True,
        strength=strength_sessions,
        past=(),
    )


def _plan_from(
    goal: RaceGoal,
    monday: dt.date,
    index: int,
    level: int,
    *,
    rise_first: bool,
    strength: int,
    past: Sequence[PlanWeek],
    why: str = "",
    held: ClinicianCall | None = None,
) -> RacePlan:
    peak_km = _km(_tenths(ready_weekly_km(goal.distance_m)))
    name = distance_name(goal.distance_m)
    if (too_far := _too_far_ahead(goal, peak_km)) is not None:
        return too_far
    if level < _tenths(MIN_START_KM):
        return _unreachable(
            goal,
            peak_km,
            (
                f"A build-up starts from at least {MIN_START_KM:g} km of running a week; "
                "finish return to running (or import your recent runs) first.",
            ),
        )
    made = _schedule(
        goal.distance_m,
        goal.race_on,
        monday,
        index,
        level,
        rise_first=rise_first,
        strength=strength,
        held=None if held is None else held_note(held),
    )
    if made is not None:
        weeks, peak = made
        if held is not None:
            plan_reason = (
                f"Held by your clinician {held.by} since {held.day:%d %B %Y}: "
                f"{_km(level):g} km a week until a clinician releases the plan (your own "
                f"changes to the goal do not), then a two-week taper to {goal.race_on:%d %B %Y}."
            )
            if level < _tenths(peak_km):
                plan_reason += (
                    f" A {name} race needs about {peak_km:g} km a week (kneecoach default): "
                    "talk the race over with your clinician."
                )
        elif level >= peak:
            plan_reason = (
                f"{_km(level):g} km a week is already enough for a {name} race (about "
                f"{peak_km:g} km a week, kneecoach default): keep it, then a two-week taper "
                f"to {goal.race_on:%d %B %Y}."
            )
        else:
            plan_reason = (
                f"From {_km(level):g} km a week to the {peak_km:g} km a week a {name} race "
                f"needs (kneecoach default), then a two-week taper to {goal.race_on:%d %B %Y}."
            )
        said = (
            *((why, GATE_ADVICE.text) if why else ()),
            plan_reason,
            LIMIT_ADVICE.text,
            TAPER_ADVICE.text,
        )
        sources = PLAN_SOURCES if held is None else (*PLAN_SOURCES, CLINICIAN)
        return RacePlan(goal, True, (*past, *weeks), said, sources, _km(peak))
    race_monday = monday_of(goal.race_on)
    have = max((race_monday - monday).days // 7 + 1 - TAPER_WEEKS, 0)
    need = _weeks_to_ready(goal.distance_m, monday, index, level, rise_first=rise_first)
    reasons: list[str] = [
        f"A {name} race needs about {peak_km:g} km a week (kneecoach default); from "
        f"{_km(level):g} km a week, building at most {BUILD_RATE:.0%} a week (never over "
        f"{MAX_WEEKLY_RISE:.0%}) with a down week every fourth, that takes "
        + (f"{need} weeks" if need is not None else "too long")
        + f", and a two-week taper follows; there are {have} weeks before the taper."
    ]
    if why:
        reasons.insert(0, why)
    earliest = None
    if need is not None:
        earliest_monday = monday + dt.timedelta(weeks=need + TAPER_WEEKS - 1)
        earliest = earliest_monday + dt.timedelta(days=goal.race_on.weekday())
        reasons.append(f"The earliest {name} race within the limits: {earliest:%A %d %B %Y}.")
    shorter = None
    for metres in sorted(NAMED_DISTANCES.values(), reverse=True):
        if metres >= goal.distance_m:
            continue
        within = _schedule(
            metres, goal.race_on, monday, index, level, rise_first=rise_first, strength=0
        )
        if within is not None:
            shorter = metres
            reasons.append(
                f"By {goal.race_on:%d %B %Y} a {distance_name(metres)} race is within reach."
            )
            break
    return _unreachable(goal, peak_km, tuple(reasons), earliest, shorter)


def _too_far_ahead(goal: RaceGoal, peak_km: float) -> RacePlan | None:
    """A goal further ahead than any face lets one set (come in by a restored backup, say):
    not planned, since its plan would run for as many weeks as there are to the date."""
    if (goal.race_on - goal.set_on).days <= MAX_DAYS_AHEAD:
        return None
    return _unreachable(
        goal,
        peak_km,
        (
            f"The race on {goal.race_on.isoformat()} is more than about three years after the "
            "goal was set (kneecoach default): set the goal again.",
        ),
    )


def _unreachable(
    goal: RaceGoal,
    peak_km: float,
    reasons: tuple[str, ...],
    earliest: dt.date | None = None,
    shorter: float | None = None,
) -> RacePlan:
    return RacePlan(goal, False, (), reasons, PLAN_SOURCES, peak_km, False, earliest, shorter)


@dataclass(frozen=True, slots=True)
class JudgedRun:
    """A run of the plan and whether the knee tolerated it."""

    day: dt.date
    tolerated: bool
    reason: str = ""


def judge_run(pain_during: int, morning: int | None, baseline: int) -> PainVerdict:
    """A run is judged like an exercise session (domain.pain): pain during at most 5/10 and
    the next morning no worse than before (Silbernagel 2007; Thomee 1997)."""
    return judge_session(pain_during, morning, baseline, during="pain during the run")


@dataclass(frozen=True, slots=True)
class RaceRun:
    """A run of the plan the runner told about: its day, the pain during it (0-10) and,
    when no watch recorded it, its distance in km."""

    day: dt.date
    pain_during: int
    distance_km: float | None = None

    def __post_init__(self) -> None:
        check_pain(self.pain_during, "pain during the run")
        if self.distance_km is not None and not 0 < self.distance_km <= MAX_RACE_M / 1000:
            raise InvalidInput(
                f"the run's distance must be more than 0 and at most {MAX_RACE_M / 1000:g} km, "
                f"not {self.distance_km:g}"
            )


def judged_run(
    day: dt.date, pain_during: int | None, morning: int | None, baseline: int
) -> JudgedRun:
    """A run of the plan as the knee took it, by the rule of the exercises (judge_run). A
    run whose pain was not told (an imported run) is judged by the next morning alone; a
    run with no next-morning check-in yet is not held against the plan (nothing to judge
    by), unless its pain during already said too much."""
    verdict = judge_run(0 if pain_during is None else pain_during, morning, baseline)
    if verdict.band is Band.TOO_MUCH:
        return JudgedRun(day, False, f"{day:%d %b}: {verdict.reason}")
    return JudgedRun(day, True)


MISSED_SHARE = 0.5
"""kneecoach default: a finished week with less than half its running done is missed, and the
plan goes on from what was done that week (at least from where the build-up started)."""


def _levels_up_to(history: list[int], level: int) -> list[int]:
    """The levels built, up to and ending on ``level`` (tenths of km), oldest first."""
    return [h for h in history if h < level] + [level]


def _clinicians_week(
    goal: RaceGoal,
    monday: dt.date,
    index: int,
    history: list[int],
    rise_first: bool,
    strength: int,
    calls: Sequence[ClinicianCall],
) -> tuple[list[int], bool, ClinicianCall | None, list[str]]:
    """The clinician's decisions on the week of ``monday``: each step back made in it takes
    the week back to the level before the one it was planned at (the rule of a run that
    went badly twice), and a hold in force keeps the level of the week it was made in (the
    level built so far, in a later week). Returns the levels built, whether the week may
    build, the hold in force and what was decided, in words (the hold last)."""
    said: list[str] = []

    def planned_level() -> int:
        made = _schedule(
            goal.distance_m,
            goal.race_on,
            monday,
            index,
            history[-1],
            rise_first=rise_first,
            strength=strength,
        )
        if made is None or made[0][0].kind not in ("build", "hold"):
            return history[-1]
        return _tenths(made[0][0].distance_km)

    stepped = False
    for made in calls:
        if made.call is Call.STEP_BACK and monday_of(made.day) == monday:
            base = planned_level()
            history = [h for h in history if h < base] or [base]
            rise_first, stepped = False, True
            said.append(f"stepped back by your clinician {made.by} on {made.day:%d %b}")
    hold = held_on(monday, calls)
    if hold is not None:
        if monday_of(hold.day) == monday and not stepped:
            base = planned_level()
            if base > history[-1]:
                history = [*history, base]
        said.append(held_note(hold))
    return history, rise_first, hold, said


def adapted_plan(
    goal: RaceGoal,
    today: dt.date,
    runs: Sequence[JudgedRun],
    *,
    strength_sessions: int = 0,
    paused: str | None = None,
    paused_sources: tuple[Source, ...] = (),
    done: Mapping[dt.date, float] | None = None,
    calls: Sequence[ClinicianCall] = (),
) -> RacePlan:
    """The plan as the knee has taken it so far: each finished week with a run that went
    badly is repeated; a second bad run (in that week or the week after a repeat) steps back
    a week; the rest is re-planned from there within the same limits. With ``done`` (the km
    run in each week, by its Monday), a finished week with less than half its running done
    is missed and the plan goes on from what was done. The clinician's ``calls`` (oldest
    first) hold it at a week until released and step it back; a clinician's hold stands
    whatever goal the runner sets since. A pause stops it."""
    peak_km = _km(_tenths(ready_weekly_km(goal.distance_m)))
    if paused is not None:
        return RacePlan(
            goal,
            False,
            (),
            (f"The race plan is stopped while the program is paused: {paused}",),
            tuple(dict.fromkeys((*paused_sources, *PLAN_SOURCES))),  # each source once
            peak_km,
            stopped=True,
        )
    if (too_far := _too_far_ahead(goal, peak_km)) is not None:
        return too_far
    first = monday_of(goal.set_on)
    this_week = monday_of(today)
    history = [_tenths(goal.start_km)]
    # the levels built so far, each once, oldest first: stepping back returns to the one
    # before the level that went badly
    rise_first = True
    past: list[PlanWeek] = []
    monday, index = first, 0
    bad_before = False
    notes: list[str] = []
    hold: ClinicianCall | None = None
    kept_past = False  # a week went otherwise than planned: the past is kept as it went
    while monday < this_week and monday < monday_of(goal.race_on):
        history, rise_first, hold, called = _clinicians_week(
            goal, monday, index, history, rise_first, strength_sessions, calls
        )
        if called[: len(called) - (hold is not None)]:
            bad_before = False  # the clinician stepped the week back: theirs is the call
        made = _schedule(
            goal.distance_m,
            goal.race_on,
            monday,
            index,
            history[-1],
            rise_first=rise_first,
            strength=strength_sessions,
            held=None if hold is None else held_note(hold),
        )
        if made is None:
            break
        week = made[0][0]
        bad = [r for r in runs if monday <= r.day < monday + dt.timedelta(weeks=1)]
        bad = [r for r in bad if not r.tolerated]
        level = _tenths(week.distance_km) if week.kind in ("build", "hold") else history[-1]
        ran = None if done is None else _tenths(done.get(monday, 0.0))
        missed = (
            ran is not None
            and week.kind in ("build", "hold", "down", "held")
            and ran < _tenths(week.distance_km) * MISSED_SHARE
        )
        ran_at = _tenths(week.distance_km)
        if missed and not bad:
            assert ran is not None
            floor = min(_tenths(goal.start_km), history[-1])
            history = _levels_up_to(history, max(ran, floor))
            rise_first, bad_before = False, False
            note = (
                f"missed ({_km(ran):g} of {week.distance_km:g} km run): the plan goes on "
                f"from {_km(history[-1]):g} km a week"
            )
        elif not bad:
            if level != history[-1]:
                history.append(level)
            rise_first, bad_before = True, False
            note = ""
        elif len(bad) >= 2 or bad_before:
            # back to the level built before the week that went badly (itself, if the
            # build-up has none below it)
            lower = [h for h in history if h < ran_at]
            history = lower or [ran_at]
            rise_first, bad_before = False, True
            note = f"steps back a week: {bad[-1].reason or 'a run went badly'}"
        else:
            # the next week runs this one again (a down week too: at its own distance)
            history = _levels_up_to(history, ran_at)
            rise_first, bad_before = False, True
            note = f"repeated: {bad[0].reason or 'a run went badly'}"
        said = "; ".join([*called, *([note] if note else [])])
        if said:
            week = replace(week, note=said)
            kept_past = True
        told = "; ".join([*called[: len(called) - (hold is not None)], *([note] if note else [])])
        if told:
            notes.append(f"Week of {monday:%d %B}: {told}.")
        past.append(week)
        monday, index = monday + dt.timedelta(weeks=1), index + 1
    if monday == this_week and monday < monday_of(goal.race_on):
        history, rise_first, hold, called = _clinicians_week(
            goal, monday, index, history, rise_first, strength_sessions, calls
        )
        decided = called[: len(called) - (hold is not None)]
        if decided:
            bad_before = False
            notes.append(f"Week of {monday:%d %B}: {'; '.join(decided)}.")
    elif monday == this_week:
        # the race week builds nothing, but whether a clinician holds the plan is still
        # theirs to say: a hold (or a release) made by this week is the one in force
        hold = held_on(monday, calls)
    elif monday < this_week:
        # the weeks gone by stopped fitting before this one (a step back left too little
        # time): the plan goes on from there, and a hold made since stands all the same
        hold = held_on(this_week, calls)
    if not notes and not kept_past and hold is None:
        return _plan_from(
            goal,
            first,
            0,
            _tenths(goal.start_km),
            rise_first=True,
            strength=strength_sessions,
            past=(),
        )
    planned = _plan_from(
        goal,
        monday,
        index,
        history[-1],
        rise_first=rise_first and not bad_before,
        strength=strength_sessions,
        past=past,
        why=" ".join(notes),
        held=hold,
    )
    if hold is None:
        return planned
    return replace(planned, held_by=hold.by, held_since=hold.day)


RUN_DAYS: dict[int, tuple[int, ...]] = {
    3: (1, 3, 5),
    4: (1, 2, 4, 6),
    5: (0, 1, 3, 4, 6),
}
"""kneecoach default: the weekdays the week's runs fall on (Monday 0), a rest day after the
harder days and the long run last; the strength sessions fit around them."""


@dataclass(frozen=True, slots=True)
class DayRun:
    """The run of a day of the plan."""

    day: dt.date
    distance_km: float
    kind: str
    """"easy", "long" or "race"."""
    week: PlanWeek


def runs_of_week(week: PlanWeek, race_on: dt.date | None = None) -> tuple[DayRun, ...]:
    """The week's runs day by day: the long run on the last run day, the rest shared evenly;
    in the race week, easy runs shared evenly on the run days before the race, then the
    race on its day and no run after it."""
    days = [
        week.monday + dt.timedelta(days=weekday)
        for weekday in RUN_DAYS[min(max(week.runs, 3), 5)][: week.runs]
    ]
    if week.kind == "race" and race_on is not None:
        before = [day for day in days if day < race_on]
        each = round(week.distance_km / len(before), 1) if before else 0.0
        easy = tuple(DayRun(day, each, "easy", week) for day in before if each > 0)
        return (*easy, DayRun(race_on, week.race_km, "race", week)) if week.race_km else easy
    share = round((week.distance_km - week.long_run_km) / (len(days) - 1), 1)
    runs = [DayRun(day, share, "easy", week) for day in days[:-1] if share > 0]
    if week.long_run_km > 0:
        runs.append(DayRun(days[-1], week.long_run_km, "long", week))
    return tuple(runs)


def run_of_day(plan: RacePlan, day: dt.date) -> DayRun | None:
    """The plan's run on ``day``, if one falls on it; none from a plan stopped or refused."""
    if plan.stopped or not plan.reachable:
        return None
    for week in plan.weeks:
        if week.monday <= day < week.monday + dt.timedelta(weeks=1):
            for run in runs_of_week(week, plan.goal.race_on):
                if run.day == day:
                    return run
    return None


def above_plan(week: PlanWeek, done_km: float) -> str:
    """A week run far above its plan: more than 30 % over the week's planned running (the
    race not counted) is the rise that was linked to injuries (Nielsen 2014, §12); empty
    when the week kept within it."""
    planned = week.distance_km
    ran = done_km - week.race_km
    if planned <= 0 or ran <= planned * (1 + MAX_WEEKLY_RISE) + 1e-9:
        return ""
    return (
        f"{ran:g} km run, {ran / planned - 1:.0%} above the plan's {planned:g} km: more than "
        f"{MAX_WEEKLY_RISE:.0%} above is the rise linked to running injuries"
    )
