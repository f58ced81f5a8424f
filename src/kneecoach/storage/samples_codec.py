"""Samples packed into one compact blob: positions as float64, the rest as float32, zlib."""

from __future__ import annotations

import struct
import zlib

import numpy as np

from kneecoach.domain.activity import Samples

MAGIC = b"KCS1"
WIDE = ("latitude", "longitude")
CHANNELS = (
    "seconds",
    "latitude",
    "longitude",
    "altitude",
    "distance",
    "heart_rate",
    "cadence",
    "speed",
)


def pack(samples: Samples) -> bytes:
    count = len(samples)
    parts = [MAGIC, struct.pack("<I", count)]
    for name in CHANNELS:
        values = getattr(samples, name)
        dtype = np.float64 if name in WIDE else np.float32
        parts.append(np.ascontiguousarray(values, dtype=dtype).tobytes())
    return zlib.compress(b"".join(parts), 1)


def unpack(blob: bytes) -> Samples:
    raw = zlib.decompress(blob)
    if raw[:4] != MAGIC:
        raise ValueError("not a kneecoach samples blob")
    count = struct.unpack_from("<I", raw, 4)[0]
    pos = 8
    arrays = []
    for name in CHANNELS:
        dtype = np.float64 if name in WIDE else np.float32
        size = count * np.dtype(dtype).itemsize
        arrays.append(np.frombuffer(raw, dtype=dtype, count=count, offset=pos).astype(np.float64))
        pos += size
    return Samples(*arrays)
