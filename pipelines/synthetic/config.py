"""What one generator run produces: scale presets and the resolved run configuration."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from pipelines import settings


@dataclass(frozen=True)
class Scale:
    subscribers: int
    days: int
    start: date


# Fixed start dates keep the output of a seed identical from one machine and day to the next.
SCALES = {
    "demo": Scale(subscribers=20_000, days=90, start=date(2026, 8, 24)),
    "city": Scale(subscribers=1_000_000, days=365, start=date(2025, 11, 1)),
}


@dataclass(frozen=True)
class Config:
    seed: int
    subscribers: int
    days: int
    start: date
    out: Path
    dirty_rate: float = 0.0
    scale: str = "custom"

    def __post_init__(self) -> None:
        if self.subscribers < 100:
            raise ValueError("at least 100 subscribers are needed for a meaningful branch")
        if self.days < 1:
            raise ValueError("days must be at least 1")
        if not 0.0 <= self.dirty_rate <= 1.0:
            raise ValueError("dirty_rate must be between 0 and 1")

    @property
    def end(self) -> date:
        """The last generated day (inclusive)."""
        return self.start + timedelta(days=self.days - 1)

    @property
    def halls(self) -> int:
        # A branch with more customers runs more halls; 20 at demo size, 36 for a city of 1 M.
        return max(20, min(40, round(12 + 8 * math.log10(self.subscribers / 1000))))


def config_for(
    scale: str = "demo",
    *,
    seed: int = 1,
    subscribers: int | None = None,
    days: int | None = None,
    start: date | None = None,
    out: Path | None = None,
    dirty_rate: float = 0.0,
) -> Config:
    """A run configuration: the preset ``scale`` with any value overridden."""
    preset = SCALES[scale]
    return Config(
        seed=seed,
        subscribers=subscribers or preset.subscribers,
        days=days or preset.days,
        start=start or preset.start,
        out=out or settings.paths().landing,
        dirty_rate=dirty_rate,
        scale=scale,
    )
