"""Ingestion against the contract, on small hand-made files with hand-counted answers."""

from __future__ import annotations

import gzip
import hashlib
import hmac
import os
import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipelines.contract import TABLES
from pipelines.ingest.load import ingest
from tests.conftest import PII_KEY

COMPLAINT_HEADER = (
    "complaint_id,received_at,channel,msisdn,category,urgency,first_owner_staff_id,hall_id,summary"
)


def deliver(data_dir: Path, table: str, name: str, text: str, encoding: str = "utf-8") -> Path:
    folder = data_dir / "landing" / table
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


def rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


def quarantine(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple]:
    return rows(
        con,
        "SELECT line_number, column_name, reason FROM audit.quarantine "
        f"WHERE table_name = '{table}' ORDER BY line_number",
    )


def load_log(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple]:
    return rows(
        con,
        "SELECT source_file, status, reason, rows_read, rows_loaded, rows_quarantined, "
        f"rows_replaced FROM audit.load_log WHERE table_name = '{table}' "
        "ORDER BY finished_at, source_file",
    )


def test_values_are_typed_as_the_contract_says(data_dir, warehouse):
    deliver(
        data_dir,
        "payments",
        "p.csv",
        "payment_id,msisdn,paid_at,amount,channel,confirm_sms_at,balance_after\n"
        "P1,13800138000,2026-08-24 10:00:00,50,bank,2026-08-24 10:05:00.250,12.5\n"
        "P2,+86 138-0013-8001,2026-08-24T02:00:00Z,0.01,mobile_app,,\n"
        "P3,0086 139 0013 9000,2026-08-24T10:00:00+05:30,100.00,bank,,-3.10\n"
        "P4,8613700137000,2026-08-24T10:00:00.5+08:00,1,bank,,\n",
    )
    ingest(["payments"])
    with warehouse() as con:
        got = rows(
            con,
            "SELECT payment_id, msisdn_masked, paid_at, amount, confirm_sms_at, balance_after "
            "FROM raw.payments ORDER BY payment_id",
        )
    assert got == [
        (
            "P1",
            "138****8000",
            datetime(2026, 8, 24, 10),
            Decimal("50.00"),
            datetime(2026, 8, 24, 10, 5, 0, 250000),
            Decimal("12.50"),
        ),
        # 02:00 UTC is 10:00 in Shanghai; 10:00 at +05:30 is 12:30 in Shanghai.
        ("P2", "138****8001", datetime(2026, 8, 24, 10), Decimal("0.01"), None, None),
        (
            "P3",
            "139****9000",
            datetime(2026, 8, 24, 12, 30),
            Decimal("100.00"),
            None,
            Decimal("-3.10"),
        ),
        ("P4", "137****7000", datetime(2026, 8, 24, 10, 0, 0, 500000), Decimal("1.00"), None, None),
    ]


def test_booleans_months_and_dates(data_dir, warehouse):
    deliver(
        data_dir,
        "subscribers",
        "s.csv",
        "msisdn,brand,vip,plan_code,activated_on\n"
        + "".join(
            f"1380013800{i},gotone,{flag},P1,2020-01-0{i + 1}\n"
            for i, flag in enumerate(["true", "FALSE", "1", "0", "Y", "n", "是", "否"])
        ),
    )
    deliver(
        data_dir,
        "usage_monthly",
        "u.csv",
        "msisdn,month,voice_minutes,sms_count,data_mb\n13800138000,2026-08,1,2,3\n",
    )
    ingest(["subscribers", "usage_monthly"])
    with warehouse() as con:
        vip = [r[0] for r in rows(con, "SELECT vip FROM raw.subscribers ORDER BY msisdn_masked")]
        usage = rows(con, "SELECT month, voice_minutes, sms_count, data_mb FROM raw.usage_monthly")
    assert vip == [True, False, True, False, True, False, True, False]
    assert usage == [(date(2026, 8, 1), 1, 2, 3)]


