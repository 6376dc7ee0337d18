"""Wall time and peak memory of a stage, run in its own process."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import time
from dataclasses import dataclass

import psutil


@dataclass(frozen=True)
class Measurement:
    stage: str
    seconds: float
    peak_rss_mb: float
    detail: dict


def _tree_rss(proc: psutil.Process) -> int:
    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            total += p.memory_info().rss
    return total


def run_stage(stage: str, args: list[str], env: dict[str, str] | None = None) -> Measurement:
    """Run ``python -m bench.stage <stage> <args>``: its wall time, peak RSS of its process
    tree (sampled every 50 ms) and the JSON detail it prints on its last line."""
    started = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bench.stage", stage, *args],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    ps = psutil.Process(proc.pid)
    peak = 0
    while proc.poll() is None:
        with contextlib.suppress(psutil.Error):
            peak = max(peak, _tree_rss(ps))
        time.sleep(0.05)
    out = proc.stdout.read() if proc.stdout else ""
    seconds = time.monotonic() - started
    if proc.returncode != 0:
        raise RuntimeError(f"bench stage {stage} failed with exit code {proc.returncode}")
    lines = [line for line in out.splitlines() if line.strip()]
    detail = json.loads(lines[-1]) if lines else {}
    return Measurement(stage, seconds, peak / 2**20, detail)
