"""The printable program sheet: the current program on A4, as HTML and as PDF.

HTML with print CSS, rendered to PDF by WeasyPrint: each exercise in short with its dosage,
load and variant, a tick grid for the coming sessions, the pain scale, the red flags and
the sources.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from kneecoach import DISCLAIMER
from kneecoach.domain.evidence import (
    CROSSLEY_2016,
    SEED_ARTICLE,
    SILBERNAGEL_2007,
    THOMEE_1997,
    TRIAL_LENGTHS,
    Source,
)
from kneecoach.domain.planning import SessionPlan
from kneecoach.domain.profile import Profile
from kneecoach.domain.redflags import RED_FLAGS


def render_html(
    plan: SessionPlan, profile: Profile, days: Sequence[dt.date], printed: dt.date
) -> str:
    from jinja2 import Environment, PackageLoader, select_autoescape
    from markupsafe import Markup

    from kneecoach.exports.figure_svg import keyframes_svg

    environment = Environment(
        loader=PackageLoader("kneecoach.exports", "templates"),
        autoescape=select_autoescape(["html"]),
    )
    sources: dict[str, Source] = {
        s.key: s
        for s in (SEED_ARTICLE, SILBERNAGEL_2007, THOMEE_1997, CROSSLEY_2016, TRIAL_LENGTHS)
    }
    for item in plan.exercises:
        for note in item.notes:
            sources.update((s.key, s) for s in note.sources)
    knee = {"both": "both knees", "left": "left knee", "right": "right knee"}[
        profile.affected_knee.value
    ]
    side = "left" if profile.affected_knee.value == "both" else profile.affected_knee.value
    figures = {
        item.exercise.key: Markup(
            keyframes_svg(
                item.variant.figure,
                highlight=item.variant.figure.working,
                flip=item.variant.figure.flipped_for(side),
                title=f"{item.exercise.name}: key positions",
            )
        )
        for item in plan.exercises
        if item.variant.figure is not None
    }
    return environment.get_template("sheet.html").render(
        plan=plan,
        figures=figures,
        days=list(days),
        minutes=round(plan.seconds / 60),
        printed=printed.strftime("%d %b %Y"),
        profile_line=f"{knee} · {profile.sessions_per_week} sessions a week",
        red_flags=[flag.short[0].upper() + flag.short[1:] for flag in RED_FLAGS],
        disclaimer=DISCLAIMER,
        sources=list(sources.values()),
    )


def render_pdf(html: str) -> bytes:
    from weasyprint import HTML

    pdf = HTML(string=html).write_pdf()
    assert pdf is not None
    return bytes(pdf)
