"""A fast FIT decoder for activity files: only the messages kneecoach uses, by ``struct``.

Each definition message compiles one ``struct.Struct`` for its data messages, so decoding a
record is one ``unpack_from`` call. Handles both byte orders, compressed-timestamp
headers, developer fields (skipped by size), several sessions and laps, and values marked
invalid. Scale and offset follow the FIT profile for the fields read:

record (20): timestamp 253, position_lat 0 / position_long 1 (semicircles), altitude 2
(/5 − 500 m), heart_rate 3, cadence 4, distance 5 (/100 m), speed 6 (/1000 m/s),
enhanced_speed 73, enhanced_altitude 78, fractional_cadence 53 (/128; cadence for running
is strides a minute, per foot: domain.steprate doubles it into steps); session (18) and
lap (19): start_time 2, total_elapsed_time 7 and total_timer_time 8 (/1000 s),
total_distance 9 (/100 m), sport 5 and sub_sport 6 (domain.sports), avg/max heart rate
16/17, avg cadence 18 (for running: avg_running_cadence, strides a minute) with
avg_fractional_cadence 92 (/128), total_ascent 22.
"""

from __future__ import annotations

import datetime as dt
import math
import struct
from dataclasses import dataclass, field
from typing import cast

import numpy as np

from kneecoach.domain.activity import (
    Activity,
    Floats,
    Lap,
    Samples,
    summarise,
    with_device_cadence,
)
from kneecoach.domain.sports import from_fit
from kneecoach.importers.errors import ImportFailure

FIT_EPOCH = 631065600  # 1989-12-31T00:00:00Z in Unix seconds
SEMICIRCLE_DEG = 180.0 / 2**31

# base type -> (struct code, size, invalid value)
BASE_TYPES: dict[int, tuple[str, int, int | float | None]] = {
    0x00: ("B", 1, 0xFF),
    0x01: ("b", 1, 0x7F),
    0x02: ("B", 1, 0xFF),
    0x83: ("h", 2, 0x7FFF),
    0x84: ("H", 2, 0xFFFF),
    0x85: ("i", 4, 0x7FFFFFFF),
    0x86: ("I", 4, 0xFFFFFFFF),
    0x07: ("s", 1, None),
    0x88: ("f", 4, None),
    0x89: ("d", 8, None),
    0x0A: ("B", 1, 0x00),
    0x8B: ("H", 2, 0x0000),
    0x8C: ("I", 4, 0x00000000),
    0x0D: ("B", 1, 0xFF),
    0x8E: ("q", 8, 0x7FFFFFFFFFFFFFFF),
    0x8F: ("Q", 8, 0xFFFFFFFFFFFFFFFF),
    0x90: ("Q", 8, 0x0000000000000000),
}

RECORD, SESSION, LAP = 20, 18, 19
RECORD_FIELDS = (253, 0, 1, 2, 3, 4, 5, 6, 73, 78, 53)
SUMMARY_FIELDS = (253, 2, 5, 6, 7, 8, 9, 16, 17, 18, 22, 92)
WANTED = {RECORD: RECORD_FIELDS, SESSION: SUMMARY_FIELDS, LAP: SUMMARY_FIELDS}


@dataclass
class _Definition:
    message: int
    unpack: struct.Struct | None
    """Unpacks just the wanted fields (others as pad bytes); None for unwanted messages."""
    size: int
    dtype: np.dtype | None = None
    """The whole message, header byte first, as a numpy record: for runs of records."""
    slots: dict[int, int] = field(default_factory=dict)
    """Field number -> position in the unpacked tuple."""
    invalid: dict[int, int | float | None] = field(default_factory=dict)

    @property
    def timestamp_slot(self) -> int | None:
        return self.slots.get(253)


