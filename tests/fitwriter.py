"""A small FIT writer for tests and benchmarks: activity files like a watch writes them.

Not part of kneecoach: it makes realistic inputs (records at 1 Hz, laps, sessions,
compressed timestamps, developer fields, either byte order) for the decoder's tests.
"""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass

FIT_EPOCH = 631065600
_CRC = [
    0x0000,
    0xCC01,
    0xD801,
    0x1400,
    0xF001,
    0x3C00,
    0x2800,
    0xE401,
    0xA001,
    0x6C00,
    0x7800,
    0xB401,
    0x5000,
    0x9C01,
    0x8801,
    0x4400,
]


def crc16(data: bytes, crc: int = 0) -> int:
    for byte in data:
        tmp = _CRC[crc & 0xF]
        crc = ((crc >> 4) & 0x0FFF) ^ tmp ^ _CRC[byte & 0xF]
        tmp = _CRC[crc & 0xF]
        crc = ((crc >> 4) & 0x0FFF) ^ tmp ^ _CRC[(byte >> 4) & 0xF]
    return crc


@dataclass
class Point:
    time: int  # Unix seconds
    lat: float | None
    lon: float | None
    altitude: float | None
    distance: float | None
    heart_rate: int | None
    cadence: int | None
    speed: float | None
    fractional_cadence: float | None = None
    """The cadence's fraction (0 to 127/128), written only with ``fractional=True``."""


class _Body:
    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def define(
        self,
        local: int,
        message: int,
        fields: list[tuple[int, int, int]],
        big: bool = False,
        developer: list[tuple[int, int, int]] | None = None,
    ) -> None:
        header = 0x40 | local | (0x20 if developer else 0)
        out = bytes([header, 0, 1 if big else 0]) + struct.pack(">H" if big else "<H", message)
        out += bytes([len(fields)]) + b"".join(bytes(f) for f in fields)
        if developer:
            out += bytes([len(developer)]) + b"".join(bytes(f) for f in developer)
        self.parts.append(out)

    def data(self, header: int, fmt: str, values: tuple, big: bool = False) -> None:
        self.parts.append(bytes([header]) + struct.pack((">" if big else "<") + fmt, *values))

    def bytes(self) -> bytes:
        return b"".join(self.parts)


def _u(value: float | None, scale: float, offset: float, invalid: int) -> int:
    if value is None or math.isnan(value):
        return invalid
    return round((value + offset) * scale)


def _semi(value: float | None) -> int:
    if value is None:
        return 0x7FFFFFFF
    return round(value * 2**31 / 180.0)


