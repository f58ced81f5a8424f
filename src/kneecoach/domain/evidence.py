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
    citation="Standard clinical red-flag screening for knee pain (as knee-pain assessment "
    "guidance and the Queensland Paediatric Emergency Care guideline 'Limp' list the signs)",
    kind="clinical screening",
    note="advice to see a clinician, not a diagnosis",
)
PRODUCT_DEFAULT = Source(
    key="product-default",
    label="kneecoach default",
    citation="kneecoach default",
    kind="product default",
    note="kneecoach's own choice, not evidence: a sensible starting value where the sources "
    "give none",
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

ESCULIER_2018 = Source(
    key="esculier-2018",
    label="Esculier 2018",
    citation="Esculier et al., Br J Sports Med 2018;52(10):659-666 (runners with PFP: education "
    "alone did as well over 20 weeks as education plus exercise or plus gait retraining; "
    "n = 69)",
)
POWERS_2014 = Source(
    key="powers-2014",
    label="Powers 2014",
    citation="Powers et al., JOSPT 2014;44(5):320-327 (patellofemoral joint stress rises with "
    "knee flexion in weight-bearing exercise; 0-45 degrees keeps it low)",
)

RTR_CRITERIA_SOURCE = Source(
    key="rtr-criteria",
    label="clinic entry criteria",
    citation="Return-to-run entry criteria used by clinics (expert opinion)",
    kind="expert opinion",
)
RTR_TRIAL_2023 = Source(
    key="rtr-trials-2023",
    label="Trials 2023",
    citation="Graded walk/run programme, Trials 2023 (doi:10.1186/s13063-023-07502-x), "
    "knee overuse injuries",
)

HULIN_2016 = Source(
    key="hulin-2016",
    label="Hulin 2016",
    citation="Hulin et al., BJSM 2016;50(4):231-236 (rolling acute:chronic workload ratio)",
)
WINDT_GABBETT = Source(
    key="windt-gabbett",
    label="Windt & Gabbett",
    citation="Windt & Gabbett (uncoupled acute:chronic workload ratio: acute days t-6..t over "
    "chronic days t-27..t-7)",
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
BANISTER_COGGAN = Source(
    key="banister-coggan",
    label="Banister; Coggan",
    citation="Banister's fitness-fatigue model, as in Coggan's performance manager (fitness "
    "CTL over 42 days, fatigue ATL over 7, form TSB = CTL - ATL)",
    kind="training model",
)
HEIDERSCHEIT_2011 = Source(
    key="heiderscheit-2011",
    label="Heiderscheit 2011",
    citation="Heiderscheit et al., Med Sci Sports Exerc 2011;43(2):296-302 (step rate +5-10 % "
    "at the same speed lowers knee and hip loading)",
)
WILLSON_2014 = Source(
    key="willson-2014",
    label="Willson 2014",
    citation="Willson et al., Clin Biomech 2014;29(3):243-247 (10 % shorter steps: "
    "patellofemoral joint stress 22 % lower per step, 7.5 % per mile)",
)
BRAMAH_2019 = Source(
    key="bramah-2019",
    label="Bramah 2019",
    citation="Bramah et al., Am J Sports Med 2019;47(14):3406-3413 (step rate +10 % in runners "
    "with PFP; case series, n = 12 — weak evidence)",
)
BUIST_2008 = Source(
    key="buist-2008",
    label="Buist 2008",
    citation="Buist et al., Am J Sports Med 2008;36(1):33-39 (a graded program of at most 10 % "
    "more a week: 20.8 % injured against 20.3 %; RCT, n = 532)",
)
BOSQUET_2007 = Source(
    key="bosquet-2007",
    label="Bosquet 2007",
    citation="Bosquet et al., Med Sci Sports Exerc 2007;39(8):1358-1365 (taper: volume down "
    "about 41-60 % over about two weeks, intensity and frequency kept)",
)
HERRINGTON_2014 = Source(
    key="herrington-2014",
    label="Herrington 2014",
    citation="Herrington, Knee 2014;21(2):514-517 (knee valgus in a single-leg squat, FPPA: "
    "healthy 8.4 ± 5.1 degrees, women with PFP 16.8 ± 5.4)",
)
FPPA_2D_VALIDITY = Source(
    key="fppa-2d-validity",
    label="2D vs 3D FPPA validity",
    citation="Validity of a 2D video FPPA against 3D motion analysis: moderate "
    "(r 0.64-0.78), as recorded with Herrington, Knee 2014;21(2):514-517",
    kind="validity caveat",
    note="a measure from phone video, not a laboratory one",
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
    ESCULIER_2018,
    POWERS_2014,
    RTR_CRITERIA_SOURCE,
    RTR_TRIAL_2023,
    HULIN_2016,
    WINDT_GABBETT,
    WILLIAMS_2017,
    GABBETT_2016,
    NIELSEN_2014,
    BANISTER_COGGAN,
    HEIDERSCHEIT_2011,
    WILLSON_2014,
    BRAMAH_2019,
    BUIST_2008,
    BOSQUET_2007,
    HERRINGTON_2014,
    FPPA_2D_VALIDITY,
    ACWR_CAVEAT,
    CLINICIAN,
)
"""The evidence catalogue: every source kneecoach may cite, each once (a test walks every
advice and decision the product gives and finds each of its sources here)."""


def source_by_key(key: str) -> Source:
    for source in ALL_SOURCES:
        if source.key == key:
            return source
    raise KeyError(key)
