"""Demo data through `python -m pipelines.build` (what `make build` runs), then the
serving copy answers what the dashboard and reports ask; then every report and alert is
mailed (to the outbox), every dashboard page is shown and downloaded, and nothing the run
left behind holds a plain phone number."""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from pipelines import settings
from pipelines.settings import REPO_ROOT
from tests.integration import phone_scan

# The dashboard's modules import as `lib.*`, its test helpers by their bare names.
for _folder in (REPO_ROOT / "dashboards", REPO_ROOT / "tests" / "dashboards"):
    if str(_folder) not in sys.path:
        sys.path.insert(0, str(_folder))

from access_harness import Downloads, page_text  # noqa: E402
from kpi_pages import APP, TIMEOUT, sign_in  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402
from users_fixture import write_users_file  # noqa: E402

pytestmark = pytest.mark.slow

PHONE = re.compile(r"(?<![0-9a-f])1[3-9][0-9]{9}(?![0-9a-f])")
HASH_COLUMNS = ("customer_key", "content_hash")


def _build(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pipelines.build"],
        env=env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )


@pytest.fixture(scope="module")
def first_build(tmp_path_factory):
    """The first build of fresh demo data: its data dir, environment and console output."""
    root = tmp_path_factory.mktemp("e2e")
    env = {**os.environ, "MANYI_DATA_DIR": str(root), "MANYI_PII_KEY": "e2e-key"}
    env.pop("MANYI_AS_OF", None)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pipelines.synthetic",
            "--scale",
            "demo",
            "--subscribers",
            "2500",
            "--days",
            "40",
        ],
        env=env,
        check=True,
        capture_output=True,
    )
    first = _build(env)
    assert first.returncode == 0, first.stderr[-3000:]
    return root, env, first


@pytest.fixture(scope="module")
def built(first_build):
    root, env, _ = first_build
    return root, env


def test_the_build_prints_each_line_once_and_no_library_chatter(first_build):
    *_, first = first_build
    lines = [line for line in first.stderr.splitlines() if line.strip()]
    # Each of Dagster's own lines (its console logger's format) is compared from the step
    # name on; a library logger's line repeated by the root handler (dagster.builtin, in
    # that handler's format) or alembic's migration chatter must not appear at all.
    messages = [line.split(" - ", 5)[-1] for line in lines if " - dagster - " in line]
    assert messages, first.stderr[-3000:]
    assert len(messages) == len(set(messages)), "a Dagster line is printed twice"
    assert not [line for line in lines if "dagster.builtin" in line or "alembic" in line]
    assert "manyi.build build succeeded" in lines[-1]


def _serving(root: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(root / "warehouse" / "serving.duckdb"), read_only=True)


def test_serving_copy_holds_audit_and_every_mart(built):
    root, _ = built
    with _serving(root) as con:
        tables = {
            r[0]
            for r in con.execute(
                "SELECT schema_name || '.' || table_name FROM duckdb_tables()"
            ).fetchall()
        }
    assert {
        "audit.load_log",
        "audit.quarantine",
        "audit.build_info",
        "marts.kpi_values",
        "marts.kpi_catalog",
        "marts.staff_evaluation_monthly",
        "marts.hotline_intervals",
        "marts.tariff_recommendations",
        "marts.complaint_reply_watchlist",
        "marts.vas_orders_without_consent",
        "marts.double_refund_violations",
        "marts.suspensions_without_reminder",
        "marts.payment_sms_violations",
        "marts.data_alert_violations",
        "marts.billing_errors",
        "marts.data_quality_orphans",
        "marts.data_quality_freshness",
    } <= tables
    assert not any(t.startswith("raw.") for t in tables), "readers get no raw rows"
    with _serving(root) as con:
        pseudonyms = con.execute(
            "SELECT table_name FROM duckdb_columns() WHERE column_name = 'customer_key'"
        ).fetchall()
    assert pseudonyms == [], "readers get masked numbers, not pseudonyms"


def test_every_catalogue_kpi_has_values_with_targets_from_the_catalogue(built):
    root, _ = built
    with (REPO_ROOT / "dbt_project" / "seeds" / "kpi_catalog.csv").open(encoding="utf-8") as f:
        catalogue = {r["kpi_id"]: r for r in csv.DictReader(f)}
    with _serving(root) as con:
        rows = con.execute(
            "SELECT kpi_id, any_value(target), count(*) FROM marts.kpi_values "
            "WHERE segment_type = 'all' GROUP BY 1"
        ).fetchall()
        as_of = con.execute("SELECT as_of FROM audit.build_info").fetchone()[0]
        latest = con.execute("SELECT max(period_start) FROM marts.kpi_values").fetchone()[0]
    assert {r[0] for r in rows} == set(catalogue)
    for kpi_id, target, _ in rows:
        expected = float(catalogue[kpi_id]["target"]) if catalogue[kpi_id]["target"] else None
        assert target == expected, kpi_id
    assert latest <= as_of.date(), "no period after the as_of date"


def test_the_dashboard_queries_answer(built):
    root, _ = built
    with _serving(root) as con:
        overview = con.execute(
            "SELECT v.kpi_id, c.name_zh, v.value, v.target, v.meets_target FROM marts.kpi_values v "
            "JOIN marts.kpi_catalog c USING (kpi_id) WHERE grain = 'month' "
            "AND segment_type = 'all' ORDER BY c.display_order"
        ).fetchall()
        staff = con.execute(
            "SELECT staff_name, valid_replies, satisfaction_wilson_lower, rank_in_team "
            "FROM marts.staff_evaluation_monthly"
        ).fetchall()
        heat = con.execute("SELECT count(*) FROM marts.hotline_intervals").fetchone()[0]
    assert overview and all(name for _, name, *_ in overview)
    assert staff and all(name for name, *_ in staff)
    # Ranked exactly where the sample allows it (kpis.md: at least 30 valid replies).
    assert all((rank is not None) == (valid >= 30) for _, valid, _, rank in staff)
    assert heat > 0


