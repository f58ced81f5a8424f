"""Sports in every vocabulary the files use: one expectation per entry, written out here
rather than read back from the table."""

from __future__ import annotations

import pytest

from kneecoach.domain.activity import Sport, is_run
from kneecoach.domain.sports import FIT_SPORT, STRAVA_TYPE, WORDS, from_fit, from_word

pytestmark = pytest.mark.own_dates

STRAVA = {
    "1": Sport.CYCLE,
    "2": Sport.OTHER,
    "3": Sport.OTHER,
    "4": Sport.WALK,
    "5": Sport.OTHER,
    "6": Sport.OTHER,
    "7": Sport.OTHER,
    "8": Sport.OTHER,
    "9": Sport.RUN,
    "10": Sport.WALK,
    "11": Sport.OTHER,
    "12": Sport.OTHER,
    "13": Sport.OTHER,
    "14": Sport.OTHER,
    "15": Sport.OTHER,
    "16": Sport.SWIM,
    "17": Sport.CYCLE,
    "18": Sport.CYCLE,
    "19": Sport.CYCLE,
    "21": Sport.OTHER,
    "22": Sport.OTHER,
    "23": Sport.OTHER,
    "24": Sport.OTHER,
    "25": Sport.OTHER,
    "26": Sport.OTHER,
    "27": Sport.OTHER,
    "28": Sport.OTHER,
    "29": Sport.OTHER,
    "30": Sport.OTHER,
    "31": Sport.OTHER,
    "51": Sport.OTHER,
    "52": Sport.OTHER,
    "53": Sport.RUN,
}


@pytest.mark.parametrize(("number", "sport"), STRAVA.items())
def test_stravas_numeric_gpx_type_names_its_sport(number, sport):
    assert from_word(number) is sport
    assert from_word(f" {number}\n") is sport


def test_every_strava_number_in_the_table_is_tested():
    assert {str(n) for n in STRAVA_TYPE} == set(STRAVA)


def test_a_strava_number_outside_the_table_is_another_sport_kept_as_cross_training():
    assert from_word("999") is Sport.OTHER


def test_a_type_of_digits_int_cannot_read_is_another_sport_not_a_crash():
    for word in ("\u00b2", "9\u00b3", "\u2460"):  # digits to str.isdigit, not to int
        assert from_word(word) is Sport.OTHER