def test_phone_numbers_are_pseudonymised_with_hmac(data_dir, warehouse):
    deliver(
        data_dir,
        "subscribers",
        "s.csv",
        "msisdn,brand,vip,plan_code,activated_on\n+86 138-0013-8000,gotone,Y,P1,2020-01-01\n",
    )
    ingest(["subscribers"])
    expected = hmac.new(PII_KEY.encode(), b"13800138000", hashlib.sha256).hexdigest()
    with warehouse() as con:
        assert rows(con, "SELECT customer_key, msisdn_masked FROM raw.subscribers") == [
            (expected, "138****8000")
        ]


def test_every_kind_of_bad_row_is_quarantined_with_its_reason(data_dir, warehouse):
    deliver(
        data_dir,
        "complaints",
        "c.csv",
        COMPLAINT_HEADER + "\n"
        "C1,2026-08-24 10:00:00,hall,13800138000,billing,normal,S1,H1,ok\n"  # line 2: valid
        "C2,2026-08-24 25:00:00,hall,13800138000,billing,normal,S1,H1,\n"  # 3: bad time
        "C3,2026-08-24 10:00:00,shop,13800138000,billing,normal,S1,H1,\n"  # 4: bad enum
        "C4,2026-08-24 10:00:00,hall,,billing,normal,S1,H1,\n"  # 5: missing phone
        "C5,2026-08-24 10:00:00,hall,23800138000,billing,normal,S1,H1,\n"  # 6: bad phone
        "C6,2026-08-24 10:00:00,hall,13800138000,billing,normal,S1,H1,x,extra\n"  # 7: malformed
        "C1,2026-08-25 10:00:00,hall,13800138000,billing,normal,S1,H1,dup\n"  # 8: duplicate
        "C7,2026-08-24 10:00:00,hall,13800138000,billing,normal,,H1,\n"  # 9: missing owner
        "C1,2026-08-26 10:00:00,hall,13800138000,billing,normal,S1,H1,dup2\n"  # 10: duplicate
        "C8,2026-08-24 10:00:00,hall,13800138000,billing,urgent,S1,,\n",  # 11: valid
    )
    ingest(["complaints"])
    with warehouse() as con:
        assert quarantine(con, "complaints") == [
            (3, "received_at", "bad_type"),
            (4, "channel", "bad_enum"),
            (5, "msisdn", "missing_required"),
            (6, "msisdn", "bad_phone"),
            (7, None, "malformed_row"),
            (8, "complaint_id", "duplicate_key"),
            (9, "first_owner_staff_id", "missing_required"),
            (10, "complaint_id", "duplicate_key"),
        ]
        assert rows(con, "SELECT complaint_id, summary FROM raw.complaints ORDER BY 1") == [
            ("C1", "ok"),
            ("C8", None),
        ]
        assert load_log(con, "complaints") == [("complaints/c.csv", "loaded", None, 10, 2, 8, 0)]


