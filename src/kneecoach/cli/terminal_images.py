"""Pictures in the terminal, where it can show them: the kitty graphics protocol (kitty,
WezTerm, Ghostty) or iTerm2's inline images. Anywhere else, and when the output is not a
terminal, nothing is written — the text says everything on its own."""

from __future__ import annotations

import base64
import os
import sys
from collections.abc import Mapping

KITTY_CHUNK = 4096


def protocol(env: Mapping[str, str], is_terminal: bool) -> str | None:
    """'kitty', 'iterm' or None, from what the terminal says about itself."""
    if not is_terminal:
        return None
    program = env.get("TERM_PROGRAM", "")
    if (
        env.get("TERM") == "xterm-kitty"
        or "KITTY_WINDOW_ID" in env
        or program
        in (
            "WezTerm",
            "ghostty",
        )
    ):
        return "kitty"
    if program == "iTerm.app":
        return "iterm"
    return None


def encode(png: bytes, kind: str) -> str:
    """The escape sequence that draws ``png`` at the cursor."""
    data = base64.b64encode(png).decode()
    if kind == "iterm":
        return f"\x1b]1337;File=inline=1;size={len(png)};preserveAspectRatio=1:{data}\x07\n"
    chunks = [data[i : i + KITTY_CHUNK] for i in range(0, len(data), KITTY_CHUNK)] or [""]
    out = []
    for index, chunk in enumerate(chunks):
        more = 1 if index < len(chunks) - 1 else 0
        control = f"a=T,f=100,m={more}" if index == 0 else f"m={more}"
        out.append(f"\x1b_G{control};{chunk}\x1b\\")
    return "".join(out) + "\n"


def show(png: bytes) -> bool:
    """Draw ``png`` if this terminal can; says whether it did."""
    kind = protocol(os.environ, sys.stdout.isatty())
    if kind is None:
        return False
    sys.stdout.write(encode(png, kind))
    sys.stdout.flush()
    return True