def _definition(data: bytes, pos: int, developer: bool) -> tuple[_Definition, int]:
    if pos + 5 > len(data):
        raise ImportFailure("truncated definition message")
    big = data[pos + 1] == 1
    message = struct.unpack_from(">H" if big else "<H", data, pos + 2)[0]
    count = data[pos + 4]
    pos += 5
    if pos + 3 * count > len(data):
        raise ImportFailure("truncated definition message")
    wanted = WANTED.get(message, ())
    codes: list[str] = []
    slots: dict[int, int] = {}
    invalid: dict[int, int | float | None] = {}
    size = 0
    for i in range(count):
        number, width, base = data[pos + 3 * i], data[pos + 3 * i + 1], data[pos + 3 * i + 2]
        size += width
        known = BASE_TYPES.get(base)
        usable = known is not None and known[0] != "s" and width == known[1]
        if number in wanted and number not in slots and usable and known is not None:
            slots[number] = len(slots)
            invalid[number] = known[2]
            codes.append(known[0])
        else:
            codes.append(f"{width}x")
    pos += 3 * count
    if developer:
        if pos + 1 > len(data):
            raise ImportFailure("truncated developer field definitions")
        extra = data[pos]
        pos += 1
        if pos + 3 * extra > len(data):
            raise ImportFailure("truncated developer field definitions")
        for i in range(extra):
            width = data[pos + 3 * i + 1]
            size += width
            codes.append(f"{width}x")
        pos += 3 * extra
    unpack = struct.Struct((">" if big else "<") + "".join(codes)) if slots else None
    layout = None
    if message == RECORD and slots:
        order = ">" if big else "<"
        names, formats, offsets, at = ["header"], ["u1"], [0], 1
        for code, field_number in zip(codes, _numbers(codes, slots), strict=True):
            width = int(code[:-1]) if code.endswith("x") else struct.calcsize(code)
            if field_number is not None:
                names.append(f"f{field_number}")
                formats.append(order + _NUMPY_CODES[code])
                offsets.append(at)
            at += width
        layout = np.dtype(
            {"names": names, "formats": formats, "offsets": offsets, "itemsize": size + 1}
        )
    return _Definition(message, unpack, size, layout, slots, invalid), pos


_NUMPY_CODES = {
    "B": "u1",
    "b": "i1",
    "H": "u2",
    "h": "i2",
    "I": "u4",
    "i": "i4",
    "f": "f4",
    "d": "f8",
    "q": "i8",
    "Q": "u8",
}


def _numbers(codes: list[str], slots: dict[int, int]) -> list[int | None]:
    """The field number behind each struct code (None for skipped bytes)."""
    by_slot = {slot: number for number, slot in slots.items()}
    numbers: list[int | None] = []
    for code in codes:
        if code.endswith("x"):
            numbers.append(None)
        else:
            numbers.append(by_slot[len([n for n in numbers if n is not None])])
    return numbers


def _value(row: tuple[int | float, ...], d: _Definition, number: int) -> float:
    slot = d.slots.get(number)
    if slot is None:
        return math.nan
    value = row[slot]
    if value == d.invalid[number] or (isinstance(value, float) and math.isnan(value)):
        return math.nan
    return float(value)


Columns = list[Floats]
RUN_MIN = 16
"""Records in a row, with the same header, worth decoding at once with numpy."""


@dataclass
class _Segment:
    """Consecutive records of one definition: rows kept one by one, or a numpy block."""

    index: int
    stamps: list[float] | Floats = field(default_factory=list)
    rows: list[tuple[int | float, ...]] = field(default_factory=list)
    block: np.ndarray | None = None


def _segment_columns(segment: _Segment, d: _Definition) -> Columns:
    if segment.block is not None:
        block = segment.block
        count = block.shape[0]
        raw = {n: block[f"f{n}"].astype(np.float64) for n in d.slots}
        stamps = np.asarray(segment.stamps, dtype=np.float64)
    else:
        count = len(segment.rows)
        matrix = np.array(segment.rows, dtype=np.float64).reshape(count, -1)
        raw = {n: matrix[:, slot] for n, slot in d.slots.items()}
        stamps = np.asarray(segment.stamps, dtype=np.float64)
    columns = [stamps]
    for number in RECORD_FIELDS[1:]:
        values = raw.get(number)
        if values is None:
            columns.append(np.full(count, math.nan))
            continue
        invalid = d.invalid[number]
        if invalid is not None:
            values = np.where(values == float(invalid), math.nan, values)
        columns.append(values)
    return columns


def _record_columns(segments: list[_Segment], defs: list[_Definition]) -> Columns:
    if not segments:
        return [np.zeros(0) for _ in RECORD_FIELDS]
    parts = [_segment_columns(s, defs[s.index]) for s in segments]
    return [np.concatenate([p[i] for p in parts]) for i in range(len(RECORD_FIELDS))]