@pytest.mark.parametrize(
    ("table", "header", "line", "column"),
    [
        (
            "staff",
            "staff_id,staff_name,team,hall_id,hired_on",
            "S1,张三,hall,,2020-01-01",
            "hall_id",
        ),
        (
            "sms_ratings",
            "invitation_id,channel,hall_id,staff_id,service_type,msisdn,served_at,invited_at,"
            "delivery_status,reply_at,reply_text",
            "R1,hotline,,S1,缴费,13800138000,2026-08-24 10:00:00,2026-08-24 09:59:59,delivered,,",
            "invited_at",
        ),
        (
            "sms_ratings",
            "invitation_id,channel,hall_id,staff_id,service_type,msisdn,served_at,invited_at,"
            "delivery_status,reply_at,reply_text",
            "R1,hall,H1,S1,缴费,13800138000,2026-08-24 10:00:00,2026-08-24 10:00:00,delivered,,1",
            "reply_at",
        ),
        (
            "complaint_events",
            "event_id,complaint_id,event_at,event_type,callback_outcome",
            "E1,C1,2026-08-24 10:00:00,callback,",
            "callback_outcome",
        ),
        (
            "complaint_events",
            "event_id,complaint_id,event_at,event_type,callback_outcome",
            "E1,C1,2026-08-24 10:00:00,closed,satisfied",
            "callback_outcome",
        ),
        (
            "hotline_calls",
            "call_id,msisdn,call_start_at,ivr_outcome,queue,queued_at,"
            "answered_at,abandoned_at,agent_id,call_end_at",
            "K1,13800138000,2026-08-24 10:00:00,agent_request,billing,2026-08-24 10:00:30,"
            "2026-08-24 10:00:40,2026-08-24 10:00:41,A1,2026-08-24 10:05:00",
            "abandoned_at",
        ),
        (
            "hotline_calls",
            "call_id,msisdn,call_start_at,ivr_outcome,call_end_at",
            "K1,13800138000,2026-08-24 10:00:00,hangup,2026-08-24 09:00:00",
            "call_end_at",
        ),
        (
            "agent_shifts",
            "shift_id,staff_id,shift_start_at,shift_end_at",
            "X1,A1,2026-08-24 10:00:00,2026-08-24 10:00:00",
            "shift_end_at",
        ),
        (
            "payments",
            "payment_id,msisdn,paid_at,amount,channel",
            "P1,13800138000,2026-08-24 10:00:00,0,bank",
            "amount",
        ),
        (
            "usage_monthly",
            "msisdn,month,voice_minutes,sms_count,data_mb",
            "13800138000,2026-08,-1,0,0",
            "voice_minutes",
        ),
    ],
)
def test_broken_conditional_rules_quarantine_the_row(
    data_dir, warehouse, table, header, line, column
):
    deliver(data_dir, table, "f.csv", f"{header}\n{line}\n")
    ingest([table])
    with warehouse() as con:
        assert quarantine(con, table) == [(2, column, "rule_broken")]
        assert rows(con, f"SELECT count(*) FROM raw.{table}") == [(0,)]


def test_a_file_missing_a_required_column_is_rejected_and_the_others_load(data_dir, warehouse):
    deliver(
        data_dir,
        "complaints",
        "a.csv",
        "complaint_id,received_at,channel,msisdn,category,urgency\n"
        "C1,2026-08-24 10:00:00,hall,13800138000,billing,normal\n"
        "C2,2026-08-24 10:00:00,hall,13800138001,billing,normal\n",
    )
    deliver(
        data_dir,
        "complaints",
        "b.csv",
        COMPLAINT_HEADER + "\nC3,2026-08-24 10:00:00,hall,13800138000,billing,normal,S1,,\n",
    )
    result = ingest(["complaints"])["complaints"]
    assert result.outstanding_rejections == [("complaints/a.csv", "missing_column")]
    with warehouse() as con:
        assert load_log(con, "complaints") == [
            ("complaints/a.csv", "rejected", "missing_column", 2, 0, 2, 0),
            ("complaints/b.csv", "loaded", None, 1, 1, 0, 0),
        ]
        lines = rows(
            con,
            "SELECT line_number, column_name, reason, raw_line FROM audit.quarantine "
            "ORDER BY line_number",
        )
        assert lines == [
            (
                2,
                "first_owner_staff_id",
                "missing_column",
                "C1,2026-08-24 10:00:00,hall,138****8000,billing,normal",
            ),
            (
                3,
                "first_owner_staff_id",
                "missing_column",
                "C2,2026-08-24 10:00:00,hall,138****8001,billing,normal",
            ),
        ]
        assert rows(con, "SELECT complaint_id FROM raw.complaints") == [("C3",)]


