"""Pictures in the terminal, where it can show them: the kitty graphics protocol (kitty,
WezTerm, Ghostty) or iTerm2's inline images. Anywhere else, and when the output is not a
terminal, nothing is written — the text says everything on its own."""

from __future__ import annotations

import base64
from collections.abc import Mapping

KITTY_CHUNK = 4096
KITTY_PROGRAMS = ("WezTerm", "ghostty")


def protocol(env: Mapping[str, str], is_terminal: bool) -> str | None:
    """'kitty', 'iterm' or None, from what the terminal says about itself."""
    if not is_terminal:
        return None
    program = env.get("TERM_PROGRAM", "")
    kitty = env.get("TERM") == "xterm-kitty" or "KITTY_WINDOW_ID" in env
    if kitty or program in KITTY_PROGRAMS:
        return "kitty"
    if program == "iTerm.app":
        return "iterm"
    return None


def encode(png: bytes, kind: str) -> str:
    """The escape sequence that draws ``png`` at the cursor."""
    if kind == "iterm":
        data = base64.b64encode(png).decode()
        return f"\x1b]1337;File=inline=1;size={len(png)};preserveAspectRatio=1:{data}\x07\n"
    return _kitty(png, "a=T,f=100,q=2") + "\n"


def _kitty(png: bytes, control: str) -> str:
    """Kitty graphics commands carrying ``png``, in chunks of at most 4096 characters;
    q=2 keeps the terminal from answering (answers would arrive as keystrokes)."""
    data = base64.b64encode(png).decode()
    chunks = [data[i : i + KITTY_CHUNK] for i in range(0, len(data), KITTY_CHUNK)] or [""]
    out = []
    for index, chunk in enumerate(chunks):
        more = 1 if index < len(chunks) - 1 else 0
        head = f"{control},m={more}" if index == 0 else f"m={more}"
        out.append(f"\x1b_G{head};{chunk}\x1b\\")
    return "".join(out)


def kitty_place(png: bytes, row: int, column: int, rows: int, image_id: int = 1) -> str:
    """Replace picture ``image_id`` with ``png``, ``rows`` text rows high, its top left at
    ``row``, ``column`` (1-based), leaving the cursor where it was: for a screen that is
    redrawn, since kitty keeps pictures apart from the text under them."""
    return (
        kitty_delete(image_id)
        + "\x1b7"
        + f"\x1b[{row};{column}H"
        + _kitty(png, f"a=T,f=100,q=2,i={image_id},r={rows},C=1")
        + "\x1b8"
    )


def kitty_delete(image_id: int = 1) -> str:
    return f"\x1b_Ga=d,d=I,i={image_id},q=2\x1b\\"
