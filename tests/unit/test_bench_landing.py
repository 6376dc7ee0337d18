"""The benchmark's landing as it stood on a day: which deliveries a build finds, which wait."""

from __future__ import annotations

from pathlib import Path

from bench.__main__ import _link_landing

FILES = (
    "sms_ratings/sms_ratings_2025-11-01.csv",
    "sms_ratings/sms_ratings_2025-11-02.csv",
    "sms_ratings/sms_ratings_2025-11-30.csv",
    "sms_ratings/sms_ratings_2025-12-01.csv",
    "bill_items/bill_items_2025-11.csv",
    "bill_items/bill_items_2025-12.csv",
    "subscribers/subscribers_2026-10-31.csv",
)


def landing(root: Path) -> Path:
    source = root / "landing"
    for name in FILES:
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_text(name, encoding="utf-8")
    (source / "_manifest.json").write_text("{}", encoding="utf-8")
    return source


def linked(target: Path) -> set[str]:
    return {p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()}


def test_held_days_wait_and_everything_else_is_linked(tmp_path: Path) -> None:
    source = landing(tmp_path)
    target = tmp_path / "build"
    held = _link_landing(source, target, ["2025-11-30", "2025-12-01"])
    assert linked(target) == set(FILES) - {
        "sms_ratings/sms_ratings_2025-11-30.csv",
        "sms_ratings/sms_ratings_2025-12-01.csv",
    }
    assert {day: [p.name for p in paths] for day, paths in held.items()} == {
        "2025-11-30": ["sms_ratings_2025-11-30.csv"],
        "2025-12-01": ["sms_ratings_2025-12-01.csv"],
    }
    # Links, not copies: the city landing is 5 GB.
    assert (target / FILES[0]).stat().st_ino == (source / FILES[0]).stat().st_ino


def test_through_a_day_leaves_out_later_days_and_months(tmp_path: Path) -> None:
    """Half a year in: the days after it and the months after its month are not there
    yet; its own month's bills and the subscriber snapshot are."""
    source = landing(tmp_path)
    target = tmp_path / "build"
    held = _link_landing(source, target, ["2025-11-02"], through="2025-11-02")
    assert linked(target) == {
        "sms_ratings/sms_ratings_2025-11-01.csv",
        "bill_items/bill_items_2025-11.csv",
        "subscribers/subscribers_2026-10-31.csv",
    }
    assert [p.name for p in held["2025-11-02"]] == ["sms_ratings_2025-11-02.csv"]