def test_a_rejected_file_stays_outstanding_until_corrected_or_withdrawn(data_dir):
    bad = deliver(data_dir, "halls", "a.csv", "hall_id,hall_name\nH1,a\n")
    deliver(data_dir, "halls", "b.csv", "hall_id,hall_name\nH2,b\n")
    assert ingest(["halls"])["halls"].outstanding_rejections == [
        ("halls/a.csv", "missing_column"),
        ("halls/b.csv", "missing_column"),
    ]
    # Nothing new to load: the rejections are the load log's, in name order.
    again = ingest(["halls"])["halls"]
    assert (again.files, again.unchanged) == ([], 2)
    assert again.outstanding_rejections == [
        ("halls/a.csv", "missing_column"),
        ("halls/b.csv", "missing_column"),
    ]
    bad.write_text("hall_id,hall_name,district,hall_type\nH1,a,b,standard\n")
    (data_dir / "landing" / "halls" / "b.csv").unlink()
    corrected = ingest(["halls"])["halls"]
    assert [(f.source_file, f.status) for f in corrected.files] == [("halls/a.csv", "loaded")]
    assert corrected.outstanding_rejections == []


def test_column_names_match_case_insensitively_in_any_order_and_extras_are_logged(
    data_dir, warehouse
):
    deliver(
        data_dir,
        "halls",
        "h.csv",
        " HALL_NAME ,Hall_Id,district,hall_type,remark\n九州路营业厅,H1,鼓楼区,flagship,x\n",
    )
    ingest(["halls"])
    with warehouse() as con:
        assert rows(con, "SELECT hall_id, hall_name, opened_on FROM raw.halls") == [
            ("H1", "九州路营业厅", None)
        ]
        assert rows(con, "SELECT extra_columns FROM audit.load_log") == [("remark",)]


def test_quoted_fields_keep_commas_quotes_and_newlines(data_dir, warehouse):
    summary = '账单有误, 多扣了"10元"\n第二行'
    quoted = '"' + summary.replace('"', '""') + '"'
    deliver(
        data_dir,
        "complaints",
        "c.csv",
        COMPLAINT_HEADER + f"\nC1,2026-08-24 10:00:00,hall,13800138000,billing,normal,S1,,"
        f"{quoted}\nC2,2026-08-24 10:00:00,hall,13800138000,billing,normal,S1,,\n",
    )
    ingest(["complaints"])
    with warehouse() as con:
        assert rows(
            con, "SELECT complaint_id, summary, _line_number FROM raw.complaints ORDER BY 1"
        ) == [("C1", summary, 2), ("C2", None, 3)]


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig"])
def test_chinese_text_survives_each_encoding(data_dir, warehouse, encoding):
    deliver(
        data_dir,
        "halls",
        "h.csv",
        "hall_id,hall_name,district,hall_type\nH1,春雷路营业厅,鼓楼区,standard\n",
        encoding,
    )
    ingest(["halls"])
    with warehouse() as con:
        assert rows(con, "SELECT hall_name, district FROM raw.halls") == [
            ("春雷路营业厅", "鼓楼区")
        ]
        detected = rows(con, "SELECT encoding FROM audit.load_log")[0][0]
    assert detected == {"gbk": "gb18030", "gb18030": "gb18030", "utf-8-sig": "utf-8-sig"}[encoding]


def test_an_undecodable_file_is_rejected_whole(data_dir, warehouse):
    path = data_dir / "landing" / "halls" / "h.csv"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"hall_id,hall_name,district,hall_type\nH1,\xff\xff\xff,x,standard\n")
    result = ingest(["halls"])["halls"]
    assert result.outstanding_rejections == [("halls/h.csv", "unreadable_file")]
    with warehouse() as con:
        assert rows(con, "SELECT count(*) FROM raw.halls") == [(0,)]


