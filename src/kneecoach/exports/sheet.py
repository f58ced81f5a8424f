"""The printable program sheet: the current program on A4, as HTML and as PDF.

HTML with print CSS, rendered to PDF by WeasyPrint: each exercise in short with its dosage,
load and variant, a tick grid for the coming sessions, the pain scale, the red flags and
the sources. It lays out what ``services.exports.sheet_view`` gathered: the scale, the
advice and the citations come with the view.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kneecoach.services.exports import SheetView

KNEES = {"both": "both knees", "left": "left knee", "right": "right knee"}


def render_html(view: SheetView) -> str:
    from jinja2 import Environment, PackageLoader, select_autoescape
    from markupsafe import Markup

    from kneecoach.exports.figure_svg import keyframes_svg

    environment = Environment(
        loader=PackageLoader("kneecoach.exports", "templates"),
        autoescape=select_autoescape(["html"]),
    )
    figures = {
        item.key: Markup(
            keyframes_svg(
                item.figure,
                highlight=item.figure.working,
                flip=item.figure_flipped,
                title=f"{item.name}: key positions",
            )
        )
        for item in view.exercises
        if item.figure is not None
    }
    return environment.get_template("sheet.html").render(
        sheet=view,
        figures=figures,
        printed=view.printed.strftime("%d %b %Y"),
        profile_line=f"{KNEES[view.knee]} · {view.sessions_per_week} sessions a week",
        red_flags=[flag[0].upper() + flag[1:] for flag in view.red_flags],
    )


def render_pdf(html: str) -> bytes:
    from weasyprint import HTML

    pdf = HTML(string=html).write_pdf()
    assert pdf is not None
    return bytes(pdf)