def _run_length(data: bytes, start: int, stride: int, end: int) -> int:
    """How many messages from ``start`` on, ``stride`` bytes apart, share its header byte."""
    count = (end - start) // stride
    if count < RUN_MIN:
        return 0
    headers = np.frombuffer(data, dtype=np.uint8, count=count * stride, offset=start)[::stride]
    different = np.flatnonzero(headers != headers[0])
    return int(different[0]) if different.shape[0] else count


def decode(data: bytes) -> tuple[Columns, list[dict[int, float]], list[dict[int, float]]]:
    """Records (as columns), sessions and laps of a FIT file; raises ImportFailure if it is
    not one or is cut short.

    Runs of records with the same header are read at once as a numpy record array; other
    messages cost one ``unpack_from`` each, and the arithmetic is left to numpy.
    """
    if len(data) < 12:
        raise ImportFailure("too short to be a FIT file")
    header = data[0]
    if header not in (12, 14) or data[8:12] != b".FIT":
        raise ImportFailure("not a FIT file (bad header)")
    size = struct.unpack_from("<I", data, 4)[0]
    end = header + size
    if end + 2 > len(data):
        raise ImportFailure(f"truncated FIT file: {len(data)} bytes of {end + 2}")
    local_defs: dict[int, tuple[int, _Definition]] = {}
    defs: list[_Definition] = []
    segments: list[_Segment] = []
    sessions: list[dict[int, float]] = []
    laps: list[dict[int, float]] = []
    last_time = 0
    pos = header
    while pos < end:
        record_header = data[pos]
        pos += 1
        if record_header & 0x80:  # compressed timestamp
            local = (record_header >> 5) & 0x03
            offset = record_header & 0x1F
            last_time = (last_time & ~0x1F) + offset + (0x20 if offset < (last_time & 0x1F) else 0)
            compressed = True
        elif record_header & 0x40:  # definition
            d, pos = _definition(data, pos, bool(record_header & 0x20))
            local_defs[record_header & 0x0F] = (len(defs), d)
            defs.append(d)
            continue
        else:
            local = record_header & 0x0F
            compressed = False
        entry = local_defs.get(local)
        if entry is None:
            raise ImportFailure(f"data message before its definition at byte {pos - 1}")
        index, d = entry
        if pos + d.size > end:
            raise ImportFailure(f"truncated data message at byte {pos - 1}")
        if d.unpack is None:
            pos += d.size
            continue
        slot = d.timestamp_slot
        if d.dtype is not None and not compressed and slot is not None:
            run = _run_length(data, pos - 1, d.size + 1, end)
            if run >= RUN_MIN:
                block = np.frombuffer(data, dtype=d.dtype, count=run, offset=pos - 1)
                stamps = block["f253"].astype(np.float64)
                stamps[stamps == 0xFFFFFFFF] = math.nan
                valid = stamps[~np.isnan(stamps)]
                if valid.shape[0]:
                    last_time = int(valid[-1])
                segments.append(_Segment(index, stamps, block=block))
                pos += run * (d.size + 1) - 1
                continue
        row = d.unpack.unpack_from(data, pos)
        pos += d.size
        if slot is not None and row[slot] != 0xFFFFFFFF:
            last_time = int(row[slot])
            stamp = float(last_time)
        else:
            stamp = float(last_time) if compressed else math.nan
        if d.message == RECORD:
            if not segments or segments[-1].index != index or segments[-1].block is not None:
                segments.append(_Segment(index))
            # a segment of rows (no numpy block) keeps its stamps in a list
            cast("list[float]", segments[-1].stamps).append(stamp)
            segments[-1].rows.append(row)
        else:
            values = {n: _value(row, d, n) for n in SUMMARY_FIELDS}
            values[253] = stamp
            (sessions if d.message == SESSION else laps).append(values)
    return _record_columns(segments, defs), sessions, laps


def read_fit(data: bytes) -> list[Activity]:
    """One activity per session (or one for the whole file when it has no session)."""
    try:
        return _read_fit(data)
    except ImportFailure:
        raise
    except (struct.error, IndexError, KeyError, ValueError, OverflowError) as error:
        # a damaged file the structural checks let through: still one clear line
        raise ImportFailure(f"corrupt FIT data ({type(error).__name__})") from None


