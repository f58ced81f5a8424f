"""Exercise figures as PNG, for terminals that show images: the key frames drawn with
numpy (capsules for limbs, discs for the head, boxes for props) and written as a PNG with
zlib, so no imaging library is needed for a picture of a few stick figures."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable

import numpy as np

from kneecoach.domain.figure import (
    DRAWING_ORDER,
    HEAD_RADIUS,
    Figure,
    Point,
    key_positions,
    mirrored,
    prop_boxes,
    view_box,
)
from kneecoach.exports.figure_svg import BAND, INK, PROP, PROP_FILLS, WEIGHT, colour_of
from kneecoach.exports.figure_svg import SCALE as SVG_SCALE

Colour = tuple[int, int, int]
PIXELS_PER_UNIT = 150.0
MARGIN = 8


def _rgb(hex_colour: str) -> Colour:
    value = hex_colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


class Canvas:
    """An RGB image with the few shapes a stick figure needs, antialiasing left out."""

    def __init__(self, width: int, height: int) -> None:
        self.pixels = np.full((height, width, 3), 255, dtype=np.uint8)
        self.ys, self.xs = np.mgrid[0:height, 0:width].astype(np.float32)

    def capsule(self, a: Point, b: Point, radius: float, colour: Colour) -> None:
        """A thick line with round ends: every pixel within ``radius`` of the segment."""
        ax, ay = a
        dx, dy = b[0] - ax, b[1] - ay
        length2 = dx * dx + dy * dy or 1e-9
        t = np.clip(((self.xs - ax) * dx + (self.ys - ay) * dy) / length2, 0.0, 1.0)
        near = (self.xs - (ax + t * dx)) ** 2 + (self.ys - (ay + t * dy)) ** 2 <= radius**2
        self.pixels[near] = colour

    def disc(self, centre: Point, radius: float, colour: Colour) -> None:
        self.capsule(centre, centre, radius, colour)

    def box(self, left: float, top: float, right: float, bottom: float, colour: Colour) -> None:
        inside = (self.xs >= left) & (self.xs <= right) & (self.ys >= top) & (self.ys <= bottom)
        self.pixels[inside] = colour

    def png(self) -> bytes:
        height, width, _ = self.pixels.shape
        rows = np.concatenate(
            [np.zeros((height, 1), dtype=np.uint8), self.pixels.reshape(height, width * 3)], axis=1
        )

        def chunk(kind: bytes, data: bytes) -> bytes:
            body = kind + data
            return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

        header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
        return (
            b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows.tobytes(), 9))
            + chunk(b"IEND", b"")
        )


def keyframes_png(figure: Figure, *, highlight: str | None = "near", flip: bool = False) -> bytes:
    """The distinct key positions side by side, as in the printed sheet."""
    left, right, bottom, top = view_box(figure, flip)
    panel_w = int((right - left) * PIXELS_PER_UNIT) + 2 * MARGIN
    height = int((top - min(bottom, 0.0)) * PIXELS_PER_UNIT) + 2 * MARGIN
    stills = [position.points for position in key_positions(figure)]
    canvas = Canvas(panel_w * len(stills), height)
    scale = PIXELS_PER_UNIT / SVG_SCALE  # the SVG's stroke widths, at this size
    for index, points in enumerate(stills):
        shown = mirrored(points) if flip else points
        offset = index * panel_w

        def xy(p: Point, offset: int = offset) -> Point:
            return (
                (p[0] - left) * PIXELS_PER_UNIT + MARGIN + offset,
                (top - p[1]) * PIXELS_PER_UNIT + MARGIN,
            )

        _props(canvas, figure, xy, flip, offset, panel_w)
        for bone, start, end in DRAWING_ORDER:
            width = (14 if bone == "trunk" else 10) * scale
            colour = _rgb(colour_of(bone, highlight))
            canvas.capsule(xy(shown[start]), xy(shown[end]), max(width / 2, 1.5), colour)
        canvas.disc(xy(shown["head"]), HEAD_RADIUS * PIXELS_PER_UNIT, _rgb(INK))
        if "band" in figure.props:
            canvas.capsule(xy(shown["near_knee"]), xy(shown["far_knee"]), 1.2, _rgb(BAND))
        if figure.load_hand:
            x, y = xy(shown[figure.load_hand])
            canvas.box(x - 5, y - 3, x + 5, y + 3, _rgb(WEIGHT))
    return canvas.png()


def _props(
    canvas: Canvas,
    figure: Figure,
    xy: Callable[[Point], Point],
    flip: bool,
    offset: int,
    width: int,
) -> None:
    floor = xy((0.0, 0.0))[1]
    canvas.box(offset, floor, offset + width - 1, floor + 1, _rgb(PROP))
    for prop in prop_boxes(figure, flip):
        a, b = xy((prop.left, 0.0))[0], xy((prop.right, 0.0))[0]
        if prop.top is None:
            canvas.box(a - 2, 0, a + 2, floor, _rgb(PROP))
        else:
            canvas.box(a, xy((0.0, prop.top))[1], b, floor, _rgb(PROP_FILLS[prop.kind]))
