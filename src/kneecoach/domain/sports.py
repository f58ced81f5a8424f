"""Which sport an activity is, in every vocabulary the files use: FIT's sport and sub-sport
numbers, TCX's ``Sport`` attribute, GPX's ``<type>`` as Garmin writes it (words such as
``running``) and as Strava writes it (numbers such as ``9``).

Runs — indoor ones on a treadmill included — count as running load; every other sport is
kept and listed as cross-training.
"""

from __future__ import annotations

from kneecoach.domain.activity import Sport

FIT_SPORT: dict[int, Sport] = {
    0: Sport.OTHER,  # generic
    1: Sport.RUN,  # running
    2: Sport.CYCLE,  # cycling
    3: Sport.OTHER,  # transition
    4: Sport.OTHER,  # fitness_equipment (a treadmill is told by its sub-sport)
    5: Sport.SWIM,  # swimming
    10: Sport.OTHER,  # training
    11: Sport.WALK,  # walking
    12: Sport.OTHER,  # cross_country_skiing
    13: Sport.OTHER,  # alpine_skiing
    15: Sport.OTHER,  # rowing
    16: Sport.WALK,  # mountaineering
    17: Sport.WALK,  # hiking
    21: Sport.CYCLE,  # e_biking
}
"""FIT profile ``sport`` numbers (session field 5); any other number is another sport."""

FIT_TREADMILL = 1
FIT_INDOOR_RUNNING = 45
FIT_RUN_SUB_SPORTS = frozenset({FIT_TREADMILL, FIT_INDOOR_RUNNING})
"""FIT ``sub_sport`` numbers (session field 6) that make a run of fitness equipment or a
generic activity: treadmill (1) and indoor running (45)."""

FIT_RUN_HOSTS = frozenset({0, 1, 4})
"""Sports whose run sub-sports mean a run: generic, running and fitness equipment."""

STRAVA_TYPE: dict[int, Sport] = {
    1: Sport.CYCLE,  # Ride
    2: Sport.OTHER,  # Alpine Ski
    3: Sport.OTHER,  # Backcountry Ski
    4: Sport.WALK,  # Hike
    5: Sport.OTHER,  # Ice Skate
    6: Sport.OTHER,  # Inline Skate
    7: Sport.OTHER,  # Nordic Ski
    8: Sport.OTHER,  # Roller Ski
    9: Sport.RUN,  # Run
    10: Sport.WALK,  # Walk
    11: Sport.OTHER,  # Workout
    12: Sport.OTHER,  # Snowboard
    13: Sport.OTHER,  # Snowshoe
    14: Sport.OTHER,  # Kitesurf
    15: Sport.OTHER,  # Windsurf
    16: Sport.SWIM,  # Swim
    17: Sport.CYCLE,  # Virtual Ride
    18: Sport.CYCLE,  # E-Bike Ride
    19: Sport.CYCLE,  # Velomobile
}
"""Strava's numeric activity types as its GPX exports write them in ``<type>``."""

WORDS: dict[str, Sport] = {
    # Garmin Connect GPX <type> and activity type keys
    "running": Sport.RUN,
    "street_running": Sport.RUN,
    "track_running": Sport.RUN,
    "trail_running": Sport.RUN,
    "treadmill_running": Sport.RUN,
    "indoor_running": Sport.RUN,
    "virtual_run": Sport.RUN,
    "ultra_run": Sport.RUN,
    "cycling": Sport.CYCLE,
    "road_biking": Sport.CYCLE,
    "mountain_biking": Sport.CYCLE,
    "gravel_cycling": Sport.CYCLE,
    "indoor_cycling": Sport.CYCLE,
    "virtual_ride": Sport.CYCLE,
    "e_bike_fitness": Sport.CYCLE,
    "walking": Sport.WALK,
    "casual_walking": Sport.WALK,
    "speed_walking": Sport.WALK,
    "hiking": Sport.WALK,
    "swimming": Sport.SWIM,
    "lap_swimming": Sport.SWIM,
    "open_water_swimming": Sport.SWIM,
    "elliptical": Sport.OTHER,
    "strength_training": Sport.OTHER,
    "indoor_rowing": Sport.OTHER,
    "rowing": Sport.OTHER,
    "stair_climbing": Sport.OTHER,
    "yoga": Sport.OTHER,
    "other": Sport.OTHER,
    # TCX <Activity Sport="…">
    "biking": Sport.CYCLE,
    # Strava's names, where a tool writes the name instead of the number
    "run": Sport.RUN,
    "trailrun": Sport.RUN,
    "virtualrun": Sport.RUN,
    "ride": Sport.CYCLE,
    "virtualride": Sport.CYCLE,
    "ebikeride": Sport.CYCLE,
    "walk": Sport.WALK,
    "hike": Sport.WALK,
    "swim": Sport.SWIM,
}
"""Sport words, lower case with spaces and hyphens as underscores."""


def from_fit(sport: int | None, sub_sport: int | None = None) -> Sport:
    """A FIT session's sport: a treadmill or indoor run is a run; no sport at all is taken
    as a run (older running watches leave it out)."""
    if sub_sport in FIT_RUN_SUB_SPORTS and (sport is None or sport in FIT_RUN_HOSTS):
        return Sport.RUN
    if sport is None:
        return Sport.RUN
    return FIT_SPORT.get(sport, Sport.OTHER)


def from_word(text: str | None) -> Sport:
    """A sport named in words or by Strava's number (GPX ``<type>``, TCX ``Sport``)."""
    word = (text or "").strip().lower().replace(" ", "_").replace("-", "_")
    if not word:
        return Sport.OTHER
    if word.isdigit():
        return STRAVA_TYPE.get(int(word), Sport.OTHER)
    known = WORDS.get(word)
    return known if known is not None else Sport.parse(word)
