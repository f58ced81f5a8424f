"""Terminal pictures: which protocol a terminal speaks, and the escape codes carry the
PNG intact; the PNG itself decodes to the figure's colours."""

from __future__ import annotations

import base64
import re
import struct
import zlib

import numpy as np
import pytest

from kneecoach import definitions
from kneecoach.cli.terminal_images import encode, protocol
from kneecoach.exports.figure_png import keyframes_png

pytestmark = pytest.mark.own_dates


@pytest.mark.parametrize(
    ("env", "tty", "expected"),
    [
        ({"TERM": "xterm-kitty"}, True, "kitty"),
        ({"KITTY_WINDOW_ID": "1", "TERM": "xterm"}, True, "kitty"),
        ({"TERM_PROGRAM": "WezTerm"}, True, "kitty"),
        ({"TERM_PROGRAM": "iTerm.app"}, True, "iterm"),
        ({"TERM": "xterm-256color"}, True, None),
        ({"TERM": "xterm-kitty"}, False, None),
    ],
)
def test_the_protocol_comes_from_what_the_terminal_says(env, tty, expected):
    assert protocol(env, tty) == expected


def _decode_png(data: bytes) -> np.ndarray:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    at, chunks = 8, {}
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length : at + 12 + length])
        assert zlib.crc32(kind + body) == crc
        chunks[kind] = chunks.get(kind, b"") + body
        at += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    assert (depth, colour) == (8, 2)
    raw = np.frombuffer(zlib.decompress(chunks[b"IDAT"]), dtype=np.uint8)
    rows = raw.reshape(height, 1 + width * 3)
    assert not rows[:, 0].any()  # no row filters
    return rows[:, 1:].reshape(height, width, 3)


def test_the_png_shows_the_working_leg_in_the_accent_colour_in_every_key_position():
    figure = definitions.catalogue().get("bulgarian-split-squat").variant("weighted").figure
    pixels = _decode_png(keyframes_png(figure, highlight="near"))
    accent = np.all(pixels == (0xD9, 0x48, 0x0F), axis=2)
    width = accent.shape[1]
    halves = accent[:, : width // 2].sum(), accent[:, width // 2 :].sum()
    assert min(halves) > 100  # the orange leg is drawn in both key positions
    assert np.all(pixels == (0x49, 0x50, 0x57), axis=2).sum() > 20  # the dumbbell


def test_kitty_codes_split_the_picture_into_chunks_that_join_back_into_it():
    png = bytes(range(256)) * 40
    codes = encode(png, "kitty")
    parts = re.findall(r"\x1b_G([^;]*);([^\x1b]*)\x1b\\", codes)
    assert parts[0][0] == "a=T,f=100,q=2,m=1" and parts[-1][0] == "m=0"
    assert all(len(chunk) <= 4096 for _, chunk in parts)
    assert base64.b64decode("".join(chunk for _, chunk in parts)) == png


def test_iterm_codes_carry_the_size_and_the_picture():
    png = b"\x89PNG fake"
    codes = encode(png, "iterm")
    assert codes.startswith(f"\x1b]1337;File=inline=1;size={len(png)};")
    assert base64.b64decode(codes.split(":", 1)[1].split("\x07")[0]) == png


def test_a_picture_placed_on_a_redrawn_screen_replaces_the_last_and_keeps_the_cursor():
    from kneecoach.cli.terminal_images import kitty_place

    codes = kitty_place(b"png", row=5, column=3, rows=8)
    assert codes.startswith("\x1b_Ga=d,d=I,i=1,q=2\x1b\\\x1b7\x1b[5;3H")
    assert "a=T,f=100,q=2,i=1,r=8,C=1,m=0;" in codes and codes.endswith("\x1b8")
