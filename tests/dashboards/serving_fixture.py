"""A small serving copy with known answers, for the dashboard's AppTest and browser tests.

Totals the page must show: 6 files delivered in 7 loads, 40 rows loaded, 5 rows
quarantined (complaints 2, hotline_calls 3), 1 row replaced, 1 file still rejected
(calls_broken.csv; shifts_20261102.csv was rejected, then re-delivered and loaded).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb

from pipelines import settings
from pipelines.ingest.schema import AUDIT_TABLES, warehouse_ddl

TS = datetime.fromisoformat

# fmt: off
# (table, file, status, reason, read, loaded, quarantined, replaced, finished_at)
LOAD_LOG = (
    ("complaints", "complaints_20261101.csv", "loaded", None, 10, 8, 2, 0, "2026-11-02 01:00:00"),
    ("complaints", "complaints_20261102.csv", "loaded", None, 5, 5, 0, 1, "2026-11-03 01:00:00"),
    ("hotline_calls", "calls_20261102.csv", "loaded", None, 20, 17, 3, 0, "2026-11-03 01:05:00"),
    ("hotline_calls", "calls_broken.csv", "rejected", "missing_column", 0, 0, 0, 0,
     "2026-11-03 01:06:00"),
    ("sms_ratings", "ratings_20261102.csv", "loaded", None, 4, 4, 0, 0, "2026-11-03 01:10:00"),
    ("agent_shifts", "shifts_20261102.csv", "rejected", "unreadable_file", 0, 0, 0, 0,
     "2026-11-03 01:02:00"),
    ("agent_shifts", "shifts_20261102.csv", "loaded", None, 6, 6, 0, 0, "2026-11-03 01:20:00"),
)

# (table, file, line, column, reason, detail, raw_line)
QUARANTINE = (
    ("complaints", "complaints_20261101.csv", 3, "channel", "bad_enum", "'fax' not allowed",
     'C3,2026-11-01 09:00:00,fax,138****8000,billing,normal,S1,,"=HYPERLINK(""http://x"")"'),
    ("complaints", "complaints_20261101.csv", 7, "received_at", "missing_required", "empty",
     "C7,,hall,138****8001,billing,normal,S1,,<script>alert(1)</script>"),
    ("hotline_calls", "calls_20261102.csv", 2, "queue", "rule_broken",
     "agent_request_needs_queue", "K2,138****8002,2026-11-02 08:00:00,,agent_request"),
    ("hotline_calls", "calls_20261102.csv", 5, "queue", "rule_broken",
     "agent_request_needs_queue", "K5,138****8003,2026-11-02 08:10:00,,agent_request"),
    ("hotline_calls", "calls_20261102.csv", 9, "msisdn", "bad_phone", "not a mobile number",
     "K9,12345,2026-11-02 08:30:00,,self_service"),
)
# fmt: on

BUILT_AT = "2026-11-03 02:00:00"
AS_OF = "2026-11-02 23:59:00"


def build_serving_copy(data_dir: Path, *, build_info: bool = True, marts: bool = True) -> Path:
    """Write ``serving.duckdb`` under ``data_dir`` (which must be ``MANYI_DATA_DIR``)."""
    path = settings.Paths(data_dir).serving
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp))
    try:
        for statement in warehouse_ddl():
            con.execute(statement)
        _insert_load_log(con)
        _insert_quarantine(con)
        if build_info:
            con.execute("CREATE TABLE audit.build_info (built_at TIMESTAMP, as_of TIMESTAMP)")
            con.execute("INSERT INTO audit.build_info VALUES ($1, $2)", (TS(BUILT_AT), TS(AS_OF)))
        if marts:
            _create_marts(con)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    # Published like the pipeline does it: a finished file swapped in atomically.
    tmp.replace(path)
    return path


def _create_marts(con: duckdb.DuckDBPyConnection) -> None:
    """The data-quality marts as dbt builds them (only the columns the page reads)."""
    con.execute("CREATE SCHEMA marts")
    con.execute(
        """
        CREATE TABLE marts.data_quality_freshness AS
        SELECT * FROM (VALUES
            ('complaints', 13, TIMESTAMP '2026-11-02 21:59:00', 2.0),
            ('hotline_calls', 17, TIMESTAMP '2026-11-02 23:59:00', 0.0)
        ) AS t(source_table, row_count, latest_event_at, hours_behind_as_of)
        """
    )
    con.execute(
        """
        CREATE TABLE marts.data_quality_orphans AS
        SELECT * FROM (VALUES
            ('complaint_events', 'E9', 'complaint_id', 'complaints', 'C404'),
            ('complaint_events', 'E8', 'complaint_id', 'complaints', 'C405'),
            ('hotline_calls', 'K1', 'agent_id', 'staff', 'A77')
        ) AS t(source_table, record_key, reference_column, referenced_table, missing_reference)
        """
    )


def _insert_load_log(con: duckdb.DuckDBPyConnection) -> None:
    columns = [name for name, _ in AUDIT_TABLES["load_log"]]
    rows = []
    for table, file, status, reason, read, loaded, quarantined, replaced, finished in LOAD_LOG:
        values = dict.fromkeys(columns)
        values.update(
            run_id="run-1",
            table_name=table,
            source_file=file,
            status=status,
            reason=reason,
            rows_read=read,
            rows_loaded=loaded,
            rows_quarantined=quarantined,
            rows_replaced=replaced,
            started_at=TS(finished),
            finished_at=TS(finished),
        )
        rows.append([values[c] for c in columns])
    marks = ", ".join(f"${i + 1}" for i in range(len(columns)))
    con.executemany(f"INSERT INTO audit.load_log VALUES ({marks})", rows)


def _insert_quarantine(con: duckdb.DuckDBPyConnection) -> None:
    rows = [
        ["run-1", table, file, line, column, reason, detail, raw, TS("2026-11-03 01:00:00")]
        for table, file, line, column, reason, detail, raw in QUARANTINE
    ]
    con.executemany(
        "INSERT INTO audit.quarantine VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)", rows
    )
