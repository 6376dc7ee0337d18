"""The serving copy: audit and marts without the columns readers never get (the pseudonym,
and the build stamp of incremental models), every row but of the tariff guide, which
serves its recommendations only."""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipelines.ingest.load import connect_warehouse
from pipelines.publish import publish


def _warehouse_with_marts() -> None:
    con = connect_warehouse()
    try:
        con.execute("CREATE SCHEMA marts")
        con.execute("CREATE SCHEMA audit")
        con.execute("CREATE SCHEMA raw")
        con.execute(
            "CREATE TABLE marts.cases (case_id VARCHAR, customer_key VARCHAR, "
            "msisdn_masked VARCHAR, amount DECIMAL(18, 2), _built_at TIMESTAMP)"
        )
        con.execute(
            "INSERT INTO marts.cases VALUES "
            "('c1', 'aa11', '138****0001', 1.50, TIMESTAMP '2026-12-05 06:00:00'), "
            "('c2', 'bb22', '138****0002', 2.00, TIMESTAMP '2026-12-05 06:00:00')"
        )
        con.execute(
            "CREATE VIEW marts.case_totals AS "
            "SELECT customer_key, sum(amount) AS total FROM marts.cases GROUP BY ALL"
        )
        con.execute(
            "CREATE TABLE marts.tariff_recommendations (customer_key VARCHAR, "
            "msisdn_masked VARCHAR, saving DECIMAL(18, 2), is_overpaying BOOLEAN)"
        )
        con.execute(
            "INSERT INTO marts.tariff_recommendations VALUES ('aa11', '138****0001', 30, true), "
            "('bb22', '138****0002', 4, false), ('cc33', '138****0003', NULL, NULL)"
        )
        con.execute("CREATE TABLE audit.load_log (source_file VARCHAR, rows_read BIGINT)")
        con.execute("INSERT INTO audit.load_log VALUES ('a.csv', 2)")
        con.execute("CREATE TABLE raw.subscribers (customer_key VARCHAR)")
    finally:
        con.close()


def test_serving_copy_holds_marts_and_audit_without_withheld_columns(data_dir: Path) -> None:
    _warehouse_with_marts()
    con = connect_warehouse()
    try:
        counts = publish(con, "run-1")
    finally:
        con.close()
    assert counts == {
        "audit.load_log": 1,
        "marts.case_totals": 2,
        "marts.cases": 2,
        "marts.tariff_recommendations": 1,
    }
    with duckdb.connect(str(data_dir / "warehouse" / "serving.duckdb"), read_only=True) as served:
        assert served.execute(
            "SELECT case_id, msisdn_masked, amount FROM marts.cases ORDER BY case_id"
        ).fetchall() == [("c1", "138****0001", 1.5), ("c2", "138****0002", 2.0)]
        assert served.execute("SELECT * FROM marts.tariff_recommendations").fetchall() == [
            ("138****0001", 30, True)
        ]
        assert served.execute("SELECT total FROM marts.case_totals ORDER BY total").fetchall() == [
            (1.5,),
            (2.0,),
        ]
        columns = served.execute(
            "SELECT schema_name || '.' || table_name, column_name FROM duckdb_columns() "
            "WHERE NOT internal ORDER BY ALL"
        ).fetchall()
        tables = {table for table, _ in columns}
    assert tables == {
        "audit.build_info",
        "audit.load_log",
        "marts.case_totals",
        "marts.cases",
        "marts.tariff_recommendations",
    }
    assert [c for _, c in columns if c in ("customer_key", "_built_at")] == []
    assert {c for t, c in columns if t == "marts.cases"} == {"case_id", "msisdn_masked", "amount"}