def test_gzip_and_parquet_deliveries_load(data_dir, warehouse):
    folder = data_dir / "landing" / "halls"
    folder.mkdir(parents=True)
    with gzip.open(folder / "a.csv.gz", "wt", encoding="utf-8") as out:
        out.write("hall_id,hall_name,district,hall_type\nH1,九州路营业厅,鼓楼区,flagship\n")
    pq.write_table(
        pa.table(
            {
                "hall_id": ["H2", "H3"],
                "hall_name": ["华夏路营业厅", "x"],
                "district": ["台江区", "y"],
                "hall_type": ["standard", "kiosk"],
            }
        ),
        folder / "b.parquet",
    )
    ingest(["halls"])
    with warehouse() as con:
        assert rows(con, "SELECT hall_id, hall_name, _line_number FROM raw.halls ORDER BY 1") == [
            ("H1", "九州路营业厅", 2),
            ("H2", "华夏路营业厅", 1),
        ]
        assert quarantine(con, "halls") == [(2, "hall_type", "bad_enum")]
        assert rows(con, "SELECT file_format, encoding FROM audit.load_log ORDER BY 1") == [
            ("csv.gz", "utf-8"),
            ("parquet", "parquet"),
        ]


def test_line_numbers_account_for_unparseable_rows(data_dir, warehouse):
    deliver(
        data_dir,
        "halls",
        "h.csv",
        "hall_id,hall_name,district,hall_type\n"
        "H1,a,b,standard\n"  # 2
        "H2,a,b,standard,extra\n"  # 3 malformed
        "H3,a,b,standard,extra\n"  # 4 malformed
        "H4,a,b,bad\n"  # 5 bad enum
        "H5,a,b,standard\n",
    )  # 6
    ingest(["halls"])
    with warehouse() as con:
        assert quarantine(con, "halls") == [
            (3, None, "malformed_row"),
            (4, None, "malformed_row"),
            (5, "hall_type", "bad_enum"),
        ]
        assert rows(con, "SELECT hall_id, _line_number FROM raw.halls ORDER BY 1") == [
            ("H1", 2),
            ("H5", 6),
        ]


def test_same_file_again_is_a_no_op(data_dir, warehouse):
    path = deliver(
        data_dir, "halls", "h.csv", "hall_id,hall_name,district,hall_type\nH1,a,b,standard\n"
    )
    ingest(["halls"])
    os.utime(path, ns=(0, 10**18))  # touched, content unchanged
    result = ingest(["halls"])["halls"]
    assert (len(result.files), result.unchanged) == (0, 1)
    with warehouse() as con:
        assert rows(con, "SELECT count(*) FROM raw.halls") == [(1,)]
        assert len(load_log(con, "halls")) == 1


def test_a_corrected_file_replaces_its_earlier_rows(data_dir, warehouse):
    header = "hall_id,hall_name,district,hall_type\n"
    deliver(data_dir, "halls", "h.csv", header + "H1,old,b,standard\nH2,gone,b,standard\n")
    ingest(["halls"])
    path = deliver(data_dir, "halls", "h.csv", header + "H1,new,b,standard\n")
    os.utime(path, ns=(0, 10**18))
    ingest(["halls"])
    with warehouse() as con:
        assert rows(con, "SELECT hall_id, hall_name FROM raw.halls") == [("H1", "new")]
        assert [r[3:] for r in load_log(con, "halls")] == [(2, 2, 0, 0), (1, 1, 0, 0)]


def test_the_latest_delivery_wins_a_repeated_key_and_counts_the_replacement(data_dir, warehouse):
    header = "hall_id,hall_name,district,hall_type\n"
    deliver(data_dir, "halls", "2026-08-01.csv", header + "H1,first,b,standard\nH2,x,b,standard\n")
    ingest(["halls"])
    deliver(data_dir, "halls", "2026-08-02.csv", header + "H1,second,b,standard\n")
    deliver(data_dir, "halls", "2026-08-03.csv", header + "H1,third,b,standard\n")
    ingest(["halls"])
    with warehouse() as con:
        assert rows(con, "SELECT hall_id, hall_name, _source_file FROM raw.halls ORDER BY 1") == [
            ("H1", "third", "halls/2026-08-03.csv"),
            ("H2", "x", "halls/2026-08-01.csv"),
        ]
        replaced = rows(con, "SELECT source_file, rows_replaced FROM audit.load_log ORDER BY 1")
    assert replaced == [
        ("halls/2026-08-01.csv", 0),
        ("halls/2026-08-02.csv", 1),
        ("halls/2026-08-03.csv", 1),
    ]


