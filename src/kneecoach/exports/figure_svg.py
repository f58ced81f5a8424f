"""Exercise figures as SVG: an animated figure (SMIL, so it moves without JavaScript) and
the key frames side by side for print. The affected leg is drawn in the accent colour and
the figure is mirrored for the other side, so a runner sees the leg they are working."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

from kneecoach.domain.catalogue import Exercise
from kneecoach.domain.errors import InvalidInput
from kneecoach.domain.figure import (
    DRAWING_ORDER,
    HEAD_RADIUS,
    Figure,
    Point,
    frames,
    key_positions,
    mirrored,
    prop_boxes,
    view_box,
)

SCALE = 300.0  # pixels per unit of body height
MARGIN = 20.0
INK, ACCENT, FAR, PROP, BAND, WEIGHT = (
    "#14232b",
    "#d9480f",
    "#7b8a91",
    "#9fb3bb",
    "#2b7a4b",
    "#495057",
)
Box = tuple[float, ...]
Track = Sequence[Mapping[str, tuple[float, float]]]
"""Joint positions in pixels: one entry for a still, one per sample for an animation."""


LEG = ("thigh", "shank", "foot")


def colour_of(bone: str, highlight: str | None) -> str:
    """The accent for the highlighted leg, grey for the far limbs, ink for the rest."""
    if highlight and bone.startswith(f"{highlight}_") and bone.split("_", 1)[1] in LEG:
        return ACCENT
    return FAR if bone.startswith("far_") else INK


def _xy(point: Point, box: Box) -> tuple[float, float]:
    left, _, _, top = box
    return (point[0] - left) * SCALE + MARGIN, (top - point[1]) * SCALE + MARGIN


def _size(box: Box) -> tuple[float, float]:
    left, right, bottom, top = box
    return (right - left) * SCALE + 2 * MARGIN, (top - min(bottom, 0.0)) * SCALE + 2 * MARGIN


PROP_FILLS = {"bench": "#e9f2f5", "pad": "#cfe0e6"}


def _props(figure: Figure, box: Box, flip: bool) -> list[str]:
    width, _ = _size(box)
    floor_y = _xy((0, 0), box)[1]
    out = [
        f'<line x1="0" y1="{floor_y:.1f}" x2="{width:.1f}" y2="{floor_y:.1f}" '
        f'stroke="{PROP}" stroke-width="3"/>'
    ]
    for prop in prop_boxes(figure, flip):
        a, b = _xy((prop.left, 0), box)[0], _xy((prop.right, 0), box)[0]
        if prop.top is None:
            out.append(
                f'<line x1="{a:.1f}" y1="0" x2="{a:.1f}" y2="{floor_y:.1f}" '
                f'stroke="{PROP}" stroke-width="6"/>'
            )
            continue
        top = _xy((0, prop.top), box)[1]
        edge = f'stroke="{PROP}" stroke-width="2"' if prop.kind == "bench" else 'rx="4"'
        out.append(
            f'<rect x="{a:.1f}" y="{top:.1f}" width="{b - a:.1f}" '
            f'height="{floor_y - top:.1f}" fill="{PROP_FILLS[prop.kind]}" {edge}/>'
        )
    return out


class _Animator:
    """Writes an attribute either fixed (a still) or as a looping SMIL animation."""

    def __init__(self, count: int, seconds: float, loop: bool = True) -> None:
        self.count = count
        self.times = ";".join(f"{i / max(count - 1, 1):.4f}" for i in range(count))
        self.timing = f'dur="{max(seconds, 0.05):g}s" ' + (
            'repeatCount="indefinite"' if loop else 'fill="freeze"'
        )

    def element(self, tag: str, fixed: str, attributes: Mapping[str, Sequence[float]]) -> str:
        first = " ".join(f'{name}="{values[0]:.1f}"' for name, values in attributes.items())
        if self.count == 1:
            return f"<{tag} {first} {fixed}/>"
        moves = "".join(
            f'<animate attributeName="{name}" values="{";".join(f"{v:.1f}" for v in values)}" '
            f'keyTimes="{self.times}" {self.timing}/>'
            for name, values in attributes.items()
        )
        return f"<{tag} {first} {fixed}>{moves}</{tag}>"


def _body(figure: Figure, track: Track, animator: _Animator, highlight: str | None) -> list[str]:
    out = []
    for bone, start, end in DRAWING_ORDER:
        width = 14 if bone == "trunk" else 10
        out.append(
            animator.element(
                "line",
                f'stroke="{colour_of(bone, highlight)}" stroke-width="{width}" '
                'stroke-linecap="round"',
                {
                    "x1": [p[start][0] for p in track],
                    "y1": [p[start][1] for p in track],
                    "x2": [p[end][0] for p in track],
                    "y2": [p[end][1] for p in track],
                },
            )
        )
    out.append(
        animator.element(
            "circle",
            f'r="{HEAD_RADIUS * SCALE:.1f}" fill="{INK}"',
            {"cx": [p["head"][0] for p in track], "cy": [p["head"][1] for p in track]},
        )
    )
    if "band" in figure.props:
        out.append(
            animator.element(
                "line",
                f'stroke="{BAND}" stroke-width="5"',
                {
                    "x1": [p["near_knee"][0] for p in track],
                    "y1": [p["near_knee"][1] for p in track],
                    "x2": [p["far_knee"][0] for p in track],
                    "y2": [p["far_knee"][1] for p in track],
                },
            )
        )
    if figure.load_hand:
        hand = figure.load_hand
        out.append(
            animator.element(
                "rect",
                f'width="28" height="16" rx="5" fill="{WEIGHT}"',
                {"x": [p[hand][0] - 14 for p in track], "y": [p[hand][1] - 8 for p in track]},
            )
        )
    return out


def _svg(width: float, height: float, title: str, parts: Sequence[str]) -> str:
    label = f"<title>{escape(title)}</title>" if title else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'role="img">{label}{"".join(parts)}</svg>'
    )


def animated_svg(
    figure: Figure,
    seconds: float,
    *,
    highlight: str | None = "near",
    flip: bool = False,
    samples: int = 25,
    title: str = "",
    loop: bool = True,
) -> str:
    """One repetition lasting ``seconds``, looping (or played once and left in its last
    pose). ``highlight`` is the leg ('near' or 'far') drawn in the accent colour; ``flip``
    mirrors the figure for the other side."""
    box = view_box(figure, flip, samples)
    points = (mirrored(f.points) if flip else f.points for f in frames(figure, samples))
    track = [{k: _xy(v, box) for k, v in p.items()} for p in points]
    parts = _props(figure, box, flip) + _body(
        figure, track, _Animator(samples, seconds, loop), highlight
    )
    return _svg(*_size(box), title, parts)


def keyframes_svg(
    figure: Figure, *, highlight: str | None = "near", flip: bool = False, title: str = ""
) -> str:
    """The key frames side by side, still, on one scale, for the printed sheet."""
    box = view_box(figure, flip)
    width, height = _size(box)
    panels: list[str] = []
    for position in key_positions(figure):
        points = position.points
        still = [{k: _xy(v, box) for k, v in (mirrored(points) if flip else points).items()}]
        parts = _props(figure, box, flip) + _body(figure, still, _Animator(1, 0), highlight)
        panels.append(f'<g transform="translate({len(panels) * width:.1f},0)">{"".join(parts)}</g>')
    return _svg(len(panels) * width, height, title, panels)


HOLD_DEMO_SECONDS = 6.0
"""How long the reference shows a held stretch before it starts again."""


def exercise_figure(
    exercise: Exercise,
    variant_key: str,
    side: str = "left",
    *,
    speed: float = 1.0,
    still: bool = False,
    hold_seconds: float | None = None,
) -> str:
    """The figure of one variant for one side, timed to the exercise's tempo.

    A repetition lasts as long as the tempo's beats (divided by ``speed``, as in the player),
    so the figure moves in step with the counted reps. A hold moves into position and stays
    for ``hold_seconds`` when given (the player), or loops a short demonstration.
    """
    variant = exercise.chosen_variant(variant_key)
    figure = variant.figure
    if figure is None:
        raise InvalidInput(f"{exercise.name} ({variant.name}) has no figure yet")
    if side not in ("left", "right", "both"):
        raise InvalidInput(f"side must be left, right or both, not '{side}'")
    flip = figure.flipped_for(side)
    highlight = None if side == "both" else figure.working
    leg = "" if side == "both" else f", {side} leg"
    title = f"{exercise.name} — {variant.name}{leg}"
    if still:
        return keyframes_svg(figure, highlight=highlight, flip=flip, title=title)
    if exercise.tempo:
        return animated_svg(
            figure, exercise.rep_seconds / speed, highlight=highlight, flip=flip, title=title
        )
    if hold_seconds is None:
        return animated_svg(
            figure, HOLD_DEMO_SECONDS / speed, highlight=highlight, flip=flip, title=title
        )
    getting_there = 3.0  # seconds to move into the held position
    return animated_svg(
        figure,
        getting_there / max(figure.hold_at(), 0.05) / speed,
        highlight=highlight,
        flip=flip,
        title=title,
        loop=False,
    )
