"""Independent random streams, so any table and day can be generated alone and still match."""

from __future__ import annotations

import zlib

import numpy as np


def rng_for(seed: int, *labels: str | int) -> np.random.Generator:
    """A generator determined by the seed and the labels only (never by what ran before)."""
    words = [seed, *(zlib.crc32(x.encode()) if isinstance(x, str) else x for x in labels)]
    return np.random.default_rng(np.random.SeedSequence(words))


def weighted(rng: np.random.Generator, weights: dict[str, float], size: int) -> np.ndarray:
    """``size`` keys of ``weights`` drawn with those relative weights (object array)."""
    keys = np.array(list(weights), dtype=object)
    p = np.array(list(weights.values()), dtype=float)
    return keys[rng.choice(len(keys), size=size, p=p / p.sum())]