USAGE_HEADER = "msisdn,month,voice_minutes,sms_count,data_mb\n"


def _key(msisdn: str) -> str:
    return hmac.new(PII_KEY.encode(), msisdn.encode(), hashlib.sha256).hexdigest()


def test_a_repeated_phone_key_is_one_key_however_the_number_is_written(data_dir, warehouse):
    # Same number, two spellings: in one run (resolved inside the chunk), then in a later
    # run (replacing the stored row). Each time the latest delivery wins and is counted.
    deliver(data_dir, "usage_monthly", "u1.csv", USAGE_HEADER + "13800138000,2026-08,1,1,1\n")
    deliver(data_dir, "usage_monthly", "u2.csv", USAGE_HEADER + "+86 138-0013-8000,2026-08,2,2,2\n")
    ingest(["usage_monthly"])
    deliver(data_dir, "usage_monthly", "u3.csv", USAGE_HEADER + "0086 13800138000,2026-08,3,3,3\n")
    ingest(["usage_monthly"])
    with warehouse() as con:
        assert rows(
            con, "SELECT customer_key, voice_minutes, _source_file FROM raw.usage_monthly"
        ) == [(_key("13800138000"), 3, "usage_monthly/u3.csv")]
        assert [(r[0], r[6]) for r in load_log(con, "usage_monthly")] == [
            ("usage_monthly/u1.csv", 0),
            ("usage_monthly/u2.csv", 1),
            ("usage_monthly/u3.csv", 1),
        ]


def test_line_numbers_hold_across_chunks_and_differently_shaped_files(
    data_dir, warehouse, monkeypatch
):
    # With chunks of 250 bytes the first two files (98 and 115 bytes) share a chunk and,
    # their headers differing, are read by two scans; the third is a chunk of its own.
    monkeypatch.setattr("pipelines.ingest.load.CHUNK_BYTES", 250)
    deliver(
        data_dir,
        "usage_monthly",
        "2026-08.csv",
        USAGE_HEADER + "13800138000,2026-08,1,1,1\n13800138001,2026-08,1,-1,1\n",
    )
    deliver(
        data_dir,
        "usage_monthly",
        "2026-09.csv",
        "month,msisdn,sms_count,voice_minutes,data_mb\n"  # reordered columns
        "2026-09,13800138000,1,1,1\n2026-09,13800138001,1,1,1\n2026-09,bad,1,1,1\n",
    )
    deliver(
        data_dir,
        "usage_monthly",
        "2026-10.csv",
        USAGE_HEADER + "13800138002,2026-10,1,1,1\n13800138000,2026-10,1,1,1,9\n"
        "13800138001,2026-10,x,1,1\n13800138003,2026-10,1,1,1\n",
    )
    ingest(["usage_monthly"])
    with warehouse() as con:
        assert rows(
            con,
            "SELECT source_file, line_number, reason FROM audit.quarantine ORDER BY 1, 2",
        ) == [
            ("usage_monthly/2026-08.csv", 3, "rule_broken"),
            ("usage_monthly/2026-09.csv", 4, "bad_phone"),
            ("usage_monthly/2026-10.csv", 3, "malformed_row"),
            ("usage_monthly/2026-10.csv", 4, "bad_type"),
        ]
        assert rows(
            con,
            "SELECT _source_file, msisdn_masked, _line_number FROM raw.usage_monthly ORDER BY 1, 3",
        ) == [
            ("usage_monthly/2026-08.csv", "138****8000", 2),
            ("usage_monthly/2026-09.csv", "138****8000", 2),
            ("usage_monthly/2026-09.csv", "138****8001", 3),
            ("usage_monthly/2026-10.csv", "138****8002", 2),
            ("usage_monthly/2026-10.csv", "138****8003", 5),
        ]


