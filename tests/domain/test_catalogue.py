from __future__ import annotations

import pytest

from kneecoach import definitions
from kneecoach.domain.catalogue import UnknownExercise, VariantKind
from kneecoach.domain.evidence import PRODUCT_DEFAULT, SEED_ARTICLE

pytestmark = pytest.mark.own_dates


@pytest.fixture(scope="module")
def catalogue():
    return definitions.catalogue()


def test_catalogue_holds_the_six_seed_exercises_in_order(catalogue):
    assert [e.key for e in catalogue] == [
        "roll-down",
        "bulgarian-split-squat",
        "fire-hydrant",
        "bent-knee-heel-raise",
        "elevated-single-leg-glute-bridge",
        "hip-flexor-stretch",
    ]


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("Bulgarian Split Squat", "bulgarian-split-squat"),
        ("bulgarian_split-squat", "bulgarian-split-squat"),
        ("BULG", "bulgarian-split-squat"),
        ("split sq", "bulgarian-split-squat"),
        ("bss", "bulgarian-split-squat"),
        ("rolldown", "roll-down"),
        ("fire", "fire-hydrant"),
        ("heel raise", "bent-knee-heel-raise"),
        ("glute bridge", "elevated-single-leg-glute-bridge"),
        ("hip flexor", "hip-flexor-stretch"),
        ("  Roll-Down ", "roll-down"),
    ],
)
def test_names_match_forgivingly(catalogue, query, key):
    assert catalogue.find(query).key == key


def test_an_ambiguous_prefix_names_the_candidates(catalogue):
    with pytest.raises(UnknownExercise) as error:
        catalogue.find("hip")
    assert "hip-flexor-stretch" in str(error.value)
    assert "elevated-single-leg-glute-bridge" in str(error.value)


@pytest.mark.parametrize("query", ["", "   ", "deadlift", "zz"])
def test_an_unknown_name_is_refused(catalogue, query):
    with pytest.raises(UnknownExercise):
        catalogue.find(query)


def test_variants_offer_body_weight_and_weighted_and_standing_and_kneeling(catalogue):
    kinds = {e.key: {v.kind for v in e.variants} for e in catalogue}
    assert kinds["bulgarian-split-squat"] == {VariantKind.BODY_WEIGHT, VariantKind.WEIGHTED}
    assert kinds["bent-knee-heel-raise"] == {VariantKind.BODY_WEIGHT, VariantKind.WEIGHTED}
    assert kinds["fire-hydrant"] == {VariantKind.STANDING, VariantKind.KNEELING}


def test_every_exercise_has_instructions_purpose_and_a_source(catalogue):
    for exercise in catalogue:
        assert exercise.instructions and exercise.purpose and exercise.targets
        assert exercise.source.citation


def test_weighted_variants_fall_back_to_an_easier_one(catalogue):
    for exercise in catalogue:
        for variant in exercise.variants:
            if variant.takes_load:
                assert variant.easier is not None
                assert not exercise.variant(variant.easier).takes_load


def test_what_kneecoach_wrote_is_credited_to_kneecoach_not_the_seed(catalogue):
    """The seed gives the exercises, how they are done, their dosage and effects; it gives no
    tempo and no substitutes (shared/program-source.md), and some cautions are ours."""
    for exercise in catalogue:
        if exercise.tempo:
            assert exercise.source_of("tempo") is PRODUCT_DEFAULT
        if exercise.substitutes:
            assert exercise.source_of("substitutes") is PRODUCT_DEFAULT
        assert exercise.source_of("instructions") is SEED_ARTICLE
        assert exercise.source_of("purpose") is SEED_ARTICLE
    assert catalogue.get("hip-flexor-stretch").source_of("cautions") is PRODUCT_DEFAULT
    assert catalogue.get("fire-hydrant").source_of("cautions") is PRODUCT_DEFAULT
    assert catalogue.get("bulgarian-split-squat").source_of("cautions") is SEED_ARTICLE


def test_an_exercises_credits_name_each_source_once_with_the_parts_it_backs(catalogue):
    stretch = catalogue.get("hip-flexor-stretch")
    assert [(c.source, c.parts) for c in stretch.credits] == [
        (SEED_ARTICLE, ("what it does", "how to do it", "the cue", "the variants")),
        (PRODUCT_DEFAULT, ("take care", "what to look for", "without the equipment")),
    ]  # a hold: no tempo to credit
    for exercise in catalogue:
        credited = [part for c in exercise.credits for part in c.parts]
        assert len(credited) == len(set(credited))