def test_no_plain_phone_number_in_the_warehouse_or_serving_copy(built):
    root, _ = built
    for name in ("manyi.duckdb", "serving.duckdb"):
        with duckdb.connect(str(root / "warehouse" / name), read_only=True) as con:
            columns = con.execute(
                "SELECT schema_name, table_name, column_name FROM duckdb_columns() "
                f"WHERE data_type = 'VARCHAR' AND column_name NOT IN {HASH_COLUMNS} "
                "AND NOT internal"
            ).fetchall()
            for schema, table, column in columns:
                hits = con.execute(
                    f'SELECT "{column}" FROM {schema}.{table} '
                    f"""WHERE regexp_matches("{column}", '1[3-9][0-9]{{9}}')"""
                ).fetchall()
                assert not [h for (h,) in hits if PHONE.search(h)], (name, schema, table, column)


SMTP_VARS = ("MANYI_SMTP_HOST", "MANYI_SMTP_PORT", "MANYI_SMTP_SECURITY", "MANYI_SMTP_USER",
             "MANYI_SMTP_PASSWORD")  # fmt: skip
# Each page's first view, then one staff member's replies and one complaint's timeline: the
# views with customers' own words.
PAGE_FILES = ("overview", "complaints", "hotline", "staff", "billing", "data_quality")


def _mail_everything() -> None:
    from pipelines.reports import alerts, compose, config, content
    from pipelines.reports.delivery import MailDelivery

    reports = config.load()
    mail = MailDelivery(attempts=1, backoff_seconds=0)
    day = content.default_report_date(settings.local_now().date())
    for name in config.REPORTS:
        compose.send(name, day, reports, mail)
    alerts.run(reports, mail)


def _show_every_page(downloads: Downloads) -> str:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    sign_in(at.run(), "qa")  # the quality role sees every section
    shown = []
    for name in PAGE_FILES:
        at.switch_page(f"app_pages/{name}.py").run()
        if name == "staff":
            at.selectbox(key="st_staff").select_index(1).run()
        if name == "complaints":
            first = at.dataframe[-1].value.iloc[0, 0]  # the watchlist's first complaint id
            at.text_input(key="cp_complaint").input(str(first)).run()
        assert not at.exception, [e.value for e in at.exception]
        shown.append(page_text(at))
        for file_name, content in downloads.files(at).items():
            if file_name.endswith(".xlsx"):
                shown.append(phone_scan.workbook_text(content))
            else:
                shown.append(content.decode("utf-8-sig"))
    return "\n".join(shown)


@pytest.fixture(scope="module")
def full_run(built):
    """The built demo, mailed and shown: what an operator's first day leaves behind."""
    root, env = built
    with pytest.MonkeyPatch.context() as patch:
        for name in SMTP_VARS:
            patch.delenv(name, raising=False)  # no server: mails go to the outbox
        patch.setenv("MANYI_DATA_DIR", str(root))
        patch.setenv("MANYI_PII_KEY", env["MANYI_PII_KEY"])
        patch.setenv("MANYI_USERS_FILE", str(write_users_file(root / "users.toml")))
        _mail_everything()
        downloads = Downloads()
        patch.setattr(
            "streamlit.testing.v1.app_test.MediaFileManager", downloads.recording_manager()
        )
        shown = _show_every_page(downloads)
    return root, shown


def test_no_plain_phone_number_in_mails_logs_pages_or_downloads(full_run):
    root, shown = full_run
    assert list((root / "outbox").glob("*.eml")), "the reports were mailed to the outbox"
    assert (root / "access.sqlite3").exists(), "the downloads were audited"
    # Everything under the data dir but the deliveries themselves (landing/, the input) and
    # the DuckDB files (scanned by SQL above): Dagster's run storage and compute logs, the
    # outbox, the sent log, the access store.
    assert phone_scan.in_tree(root, skip=(root / "landing",)) == {}
    # The scan can fail: the deliveries themselves hold plain numbers.
    assert phone_scan.in_tree(root / "landing")
    # dbt's logs of this run, kept in the project folder.
    started = (root / "warehouse" / "manyi.duckdb").stat().st_ctime - 3600
    logs = [p for p in (REPO_ROOT / "dbt_project").rglob("*.log") if p.stat().st_mtime > started]
    assert {str(p): phone_scan.in_file(p) for p in logs if phone_scan.in_file(p)} == {}
    assert len(shown) > 10_000 and "****" in shown, "pages show masked numbers"
    assert phone_scan.in_text(shown) == []


def test_a_second_build_changes_nothing(built):
    root, env = built
    with _serving(root) as con:
        before = con.execute("SELECT * FROM marts.kpi_values ORDER BY ALL").fetchall()
        loads = con.execute("SELECT count(*) FROM audit.load_log").fetchone()[0]
    second = _build(env)
    assert second.returncode == 0, second.stderr[-3000:]
    with _serving(root) as con:
        assert con.execute("SELECT * FROM marts.kpi_values ORDER BY ALL").fetchall() == before
        assert con.execute("SELECT count(*) FROM audit.load_log").fetchone()[0] == loads
