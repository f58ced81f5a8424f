"""Which sport an activity is, in every vocabulary the files use: FIT's sport and sub-sport
numbers, TCX's ``Sport`` attribute, GPX's ``<type>`` as Garmin writes it (words such as
``running``) and as Strava writes it (numbers such as ``9``).

Runs — indoor ones on a treadmill included — count as running load; every other sport is
kept and listed as cross-training.
"""

from __future__ import annotations

from kneecoach.domain.activity import Sport
from kneecoach.domain.digits import ascii_digits

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
    21: Sport.OTHER,  # Canoeing
    22: Sport.OTHER,  # Kayaking
    23: Sport.OTHER,  # Rowing
    24: Sport.OTHER,  # Stand Up Paddling
    25: Sport.OTHER,  # Surfing
    26: Sport.OTHER,  # Crossfit
    27: Sport.OTHER,  # Elliptical
    28: Sport.OTHER,  # Rock Climbing
    29: Sport.OTHER,  # Stair Stepper
    30: Sport.OTHER,  # Weight Training
    31: Sport.OTHER,  # Yoga
    51: Sport.OTHER,  # Handcycle (arms, not legs: cross-training, not a ride)
    52: Sport.OTHER,  # Wheelchair
    53: Sport.RUN,  # Virtual Run (treadmill)
}
"""Strava's numeric activity types as its GPX exports write them in ``<type>`` (a newer
sport type such as Trail Run is written as the number of its type, Run). Any other number
is another sport, kept as cross-training."""

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
    # Strava's names: as its bulk export's activities.csv writes them ("Activity Type":
    # "Trail Run", "E-Bike Ride", "Weight Training", ...) and as its API does
    # ("TrailRun", "EBikeRide", "WeightTraining"), where a tool writes the name
    "run": Sport.RUN,
    "trail_run": Sport.RUN,
    "trailrun": Sport.RUN,
    "virtualrun": Sport.RUN,
    "ride": Sport.CYCLE,
    "mountain_bike_ride": Sport.CYCLE,
    "mountainbikeride": Sport.CYCLE,
    "gravel_ride": Sport.CYCLE,
    "gravelride": Sport.CYCLE,
    "e_bike_ride": Sport.CYCLE,
    "ebikeride": Sport.CYCLE,
    "e_mountain_bike_ride": Sport.CYCLE,
    "emountainbikeride": Sport.CYCLE,
    "virtualride": Sport.CYCLE,
    "velomobile": Sport.CYCLE,
    "handcycle": Sport.OTHER,
    "wheelchair": Sport.OTHER,
    "walk": Sport.WALK,
    "hike": Sport.WALK,
    "swim": Sport.SWIM,
    "workout": Sport.OTHER,
    "weight_training": Sport.OTHER,
    "weighttraining": Sport.OTHER,
    "crossfit": Sport.OTHER,
    "hiit": Sport.OTHER,
    "pilates": Sport.OTHER,
    "stair_stepper": Sport.OTHER,
    "stairstepper": Sport.OTHER,
    "virtual_row": Sport.OTHER,
    "virtualrow": Sport.OTHER,
    "canoe": Sport.OTHER,
    "canoeing": Sport.OTHER,
    "kayaking": Sport.OTHER,
    "stand_up_paddling": Sport.OTHER,
    "standuppaddling": Sport.OTHER,
    "surf": Sport.OTHER,
    "surfing": Sport.OTHER,
    "kitesurf": Sport.OTHER,
    "windsurf": Sport.OTHER,
    "sail": Sport.OTHER,
    "rock_climb": Sport.OTHER,
    "rockclimbing": Sport.OTHER,
    "alpine_ski": Sport.OTHER,
    "alpineski": Sport.OTHER,
    "backcountry_ski": Sport.OTHER,
    "backcountryski": Sport.OTHER,
    "nordic_ski": Sport.OTHER,
    "nordicski": Sport.OTHER,
    "roller_ski": Sport.OTHER,
    "rollerski": Sport.OTHER,
    "snowboard": Sport.OTHER,
    "snowshoe": Sport.OTHER,
    "ice_skate": Sport.OTHER,
    "iceskate": Sport.OTHER,
    "inline_skate": Sport.OTHER,
    "inlineskate": Sport.OTHER,
    "skateboard": Sport.OTHER,
    "golf": Sport.OTHER,
    "soccer": Sport.OTHER,
    "football_(soccer)": Sport.OTHER,
    "tennis": Sport.OTHER,
    "table_tennis": Sport.OTHER,
    "badminton": Sport.OTHER,
    "pickleball": Sport.OTHER,
    "racquetball": Sport.OTHER,
    "squash": Sport.OTHER,
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
    if ascii_digits(word):
        return STRAVA_TYPE.get(int(word), Sport.OTHER)
    known = WORDS.get(word)
    return known if known is not None else Sport.parse(word)
