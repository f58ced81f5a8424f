"""Sources that say what they support: a rule cites a paper only for what the paper says,
and kneecoach's own choices cite themselves as kneecoach defaults (evidence.md §2, §5, §8)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from kneecoach import definitions
from kneecoach.domain import load as L
from kneecoach.domain.catalogue import Equipment
from kneecoach.domain.evidence import (
    ALL_SOURCES,
    BANISTER_COGGAN,
    POWERS_2014,
    PRODUCT_DEFAULT,
    RED_FLAG_SCREENING,
    SEED_ARTICLE,
    SILBERNAGEL_2007,
    THOMEE_1997,
    WINDT_GABBETT,
)
from kneecoach.domain.pain import Band, PainVerdict, pain_advice
from kneecoach.domain.planning import SessionPlan, fit_prescription, plan_day
from kneecoach.domain.prescription import Dosage, Prescription
from kneecoach.domain.progression import Action, JudgedSession, Level, decide
from kneecoach.domain.redflags import ScreeningResult, red_flag, signs_in_training
from tests.helpers import MONDAY, profile

pytestmark = pytest.mark.own_dates

LADDERS = definitions.program().ladders


def _planned(key, **changes):
    plan = plan_day(
        MONDAY,
        profile(**changes),
        definitions.program(),
        definitions.catalogue(),
        ScreeningResult(flagged=()),
    )
    assert isinstance(plan, SessionPlan)
    return next(item for item in plan.exercises if item.exercise.key == key)


def test_the_kneeling_fire_hydrant_for_a_painful_knee_is_a_kneecoach_default():
    hydrant = _planned("fire-hydrant", pain_at_rest=4)
    swap = next(note for note in hydrant.notes if "pain is high" in note.text)
    assert swap.sources == (PRODUCT_DEFAULT,)  # neither the seed nor Silbernagel says it


def test_high_pain_at_rest_is_a_kneecoach_default_not_the_pain_monitoring_model():
    weighted = Prescription("bulgarian-split-squat", "weighted", Dosage(2, reps=15), 60, 4.0)
    squat = fit_prescription(
        weighted,
        definitions.catalogue().get("bulgarian-split-squat"),
        profile(pain_at_rest=3, equipment=frozenset(Equipment), heaviest_dumbbell_kg=8),
    )
    body_weight = next(note for note in squat.notes if "pain is high" in note.text)
    assert body_weight.sources == (SEED_ARTICLE, PRODUCT_DEFAULT)  # the seed: start unweighted


def test_the_pause_for_severe_pain_in_a_session_is_a_kneecoach_default():
    paused = signs_in_training(pain_during=7)
    assert paused.source is PRODUCT_DEFAULT
    # as it is kept and read back: rebuilt from its flags' keys
    kept = ScreeningResult(flagged=tuple(red_flag(f.key) for f in paused.flagged))
    assert kept.source is PRODUCT_DEFAULT


def test_the_screens_red_flags_and_reported_swelling_cite_red_flag_screening():
    assert ScreeningResult((red_flag("locking"),)).source is RED_FLAG_SCREENING
    assert signs_in_training(swelling=True).source is RED_FLAG_SCREENING


def _judged(*verdicts):
    return [
        JudgedSession(MONDAY + dt.timedelta(days=2 * i), verdict, True)
        for i, verdict in enumerate(verdicts)
    ]


IDEAL = PainVerdict(Band.IDEAL, "pain stayed at 1/10")
TOO_MUCH = PainVerdict(Band.TOO_MUCH, "pain during reached 7/10 (above 5)")


def test_the_top_of_the_ladder_is_a_kneecoach_default_not_the_seed():
    top = Level("kneeling", 3, hold_seconds=60)
    held = decide(top, LADDERS["hip-flexor-stretch"], _judged(IDEAL, IDEAL), (), MONDAY)
    assert "top of the ladder" in held.why
    assert held.sources == (PRODUCT_DEFAULT,)
    assert SEED_ARTICLE not in held.sources


def test_a_step_down_cites_the_model_for_why_and_a_kneecoach_default_for_how_far():
    squat = LADDERS["bulgarian-split-squat"]
    down = decide(
        Level("body-weight", 2, reps=15, range="partial"), squat, _judged(TOO_MUCH), (), MONDAY
    )
    floor = decide(
        Level("body-weight", 1, reps=8, range="partial"), squat, _judged(TOO_MUCH), (), MONDAY
    )
    for decision in (down, floor):
        assert decision.action is Action.REGRESS
        assert decision.sources == (SILBERNAGEL_2007, THOMEE_1997, PRODUCT_DEFAULT)


def test_see_a_clinician_if_too_much_pain_keeps_happening_is_a_kneecoach_default():
    assert pain_advice(6).sources == (SILBERNAGEL_2007, THOMEE_1997, PRODUCT_DEFAULT)
    assert pain_advice(2).sources == (SILBERNAGEL_2007, THOMEE_1997)


def test_the_uncoupled_ratio_cites_windt_and_gabbett():
    assert L.UNCOUPLED.source is WINDT_GABBETT
    assert "Windt & Gabbett" in WINDT_GABBETT.citation


def test_fitness_and_fatigue_cite_banister_and_coggans_performance_manager():
    assert L.FITNESS_FATIGUE.sources == (BANISTER_COGGAN,)
    assert "Banister" in BANISTER_COGGAN.citation and "Coggan" in BANISTER_COGGAN.citation
    assert f"{L.CTL_DAYS} days" in L.FITNESS_FATIGUE.text


def test_a_run_the_day_after_too_much_pain_is_flagged_as_a_kneecoach_default():
    first = MONDAY
    load = np.zeros((1, 3))
    load[0, 2] = 5.0
    found = L.warnings(
        load, first, too_much_days=[first + dt.timedelta(1)], run_days=[first + dt.timedelta(2)]
    )
    run_after = next(w for w in found if w.kind == "run-after-pain")
    assert run_after.sources == (SILBERNAGEL_2007, PRODUCT_DEFAULT)


def test_every_product_default_says_kneecoach_default_where_it_is_shown():
    defaults = [s for s in ALL_SOURCES if s.kind == "product default"]
    assert defaults == [PRODUCT_DEFAULT]
    assert PRODUCT_DEFAULT.label == "kneecoach default"
    assert PRODUCT_DEFAULT.citation.startswith("kneecoach default")
    assert PRODUCT_DEFAULT.short().startswith("kneecoach default")


def test_a_step_of_range_cites_powers_and_labels_the_ordering_a_kneecoach_default():
    squat = LADDERS["bulgarian-split-squat"]
    full = Level("body-weight", 2, reps=15, range="full")
    partial = Level("body-weight", 2, reps=15, range="partial")
    down = decide(full, squat, _judged(TOO_MUCH), (), MONDAY)
    up = decide(partial, squat, _judged(IDEAL, IDEAL), (), MONDAY)
    assert down.sources == (SILBERNAGEL_2007, THOMEE_1997, POWERS_2014, PRODUCT_DEFAULT)
    assert up.sources == (SILBERNAGEL_2007, POWERS_2014, PRODUCT_DEFAULT)
    for decision in (down, up):
        assert "depth before load" in decision.why
        assert PRODUCT_DEFAULT.label == "kneecoach default"


def test_advice_and_decisions_cite_each_source_once_in_the_order_given():
    from kneecoach.domain.advice import Advice
    from kneecoach.domain.evidence import PRODUCT_DEFAULT, SEED_ARTICLE

    advice = Advice("Kneel for it", (SEED_ARTICLE, PRODUCT_DEFAULT, PRODUCT_DEFAULT))
    assert advice.sources == (SEED_ARTICLE, PRODUCT_DEFAULT)
    assert advice.labels == "seed program; kneecoach default"


def test_red_flag_advice_cited_in_full_keeps_the_not_a_diagnosis_note():
    from kneecoach.domain.advice import Advice
    from kneecoach.domain.evidence import RED_FLAG_SCREENING

    advice = Advice("See a clinician", (RED_FLAG_SCREENING,))
    assert advice.cited_in_full == RED_FLAG_SCREENING.short()
    assert advice.cited_in_full.endswith("— advice to see a clinician, not a diagnosis")