def _snapshot(data_dir: Path) -> list[tuple]:
    with duckdb.connect(str(data_dir / "warehouse" / "manyi.duckdb"), read_only=True) as con:
        out = []
        for schema, table in con.execute(
            "SELECT schema_name, table_name FROM duckdb_tables() ORDER BY ALL"
        ).fetchall():
            out.append(
                (
                    schema,
                    table,
                    con.execute(f"SELECT * FROM {schema}.{table} ORDER BY ALL").fetchall(),
                )
            )
        return out


def test_a_run_failing_half_way_leaves_the_warehouse_as_it_was(data_dir):
    deliver(data_dir, "halls", "h.csv", "hall_id,hall_name,district,hall_type\nH1,a,b,standard\n")
    ingest(["halls"])
    before = _snapshot(data_dir)
    deliver(data_dir, "halls", "h2.csv", "hall_id,hall_name,district,hall_type\nH2,a,b,standard\n")
    deliver(
        data_dir, "staff", "s.csv", "staff_id,staff_name,team,hired_on\nS1,a,hotline,2020-01-01\n"
    )
    with pytest.raises(RuntimeError, match="injected failure"):
        ingest(["halls", "staff"], fail_after="staff")
    assert _snapshot(data_dir) == before
    ingest(["halls", "staff"])  # the same deliveries load once the failure is gone
    with duckdb.connect(str(data_dir / "warehouse" / "manyi.duckdb"), read_only=True) as con:
        assert rows(con, "SELECT count(*) FROM raw.halls") == [(2,)]
        assert rows(con, "SELECT count(*) FROM raw.staff") == [(1,)]


# An 11-digit mobile number not inside a longer run of digits or hex (customer keys and
# content hashes are hex and may hold such digit runs by chance).
PHONE = re.compile(rb"(?<![0-9a-f])1[3-9][0-9]{9}(?![0-9a-f])")
HASH_COLUMNS = ("customer_key", "content_hash")


def test_no_plain_phone_number_reaches_the_warehouse(data_dir, warehouse):
    deliver(
        data_dir,
        "complaints",
        "c.csv",
        COMPLAINT_HEADER + "\n"
        "C1,2026-08-24 10:00:00,hall,13912345678,billing,normal,S1,,"
        "请回电13987654321或+86 139-1111-2222\n"
        "C2,2026-08-24 10:00:00,bad,13955556666,billing,normal,S1,,\n"
        "C3,2026-08-24 10:00:00,hall,1395555666,billing,normal,S1,,\n"
        "C4,2026-08-24 10:00:00,hall,13955556667,billing,normal,S1,,x,y\n",
    )
    deliver(
        data_dir,
        "complaint_events",
        "e.csv",
        "event_id,complaint_id,event_at,event_type,note\n"
        "E1,C1,2026-08-24 11:00:00,first_reply,已联系13811112222\n",
    )
    ingest(["complaints", "complaint_events"])
    with warehouse() as con:
        text_columns = rows(
            con,
            "SELECT schema_name, table_name, column_name FROM duckdb_columns() "
            f"WHERE data_type = 'VARCHAR' AND column_name NOT IN {HASH_COLUMNS}",
        )
        for schema, table, column in text_columns:
            for (value,) in rows(con, f'SELECT "{column}" FROM {schema}.{table}'):
                assert not PHONE.search(str(value).encode()), (schema, table, column, value)
        notes = rows(con, "SELECT summary FROM raw.complaints")
        assert notes == [("请回电139****4321或139****2222",)]
    assert not PHONE.search((data_dir / "warehouse" / "manyi.duckdb").read_bytes())


def test_every_contract_table_gets_a_raw_table_with_its_stored_columns(data_dir, warehouse):
    ingest()
    with warehouse() as con:
        for table in TABLES:
            got = rows(
                con,
                f"SELECT column_name, data_type FROM duckdb_columns() "
                f"WHERE schema_name = 'raw' AND table_name = '{table.name}' "
                "ORDER BY column_index",
            )
            assert got == list(table.stored_columns)
