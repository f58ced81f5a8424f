"""The sources every piece of advice cites.

Each rule that advises a person carries a :class:`Source`, and what the user sees shows its
citation beside the advice, so a runner or a physiotherapist can check where it came from.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Source:
    """A citable source; ``kind`` says how strong it is (evidence, expert opinion, default)."""

    key: str
    label: str
    citation: str
    kind: str = "evidence"
    note: str = ""

    def short(self) -> str:
        return self.citation if not self.note else f"{self.citation} — {self.note}"


SEED_ARTICLE = Source(
    key="seed",
    label="seed program",
    citation="Harris R., 'The Best Exercises For Runners Knee' (kneecoach's seed program)",
    kind="program",
)
CROSSLEY_2016 = Source(
    key="crossley-2016",
    label="Crossley 2016",
    citation="Crossley et al., BJSM 2016;50(14):844-852 (patellofemoral pain consensus)",
)
COLLINS_2018 = Source(
    key="collins-2018",
    label="Collins 2018",
    citation="Collins et al., BJSM 2018;52(18):1170-1178 (exercise therapy for PFP)",
)
TRIAL_LENGTHS = Source(
    key="trial-lengths",
    label="Ferber 2015; Thomee 1997",
    citation="Ferber et al. 2015 (6 weeks, n = 199); Thomee, Phys Ther 1997 (12 weeks)",
    kind="summary of trial lengths",
    note="a summary of trials, not a consensus recommendation",
)
SILBERNAGEL_2007 = Source(
    key="silbernagel-2007",
    label="Silbernagel 2007",
    citation="Silbernagel et al., Am J Sports Med 2007;35(6):897-906 (pain-monitoring model)",
)
THOMEE_1997 = Source(
    key="thomee-1997",
    label="Thomee 1997",
    citation="Thomee, Phys Ther 1997;77(12):1690-1703 (patellofemoral pain)",
)
RED_FLAG_SCREENING = Source(
    key="red-flags",
    label="red-flag screening",
    citation="Standard clinical red-flag screening for knee pain",
    kind="clinical screening",
    note="advice to see a clinician, not a diagnosis",
)
PRODUCT_DEFAULT = Source(
    key="product-default",
    label="kneecoach default",
    citation="kneecoach product default",
    kind="product default",
    note="a sensible starting value, not evidence; change it in your settings",
)

KUJALA_1993 = Source(
    key="kujala-1993",
    label="Kujala 1993",
    citation="Kujala et al., Arthroscopy 1993;9(2):159-163 (AKPS; scoring as tabulated in "
    "J Orthop 2023;42:54-62)",
)
CROSSLEY_2004 = Source(
    key="crossley-2004",
    label="Crossley 2004",
    citation="Crossley et al., Arch Phys Med Rehabil 2004;85:815-822 (AKPS MCID 10 points)",
)

HULIN_2016 = Source(
    key="hulin-2016",
    label="Hulin 2016",
    citation="Hulin et al., BJSM 2016;50(4):231-236 (rolling acute:chronic workload ratio)",
)
WILLIAMS_2017 = Source(
    key="williams-2017",
    label="Williams 2017",
    citation="Williams et al., BJSM 2017;51(3):209 (EWMA acute:chronic workload ratio)",
)
GABBETT_2016 = Source(
    key="gabbett-2016",
    label="Gabbett 2016",
    citation="Gabbett, BJSM 2016;50(5):273-280 (0.8-1.3 'sweet spot', >= 1.5 'danger zone')",
)
NIELSEN_2014 = Source(
    key="nielsen-2014",
    label="Nielsen 2014",
    citation="Nielsen et al., JOSPT 2014;44(10):739-747 (weekly increases > 30 %: HR 1.59, "
    "95 % CI 0.96-2.66 — weak evidence)",
)
ACWR_CAVEAT = Source(
    key="acwr-caveat",
    label="Lolli 2019; Impellizzeri 2021",
    citation="Lolli et al. 2019 (mathematical coupling); Impellizzeri et al., Sports Med "
    "2021;51(3):581-592 (recommend the ACWR be dismissed)",
    kind="criticism",
)
CLINICIAN = Source(
    key="clinician",
    label="your clinician",
    citation="Prescribed by your clinician",
    kind="clinical judgement",
)

ALL_SOURCES: tuple[Source, ...] = (
    SEED_ARTICLE,
    CROSSLEY_2016,
    COLLINS_2018,
    TRIAL_LENGTHS,
    SILBERNAGEL_2007,
    THOMEE_1997,
    RED_FLAG_SCREENING,
    PRODUCT_DEFAULT,
    KUJALA_1993,
    CROSSLEY_2004,
    HULIN_2016,
    WILLIAMS_2017,
    GABBETT_2016,
    NIELSEN_2014,
    ACWR_CAVEAT,
    CLINICIAN,
)


def source_by_key(key: str) -> Source:
    for source in ALL_SOURCES:
        if source.key == key:
            return source
    raise KeyError(key)