def _read_fit(data: bytes) -> list[Activity]:
    cols, sessions, laps = decode(data)
    times = cols[0]
    if not sessions:
        if times.shape[0] == 0 or np.isnan(times).all():
            raise ImportFailure("no records and no session: nothing to import")
        sessions = [
            {
                2: float(np.nanmin(times)),
                5: math.nan,
                7: math.nan,
                9: math.nan,
                8: math.nan,
                16: math.nan,
                17: math.nan,
                18: math.nan,
                22: math.nan,
            }
        ]
    activities = []
    ordered = sorted(sessions, key=lambda s: s.get(2, math.nan))
    for index, session in enumerate(ordered):
        start = session.get(2, math.nan)
        if math.isnan(start):
            start = session.get(253, math.nan)
        if math.isnan(start):
            continue
        until = ordered[index + 1].get(2, math.inf) if index + 1 < len(ordered) else math.inf
        pick = (times >= start) & (times < until) if times.shape[0] else np.zeros(0, dtype=bool)
        activities.append(_activity(session, start, [c[pick] for c in cols], laps))
    if not activities:
        raise ImportFailure("no session with a start time: nothing to import")
    return activities


def _activity(
    session: dict[int, float], start: float, cols: Columns, laps: list[dict[int, float]]
) -> Activity:
    seconds = cols[0] - start
    speed = np.where(np.isnan(cols[8]), cols[7], cols[8]) / 1000.0
    altitude = np.where(np.isnan(cols[9]), cols[3], cols[9]) / 5.0 - 500.0
    samples = Samples(
        seconds=seconds,
        latitude=cols[1] * SEMICIRCLE_DEG,
        longitude=cols[2] * SEMICIRCLE_DEG,
        altitude=altitude,
        distance=cols[6] / 100.0,
        heart_rate=cols[4],
        cadence=_cadence(cols[5], cols[10]),
        speed=speed,
    )
    sport_code, sub_code = session.get(5, math.nan), session.get(6, math.nan)
    sport = from_fit(
        None if math.isnan(sport_code) else int(sport_code),
        None if math.isnan(sub_code) else int(sub_code),
    )
    own_laps = tuple(
        Lap(
            dt.datetime.fromtimestamp(FIT_EPOCH + lap[2], dt.UTC),
            0.0 if math.isnan(lap.get(7, math.nan)) else lap[7] / 1000.0,
            0.0 if math.isnan(lap.get(9, math.nan)) else lap[9] / 100.0,
        )
        for lap in laps
        if not math.isnan(lap.get(2, math.nan)) and lap[2] >= start
    )
    elapsed = session.get(7, math.nan)
    distance = session.get(9, math.nan)
    activity = summarise(
        sport,
        dt.datetime.fromtimestamp(FIT_EPOCH + start, dt.UTC),
        samples,
        laps=own_laps,
        elapsed_s=None if math.isnan(elapsed) else elapsed / 1000.0,
        distance_m=None if math.isnan(distance) else distance / 100.0,
        format="fit",
    )
    return _with_device_totals(activity, session)


def _cadence(whole: Floats, fraction: Floats) -> Floats:
    """Cadence as recorded (per foot), with its fractional part where the device gives one."""
    return whole + np.where(np.isnan(fraction), 0.0, fraction) / 128.0


def _with_device_totals(activity: Activity, session: dict[int, float]) -> Activity:
    from dataclasses import replace

    def given(number: int, scale: float = 1.0) -> float | None:
        value = session.get(number, math.nan)
        return None if math.isnan(value) else value / scale

    timer = given(8, 1000.0)
    average = given(18)
    if average is not None:
        fraction = given(92, 128.0)
        activity = with_device_cadence(activity, average + (fraction or 0.0))
    return replace(
        activity,
        moving_s=timer if timer is not None else activity.moving_s,
        ascent_m=given(22) if given(22) is not None else activity.ascent_m,
        avg_hr=given(16) if given(16) is not None else activity.avg_hr,
        max_hr=given(17) if given(17) is not None else activity.max_hr,
    )
