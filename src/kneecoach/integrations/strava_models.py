"""Strava's documented response shapes, as pydantic models (developers.strava.com/docs/
reference: SummaryActivity, StreamSet, the OAuth token answers, Fault).

stravalib ships Strava's generated model as ``stravalib.strava_model``, but stravalib is not
available to this project, so these are written from the reference by hand: only the fields
kneecoach reads or the fake serves, each with the reference's name and type. The client
parses Strava's answers with them (fields not listed are ignored), and the tests hold every
answer of the fake to them (``strict``: the fake may not invent a field).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

SPORT_TYPES = frozenset(
    [
        "AlpineSki",
        "BackcountrySki",
        "Badminton",
        "Canoeing",
        "Crossfit",
        "EBikeRide",
        "Elliptical",
        "EMountainBikeRide",
        "Golf",
        "GravelRide",
        "Handcycle",
        "HighIntensityIntervalTraining",
        "Hike",
        "IceSkate",
        "InlineSkate",
        "Kayaking",
        "Kitesurf",
        "MountainBikeRide",
        "NordicSki",
        "Pickleball",
        "Pilates",
        "Racquetball",
        "Ride",
        "RockClimbing",
        "RollerSki",
        "Rowing",
        "Run",
        "Sail",
        "Skateboard",
        "Snowboard",
        "Snowshoe",
        "Soccer",
        "Squash",
        "StairStepper",
        "StandUpPaddling",
        "Surfing",
        "Swim",
        "TableTennis",
        "Tennis",
        "TrailRun",
        "Velomobile",
        "VirtualRide",
        "VirtualRow",
        "VirtualRun",
        "Walk",
        "WeightTraining",
        "Wheelchair",
        "Windsurf",
        "Workout",
        "Yoga",
    ]
)
"""Strava's SportType enumeration."""

STREAM_TYPES = (
    "time",
    "distance",
    "latlng",
    "altitude",
    "velocity_smooth",
    "heartrate",
    "cadence",
    "watts",
    "temp",
    "moving",
    "grade_smooth",
)
"""Strava's StreamType enumeration (the keys of a StreamSet)."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class MetaAthlete(_Model):
    id: int


class SummaryAthlete(_Model):
    id: int
    resource_state: int | None = None
    firstname: str | None = None
    lastname: str | None = None
    city: str | None = None
    country: str | None = None
    sex: Literal["M", "F"] | None = None
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None


class SummaryActivity(_Model):
    id: int
    resource_state: int | None = None
    external_id: str | None = None
    upload_id: int | None = None
    athlete: MetaAthlete
    name: str
    distance: float
    moving_time: int
    elapsed_time: int
    total_elevation_gain: float | None = None
    elev_high: float | None = None
    elev_low: float | None = None
    type: str | None = None
    """Deprecated by Strava in favour of sport_type; still sent."""
    sport_type: str
    start_date: dt.datetime
    start_date_local: dt.datetime
    timezone: str | None = None
    start_latlng: list[float] | None = None
    end_latlng: list[float] | None = None
    achievement_count: int | None = None
    kudos_count: int | None = None
    comment_count: int | None = None
    athlete_count: int | None = None
    photo_count: int | None = None
    total_photo_count: int | None = None
    trainer: bool | None = None
    commute: bool | None = None
    manual: bool | None = None
    private: bool | None = None
    flagged: bool | None = None
    workout_type: int | None = None
    average_speed: float | None = None
    max_speed: float | None = None
    has_heartrate: bool | None = None
    average_heartrate: float | None = None
    max_heartrate: float | None = None
    average_cadence: float | None = None
    device_watts: bool | None = None
    average_watts: float | None = None
    kilojoules: float | None = None


class BaseStream(_Model):
    original_size: int | None = None
    resolution: Literal["low", "medium", "high"] | None = None
    series_type: Literal["distance", "time"] | None = None


class NumberStream(BaseStream):
    data: list[float]


class LatLngStream(BaseStream):
    data: list[list[float]]


class BoolStream(BaseStream):
    data: list[bool]


class StreamSet(_Model):
    """Streams keyed by type (``key_by_type=true``)."""

    time: NumberStream | None = None
    distance: NumberStream | None = None
    latlng: LatLngStream | None = None
    altitude: NumberStream | None = None
    velocity_smooth: NumberStream | None = None
    heartrate: NumberStream | None = None
    cadence: NumberStream | None = None
    watts: NumberStream | None = None
    temp: NumberStream | None = None
    moving: BoolStream | None = None
    grade_smooth: NumberStream | None = None


class TokenAnswer(_Model):
    """POST /oauth/token: the answer to an authorization code (with the athlete) or to a
    refresh token (without)."""

    token_type: Literal["Bearer"]
    access_token: str
    refresh_token: str
    expires_at: int
    expires_in: int
    athlete: SummaryAthlete | None = None


class DeauthorizeAnswer(_Model):
    access_token: str


class FaultError(_Model):
    resource: str
    field: str
    code: str


class Fault(_Model):
    """Every error answer of Strava."""

    message: str
    errors: list[FaultError]


EventNumber = Annotated[int, Field(ge=0, le=2**63 - 1)]
"""Strava's ids and times are 64-bit integers: an event naming a larger (or negative) one
is not Strava's, and the database could not even look it up."""


class PushEvent(_Model):
    """An event of a push subscription (Strava's Webhook Events API): what changed, whose."""

    object_type: Literal["activity", "athlete"]
    object_id: EventNumber
    aspect_type: Literal["create", "update", "delete"]
    updates: dict[str, str | bool | int] = {}
    owner_id: EventNumber
    subscription_id: EventNumber
    event_time: EventNumber


class PushSubscription(_Model):
    """POST /push_subscriptions: the subscription made."""

    id: int


def strict(model: type[_Model]) -> type[BaseModel]:
    """The model refusing fields it does not list (the tests hold the fake to it)."""
    if model not in _strict_cache:

        class Strict(model):  # type: ignore[valid-type,misc]
            model_config = ConfigDict(extra="forbid", frozen=True)

        Strict.__name__ = f"Strict{model.__name__}"
        _strict_cache[model] = Strict
    return _strict_cache[model]


_strict_cache: dict[type[_Model], type[BaseModel]] = {}
