"""Terminal plumbing for the guided player: single key presses, cues, and big digits."""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import sys
from types import TracebackType


class Keys:
    """Single key presses from a terminal, without Enter; nothing at all without one."""

    def __init__(self) -> None:
        self._fd: int | None = None
        self._saved: list | None = None  # type: ignore[type-arg]

    def __enter__(self) -> Keys:
        if sys.stdin.isatty():
            import termios
            import tty

            self._fd = sys.stdin.fileno()
            self._saved = termios.tcgetattr(self._fd)
            tty.setcbreak(self._fd)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._fd is not None and self._saved is not None:
            import termios

            termios.tcsetattr(self._fd, termios.TCSADRAIN, self._saved)

    def wait(self, seconds: float) -> str | None:
        """Wait up to ``seconds`` for a key; returns it, or None."""
        if self._fd is None:
            if seconds > 0:
                select.select([], [], [], seconds)
            return None
        ready, _, _ = select.select([self._fd], [], [], max(0.0, seconds))
        if not ready:
            return None
        data = os.read(self._fd, 1)
        return data.decode(errors="ignore") or None


class Cues:
    """Speak cues with espeak-ng, ring the terminal bell, or stay quiet."""

    def __init__(self, mode: str, speed: float = 1.0) -> None:
        self.mode = mode
        self._speaking: subprocess.Popen[bytes] | None = None
        self._speed = speed
        self.espeak = shutil.which("espeak-ng")
        if mode == "voice" and self.espeak is None:
            self.mode = "bell"

    def say(self, text: str, important: bool) -> None:
        if not text or self.mode == "quiet":
            return
        if self.mode == "bell":
            if important or text.isdigit():
                sys.stdout.write("\a")
                sys.stdout.flush()
            return
        busy = self._speaking is not None and self._speaking.poll() is None
        if busy and not important:
            return
        if busy and self._speaking is not None:
            self._speaking.terminate()
        words_per_minute = str(min(450, int(175 * max(1.0, min(self._speed, 2.5)))))
        self._speaking = subprocess.Popen(
            [self.espeak or "espeak-ng", "-s", words_per_minute, text],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def close(self) -> None:
        if self._speaking is not None and self._speaking.poll() is None:
            self._speaking.terminate()


_FONT = {
    "0": ["███", "█ █", "█ █", "█ █", "███"],
    "1": [" ██", "  █", "  █", "  █", "  █"],
    "2": ["███", "  █", "███", "█  ", "███"],
    "3": ["███", "  █", "███", "  █", "███"],
    "4": ["█ █", "█ █", "███", "  █", "  █"],
    "5": ["███", "█  ", "███", "  █", "███"],
    "6": ["███", "█  ", "███", "█ █", "███"],
    "7": ["███", "  █", "  █", "  █", "  █"],
    "8": ["███", "█ █", "███", "█ █", "███"],
    "9": ["███", "█ █", "███", "  █", "███"],
    ":": [" ", "█", " ", "█", " "],
    "/": ["  █", "  █", " █ ", "█  ", "█  "],
    " ": ["  ", "  ", "  ", "  ", "  "],
}


def big(text: str) -> str:
    """Five-line block digits, readable from a mat at arm's length."""
    rows = ["", "", "", "", ""]
    for char in text:
        glyph = _FONT.get(char, _FONT[" "])
        for i in range(5):
            rows[i] += glyph[i] + " "
    return "\n".join(row.rstrip() for row in rows)
