"""``python -m pipelines.synthetic``: write demo or benchmark deliveries into the landing folder."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from pipelines.synthetic.config import SCALES, config_for
from pipelines.synthetic.run import generate


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m pipelines.synthetic",
        description="Write every contract table as delivery files, deterministic for a seed.",
    )
    parser.add_argument(
        "--scale",
        choices=sorted(SCALES),
        default="demo",
        help="demo: 20 000 subscribers, 90 days from 2026-08-24; "
        "city: 1 000 000 subscribers, 365 days from 2025-11-01",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--subscribers", type=int, help="override the scale's subscriber count")
    parser.add_argument("--days", type=int, help="override the scale's number of days")
    parser.add_argument("--start", type=date.fromisoformat, help="first day, YYYY-MM-DD")
    parser.add_argument("--out", type=Path, help="landing folder (default: settings' landing)")
    parser.add_argument(
        "--dirty-rate",
        type=float,
        default=0.0,
        help="share of rows given a contract violation (0..1), plus odd formats",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    cfg = config_for(
        args.scale,
        seed=args.seed,
        subscribers=args.subscribers,
        days=args.days,
        start=args.start,
        out=args.out,
        dirty_rate=args.dirty_rate,
    )
    print(
        f"writing {cfg.scale} data ({cfg.subscribers:,} subscribers, {cfg.start} to {cfg.end}, "
        f"seed {cfg.seed}, dirty rate {cfg.dirty_rate}) into {cfg.out}",
        flush=True,
    )
    manifest = generate(cfg, log=lambda line: print(line, flush=True))
    print(f"manifest: {manifest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