GARMIN = {
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
    "biking": Sport.CYCLE,
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

STRAVA_CSV = {
    # Strava's activities.csv "Activity Type", exactly as the export writes it
    "Run": Sport.RUN,
    "Trail Run": Sport.RUN,
    "Virtual Run": Sport.RUN,
    "Ride": Sport.CYCLE,
    "Mountain Bike Ride": Sport.CYCLE,
    "Gravel Ride": Sport.CYCLE,
    "E-Bike Ride": Sport.CYCLE,
    "E-Mountain Bike Ride": Sport.CYCLE,
    "Virtual Ride": Sport.CYCLE,
    "Velomobile": Sport.CYCLE,
    "Handcycle": Sport.OTHER,
    "Wheelchair": Sport.OTHER,
    "Walk": Sport.WALK,
    "Hike": Sport.WALK,
    "Swim": Sport.SWIM,
    "Workout": Sport.OTHER,
    "Weight Training": Sport.OTHER,
    "Crossfit": Sport.OTHER,
    "HIIT": Sport.OTHER,
    "Pilates": Sport.OTHER,
    "Yoga": Sport.OTHER,
    "Elliptical": Sport.OTHER,
    "Stair-Stepper": Sport.OTHER,
    "Rowing": Sport.OTHER,
    "Virtual Row": Sport.OTHER,
    "Canoe": Sport.OTHER,
    "Kayaking": Sport.OTHER,
    "Stand Up Paddling": Sport.OTHER,
    "Surf": Sport.OTHER,
    "Kitesurf": Sport.OTHER,
    "Windsurf": Sport.OTHER,
    "Sail": Sport.OTHER,
    "Rock Climb": Sport.OTHER,
    "Alpine Ski": Sport.OTHER,
    "Backcountry Ski": Sport.OTHER,
    "Nordic Ski": Sport.OTHER,
    "Roller Ski": Sport.OTHER,
    "Snowboard": Sport.OTHER,
    "Snowshoe": Sport.OTHER,
    "Ice Skate": Sport.OTHER,
    "Inline Skate": Sport.OTHER,
    "Skateboard": Sport.OTHER,
    "Golf": Sport.OTHER,
    "Soccer": Sport.OTHER,
    "Football (Soccer)": Sport.OTHER,
    "Tennis": Sport.OTHER,
    "Table Tennis": Sport.OTHER,
    "Badminton": Sport.OTHER,
    "Pickleball": Sport.OTHER,
    "Racquetball": Sport.OTHER,
    "Squash": Sport.OTHER,
}
"""Expectations for the names Strava's export writes; the API's CamelCase names below."""

STRAVA_API = {
    "MountainBikeRide": Sport.CYCLE,
    "GravelRide": Sport.CYCLE,
    "EMountainBikeRide": Sport.CYCLE,
    "WeightTraining": Sport.OTHER,
    "StairStepper": Sport.OTHER,
    "VirtualRow": Sport.OTHER,
    "Canoeing": Sport.OTHER,
    "StandUpPaddling": Sport.OTHER,
    "Surfing": Sport.OTHER,
    "RockClimbing": Sport.OTHER,
    "AlpineSki": Sport.OTHER,
    "BackcountrySki": Sport.OTHER,
    "NordicSki": Sport.OTHER,
    "RollerSki": Sport.OTHER,
    "IceSkate": Sport.OTHER,
    "InlineSkate": Sport.OTHER,
}


@pytest.mark.parametrize(("name", "sport"), STRAVA_CSV.items())
def test_a_strava_export_activity_type_names_its_sport(name, sport):
    assert from_word(name) is sport


@pytest.mark.parametrize(("name", "sport"), STRAVA_API.items())
def test_a_strava_api_sport_type_names_its_sport(name, sport):
    assert from_word(name) is sport


def test_every_strava_name_in_the_table_is_tested():
    def key(name: str) -> str:
        return name.lower().replace(" ", "_").replace("-", "_")

    strava = {key(n) for n in (*STRAVA_CSV, *STRAVA_API)}
    assert strava <= set(WORDS)
    assert set(WORDS) == set(GARMIN) | strava


@pytest.mark.parametrize(
    "name",
    [n for n, s in (*STRAVA_CSV.items(), *STRAVA_API.items()) if s is not Sport.RUN],
)
def test_every_strava_sport_but_runs_is_cross_training(name):
    assert not is_run_sport(from_word(name))


@pytest.mark.parametrize(("word", "sport"), GARMIN.items())
def test_a_sport_word_names_its_sport_in_any_case(word, sport):
    assert from_word(word) is sport
    assert from_word(word.upper().replace("_", " ")) is sport


def test_every_word_in_the_table_is_tested():
    assert set(WORDS) <= set(GARMIN) | {
        n.lower().replace(" ", "_").replace("-", "_") for n in (*STRAVA_CSV, *STRAVA_API)
    }


@pytest.mark.parametrize(
    ("tcx", "sport"), [("Running", Sport.RUN), ("Biking", Sport.CYCLE), ("Other", Sport.OTHER)]
)
def test_tcx_sports(tcx, sport):
    assert from_word(tcx) is sport


FIT = {
    0: Sport.OTHER,
    1: Sport.RUN,
    2: Sport.CYCLE,
    3: Sport.OTHER,
    4: Sport.OTHER,
    5: Sport.SWIM,
    10: Sport.OTHER,
    11: Sport.WALK,
    12: Sport.OTHER,
    13: Sport.OTHER,
    15: Sport.OTHER,
    16: Sport.WALK,
    17: Sport.WALK,
    21: Sport.CYCLE,
}


@pytest.mark.parametrize(("number", "sport"), FIT.items())
def test_a_fit_sport_number_names_its_sport(number, sport):
    assert from_fit(number) is sport


def test_every_fit_sport_in_the_table_is_tested():
    assert set(FIT_SPORT) == set(FIT)


@pytest.mark.parametrize(
    ("sport", "sub_sport"),
    [(1, 1), (4, 1), (0, 1), (None, 1), (1, 45), (4, 45)],
)
def test_a_treadmill_or_indoor_run_is_a_run(sport, sub_sport):
    assert from_fit(sport, sub_sport) is Sport.RUN


def test_fitness_equipment_that_is_not_a_treadmill_is_cross_training():
    assert from_fit(4, 15) is Sport.OTHER  # elliptical
    assert from_fit(4) is Sport.OTHER
    assert from_fit(2, 1) is Sport.CYCLE  # a sub-sport number means a run only for run hosts


def test_a_fit_file_without_a_sport_is_taken_as_a_run_and_an_unknown_one_as_other():
    assert from_fit(None) is Sport.RUN
    assert from_fit(250) is Sport.OTHER


def test_only_runs_count_as_running():
    assert is_run_sport(Sport.RUN) and not any(
        is_run_sport(s) for s in (Sport.WALK, Sport.CYCLE, Sport.SWIM, Sport.OTHER)
    )


def is_run_sport(sport: Sport) -> bool:
    from datetime import UTC, datetime

    from kneecoach.domain.activity import Activity

    activity = Activity(
        sport, datetime(2026, 1, 1, tzinfo=UTC), 1.0, 1.0, 1.0, None, None, None, None
    )
    return is_run(activity)
