"""The rules of a good citizen of Strava's API, as properties: when the next request may
go, how long a 429 waits, and the jittered pauses after a 5xx."""

from __future__ import annotations

import datetime as dt
import random

from hypothesis import given
from hypothesis import strategies as st

from kneecoach.services import strava as S
from kneecoach.services.ports import KeptLimits, RateLimits

moments = st.datetimes(
    min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2035, 1, 1), timezones=st.just(dt.UTC)
)


@given(moments)
def test_the_next_window_starts_on_a_quarter_hour_within_15_minutes(now):
    start = S.next_window(now)
    assert dt.timedelta(0) < start - now <= dt.timedelta(minutes=15)
    assert start.minute % 15 == 0 and start.second == 0


@given(moments, st.integers(1, 600), st.integers(0, 700), st.integers(S.RESERVE + 1, 30_000))
def test_a_request_waits_only_when_the_window_it_was_seen_in_is_nearly_used(
    now, limit, usage, daily_limit
):
    kept = KeptLimits(RateLimits(limit, usage, daily_limit, 0), now)
    ready = S.ready_at(kept, now)
    if usage >= limit - S.RESERVE:
        assert ready == S.next_window(now)
    else:
        assert ready == now


@given(moments, st.integers(1, 600), st.integers(0, 700))
def test_usage_seen_in_an_earlier_window_does_not_hold_a_request_back(now, limit, usage):
    seen = now - dt.timedelta(minutes=15)
    kept = KeptLimits(RateLimits(limit, usage, 100_000, 0), seen)
    assert S.ready_at(kept, now) == now


@given(moments, st.integers(1, 1000))
def test_the_days_limit_used_up_waits_for_the_next_utc_day(now, daily_limit):
    kept = KeptLimits(RateLimits(100, 0, daily_limit, daily_limit), now)
    assert S.ready_at(kept, now) == S.next_day(now)
    limited = RateLimits(100, 101, daily_limit, daily_limit)
    assert S.after_429(limited, now) == S.next_day(now)
    assert S.after_429(RateLimits(100, 101, 100_000, 10), now) == S.next_window(now)
    assert S.after_429(None, now) == S.next_window(now)


def test_nothing_seen_yet_holds_nothing_back():
    now = dt.datetime(2026, 11, 24, 12, tzinfo=dt.UTC)
    assert S.ready_at(None, now) == now


@given(st.integers(0, 12), st.integers(0, 2**32))
def test_the_pause_after_a_5xx_is_jittered_within_a_growing_capped_bound(attempt, seed):
    pause = S.backoff_s(attempt, random.Random(seed))
    assert 0 <= pause <= min(S.BACKOFF_CAP_S, S.BACKOFF_S * 2**attempt)
