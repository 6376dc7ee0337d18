"""Complaints by role, on the KPI fixture (kpi_fixture.py): C1–C3 await a first reply; C2 was
handled in hall H1, C3 in H2, C1 has no hall. The hall manager li is responsible for H1."""

from __future__ import annotations

from pathlib import Path

from access_harness import Downloads, mart
from kpi_pages import frame_with, infos, run_page, tiles

PAGE = "app_pages/complaints.py"


def test_hall_manager_sees_their_halls_complaints_only(
    kpi_copy: Path, downloads: Downloads
) -> None:
    at = run_page(PAGE, user="li", lang="en")
    expected = mart(
        kpi_copy,
        "SELECT complaint_id FROM marts.complaint_reply_watchlist WHERE hall_id = 'H1'",
    )
    assert expected == [("C2",)]
    watchlist = frame_with(at, "Hours left")
    assert watchlist["Complaint"].tolist() == ["C2"]
    assert at.metric[0].value == "1"  # waiting for a first reply: theirs only
    # No city-wide complaint KPI: none is broken down by hall.
    assert not tiles(at)
    rows = downloads.csv_rows(at, "complaint_watchlist")
    assert [r["Complaint"] for r in rows] == ["C2"]


def test_hall_manager_cannot_open_another_halls_complaint(kpi_copy: Path) -> None:
    at = run_page(PAGE, user="li", lang="en", cp_complaint="C3")
    assert "No complaint has this id." in infos(at)
    at = run_page(PAGE, user="li", lang="en", cp_complaint="C2")
    assert "Complaint timeline" in [s.value for s in at.subheader]
    assert "No complaint has this id." not in infos(at)


def test_viewer_sees_the_figures_but_no_complaint(kpi_copy: Path) -> None:
    at = run_page(PAGE, user="view", lang="en", cp_complaint="C2")
    assert tiles(at)["Complaints with a first reply within 48 h"].value == "95.0%"
    shown = {str(v) for d in at.dataframe for column in d.value for v in d.value[column]}
    assert not {"C1", "C2", "C3"} & shown
    assert "cp_complaint" not in [t.key for t in at.text_input]


def test_executive_sees_every_waiting_complaint(kpi_copy: Path) -> None:
    at = run_page(PAGE, user="gao", lang="en")
    assert frame_with(at, "Hours left")["Complaint"].tolist() == ["C1", "C2", "C3"]