def write_activity(
    points: list[Point],
    *,
    sport: int = 1,
    big_endian: bool = False,
    compressed_every: int = 0,
    developer: bool = False,
    sessions: int = 1,
    watch_fields: bool = False,
    hrv_every: int = 0,
    crc: bool = True,
    sub_sport: int | None = None,
    fractional: bool = False,
    record_cadence: bool = True,
    session_fractional: bool = False,
    legacy_speed: bool = False,
) -> bytes:
    """A FIT activity file of ``points`` split into ``sessions`` sessions, one lap each.

    ``record_cadence=False`` leaves cadence out of the records (the sessions still carry
    the average, as some watches do); ``session_fractional`` adds the sessions'
    avg_fractional_cadence (92); ``legacy_speed`` writes speed (6, uint16) and altitude
    (2, uint16) instead of the enhanced fields, as older watches do."""
    body = _Body()
    body.define(0, 0, [(0, 1, 0x00), (4, 4, 0x86)])
    body.data(0, "BI", (4, points[0].time - FIT_EPOCH if points else 0))
    if developer:
        body.define(3, 207, [(3, 1, 0x02)])
        body.data(3, "B", (0,))
        body.define(4, 206, [(0, 1, 0x02), (1, 1, 0x02), (2, 1, 0x02), (3, 8, 0x07)])
        body.data(4, "BBB8s", (0, 0, 0x84, b"power\0\0\0"))
    big = big_endian
    record_fields = [
        (253, 4, 0x86),
        (0, 4, 0x85),
        (1, 4, 0x85),
        (5, 4, 0x86),
        (3, 1, 0x02),
        (4, 1, 0x02),
        (2, 2, 0x84) if legacy_speed else (78, 4, 0x86),
        (6, 2, 0x84) if legacy_speed else (73, 4, 0x86),
    ] + ([(53, 1, 0x02)] if fractional else [])
    if not record_cadence:
        # the byte stays (a watch's own field), but as one kneecoach does not read
        record_fields[5] = (130, 1, 0x02)
    dev = [(0, 2, 0)] if developer else None
    extra_fields = [
        (13, 1, 0x01),
        (39, 2, 0x84),
        (40, 2, 0x84),
        (41, 2, 0x84),
        (42, 1, 0x00),
        (53, 1, 0x02),
        (83, 2, 0x84),
        (84, 2, 0x84),
        (85, 2, 0x84),
        (7, 2, 0x84),
    ]
    extra = extra_fields if watch_fields else []
    body.define(1, 20, record_fields + extra, big=big, developer=dev)
    own = ("IiiIBBHH" if legacy_speed else "IiiIBBII") + ("B" if fractional else "")
    fmt = own + ("bHHHBBHHHH" if watch_fields else "") + ("H" if developer else "")
    extra_values = (22, 950, 3900, 2700, 1, 0, 740, 5000, 1200, 260) if watch_fields else ()
    if compressed_every:
        body.define(2, 20, record_fields[1:], big=big)
    if hrv_every:
        body.define(7, 78, [(0, 2, 0x84)])
    bounds = [round(i * len(points) / sessions) for i in range(sessions + 1)]
    summaries = []
    for s in range(sessions):
        chunk = points[bounds[s] : bounds[s + 1]]
        for i, p in enumerate(chunk):
            if hrv_every and i % hrv_every == 0:
                body.data(7, "H", (412,))
            values = (
                _semi(p.lat),
                _semi(p.lon),
                _u(p.distance, 100, 0, 0xFFFFFFFF),
                p.heart_rate if p.heart_rate is not None else 0xFF,
                p.cadence if p.cadence is not None else 0xFF,
                _u(p.altitude, 5, 500, 0xFFFF if legacy_speed else 0xFFFFFFFF),
                _u(p.speed, 1000, 0, 0xFFFF if legacy_speed else 0xFFFFFFFF),
            ) + ((_u(p.fractional_cadence, 128, 0, 0xFF),) if fractional else ())
            if compressed_every and i % compressed_every and i:
                offset = (p.time - FIT_EPOCH) & 0x1F
                body.data(0x80 | (2 << 5) | offset, own[1:], values, big=big)
            else:
                dev_value = (123,) if developer else ()
                body.data(1, fmt, (p.time - FIT_EPOCH, *values, *extra_values, *dev_value), big=big)
        if chunk:
            summaries.append(chunk)
    summary_fields = [
        (253, 4, 0x86),
        (2, 4, 0x86),
        (7, 4, 0x86),
        (8, 4, 0x86),
        (9, 4, 0x86),
        (5, 1, 0x00),
        (16, 1, 0x02),
        (17, 1, 0x02),
        (18, 1, 0x02),
        (22, 2, 0x84),
    ] + ([(6, 1, 0x00)] if sub_sport is not None else [])
    summary_fields += [(92, 1, 0x02)] if session_fractional else []
    summary_format = "IIIIIBBBBH" + ("B" if sub_sport is not None else "")
    summary_format += "B" if session_fractional else ""
    body.define(5, 19, summary_fields)
    body.define(6, 18, summary_fields)
    for chunk in summaries:
        first, last = chunk[0], chunk[-1]
        elapsed = last.time - first.time
        distance = (last.distance or 0) - (first.distance or 0)
        hrs = [p.heart_rate for p in chunk if p.heart_rate is not None]
        cads = [p.cadence + (p.fractional_cadence or 0.0) for p in chunk if p.cadence is not None]
        average = sum(cads) / len(cads) if cads else None
        values = (
            last.time - FIT_EPOCH,
            first.time - FIT_EPOCH,
            elapsed * 1000,
            elapsed * 1000,
            round(distance * 100),
            sport,
            int(sum(hrs) / len(hrs)) if hrs else 0xFF,
            max(hrs) if hrs else 0xFF,
            int(average) if average is not None else 0xFF,
            0xFFFF,
            *(() if sub_sport is None else (sub_sport,)),
            *(() if not session_fractional else (_fraction(average),)),
        )
        body.data(5, summary_format, values)
        body.data(6, summary_format, values)
    data = body.bytes()
    header = struct.pack("<BBHI4s", 14, 0x20, 2132, len(data), b".FIT")
    header += struct.pack("<H", crc16(header) if crc else 0)
    return header + data + struct.pack("<H", crc16(header + data) if crc else 0)


def _fraction(average: float | None) -> int:
    """avg_fractional_cadence: the average's fraction in 128ths (0xFF when none)."""
    if average is None:
        return 0xFF
    return min(127, round((average - int(average)) * 128))


def run_points(start: int, seconds: int, *, seed: int = 0, indoor: bool = False) -> list[Point]:
    """A realistic 1 Hz run: about 3 m/s with some wobble, heart rate and cadence."""
    import random

    rng = random.Random(seed)
    lat, lon, distance, altitude = 46.05, 14.5, 0.0, 300.0
    points = []
    for i in range(seconds):
        speed = 3.0 + 0.3 * math.sin(i / 60) + rng.uniform(-0.1, 0.1)
        distance += speed
        altitude += rng.uniform(-0.5, 0.55)
        lat += speed / 111_000 * 0.7
        lon += speed / 111_000 * 0.7
        points.append(
            Point(
                start + i,
                None if indoor else lat,
                None if indoor else lon,
                None if indoor else altitude,
                distance,
                140 + int(15 * math.sin(i / 300)) + rng.randint(-2, 2),
                85 + rng.randint(-3, 3),
                speed,
            )
        )
    return points
