"""Landing files → ``raw.<table>``: the promises of data-contract.md, in one transaction.

For each table, the deliveries that are new or changed since the load log last saw them
are read in chunks. Each chunk is typed and checked in one pass over the files
(``validate``): CSV files sharing a header are one parallel DuckDB scan, appended in
file order to ``__checked``, so a row's place in its file follows from its ``rowid``
without numbering rows one by one. Rows that fail a check go to the quarantine, the
others into ``raw.<table>``, each phone number pseudonymised once per run (``pii``).
One run is one transaction: if anything fails, nothing of the run is visible and the
warehouse is as it was.

Line numbers count records with the header as line 1, as a spreadsheet shows the file.
They equal physical lines unless an earlier quoted field holds a line break; rows DuckDB
cannot parse at all (wrong field count, broken quoting) keep DuckDB's physical line.
Parquet rows are numbered from 1.
"""

from __future__ import annotations

import logging
import shutil
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from pipelines import settings
from pipelines.contract import REASONS, TABLE_BY_NAME, TABLES, Table
from pipelines.ingest import files, pii
from pipelines.ingest.schema import warehouse_ddl
from pipelines.ingest.validate import PHONE_NUMBER, checked_key, checked_select, stored_line_sql

log = logging.getLogger(__name__)

# Deliveries of one table are staged in chunks of about this many bytes of text, which
# bounds DuckDB's memory at city scale (a year of calls, a month of bill items).
CHUNK_BYTES = 512 << 20
GZIP_RATIO = 6


@dataclass
class FileResult:
    source_file: str
    status: str  # loaded | rejected
    size: int
    mtime_ns: int
    content_hash: str
    encoding: str
    file_format: str
    reason: str | None = None
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    rows_replaced: int = 0
    extra_columns: list[str] = field(default_factory=list)
    started_at: datetime = field(default_factory=settings.local_now)
    finished_at: datetime | None = None


@dataclass
class TableResult:
    table: str
    files: list[FileResult] = field(default_factory=list)
    unchanged: int = 0
    # Deliveries still in landing whose latest load rejected them whole, this run or before:
    # they stay an error until corrected or withdrawn.
    outstanding_rejections: list[tuple[str, str]] = field(default_factory=list)

    def total(self, attr: str) -> int:
        return sum(getattr(f, attr) for f in self.files)

    @property
    def quarantine_rate(self) -> float:
        read = self.total("rows_read")
        return self.total("rows_quarantined") / read if read else 0.0


Progress = Callable[[str], None]


def connect_warehouse(path: Path | None = None) -> duckdb.DuckDBPyConnection:
    """Open the warehouse for writing, with memory bounded and spill on the data disk."""
    p = settings.paths()
    target = path or p.warehouse
    target.parent.mkdir(parents=True, exist_ok=True)
    p.tmp.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(target))
    con.execute(f"SET memory_limit = '{settings.duckdb_memory_limit()}'")
    con.execute(f"SET temp_directory = '{p.tmp / 'duckdb_spill'}'")
    con.execute(f"SET TimeZone = '{settings.TIMEZONE}'")
    con.execute("SET enable_progress_bar = false")
    return con


def ingest(
    tables: Iterable[str] | None = None,
    run_id: str | None = None,
    progress: Progress = log.info,
    fail_after: str | None = None,
) -> dict[str, TableResult]:
    """Load every new or changed delivery of ``tables`` (default all) in one transaction.

    ``fail_after`` names a table after which the run raises: the test hook that proves a
    failed run leaves the warehouse as it was.
    """
    run_id = run_id or uuid.uuid4().hex
    names = list(tables) if tables is not None else [t.name for t in TABLES]
    p = settings.paths()
    scratch = p.tmp / f"ingest-{run_id}"
    con = connect_warehouse()
    in_transaction = False
    try:
        for statement in warehouse_ddl():
            con.execute(statement)
        pii.bind_key(con, settings.pii_key())
        con.execute("BEGIN TRANSACTION")
        in_transaction = True
        results: dict[str, TableResult] = {}
        for name in names:
            started = time.monotonic()
            results[name] = _ingest_table(con, TABLE_BY_NAME[name], p.landing, scratch, run_id)
            result = results[name]
            progress(
                f"raw.{name}: {len(result.files)} new file(s), {result.unchanged} unchanged; "
                f"rows read {result.total('rows_read'):,}, loaded {result.total('rows_loaded'):,}, "
                f"quarantined {result.total('rows_quarantined'):,}, "
                f"replaced {result.total('rows_replaced'):,} ({time.monotonic() - started:.1f} s)"
            )
            if fail_after == name:
                raise RuntimeError(f"injected failure after raw.{name}")
        con.execute("COMMIT")
        return results
    except BaseException:
        if in_transaction:
            con.execute("ROLLBACK")
        raise
    finally:
        con.close()
        shutil.rmtree(scratch, ignore_errors=True)


@dataclass(frozen=True)
class _Logged:
    """A source file's latest entry in the load log."""

    size: int
    mtime_ns: int
    content_hash: str
    status: str
    reason: str | None


def _latest_logged(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, _Logged]:
    rows = con.execute(
        """
        SELECT source_file, file_size, file_mtime_ns, content_hash, status, reason
        FROM audit.load_log WHERE table_name = ?
        QUALIFY row_number() OVER (PARTITION BY source_file ORDER BY finished_at DESC) = 1
        """,
        [table],
    ).fetchall()
    return {r[0]: _Logged(*r[1:]) for r in rows}


def pending(
    logged: dict[str, _Logged], on_disk: list[files.Delivery]
) -> tuple[list[files.Delivery], list[str], int]:
    """(deliveries to load, source files among them seen before, count unchanged), of the
    deliveries ``on_disk`` given the latest load of each (``_latest_logged``).

    A file whose size and modification time match the load log is taken as unchanged
    without reading it; otherwise its content hash decides, so a touched but identical
    file is still a no-op and a corrected file with the same name is picked up.
    """
    todo: list[files.Delivery] = []
    redelivered: list[str] = []
    unchanged = 0
    for delivery in on_disk:
        previous = logged.get(delivery.source_file)
        if previous and (previous.size, previous.mtime_ns) == (delivery.size, delivery.mtime_ns):
            unchanged += 1
            continue
        inspected = files.inspect(delivery)
        if previous and previous.content_hash == inspected.content_hash:
            unchanged += 1
            continue
        if previous:
            redelivered.append(delivery.source_file)
        todo.append(inspected)
    return todo, redelivered, unchanged


def _chunks(deliveries: list[files.Delivery]) -> list[list[files.Delivery]]:
    chunks: list[list[files.Delivery]] = [[]]
    size = 0
    for d in deliveries:
        weight = d.size * (GZIP_RATIO if d.file_format == "csv.gz" else 1)
        if chunks[-1] and size + weight > CHUNK_BYTES:
            chunks.append([])
            size = 0
        chunks[-1].append(d)
        size += weight
    return chunks


def _ingest_table(
    con: duckdb.DuckDBPyConnection, table: Table, landing: Path, scratch: Path, run_id: str
) -> TableResult:
    # The landing folder and the load log are each read once: both grow with the history.
    on_disk = files.discover(landing, [table.name])
    logged = _latest_logged(con, table.name)
    todo, redelivered, unchanged = pending(logged, on_disk)
    result = TableResult(table.name, unchanged=unchanged)
    if todo:
        _load_deliveries(con, table, todo, redelivered, scratch, run_id, result)
    # The latest load of each file on disk (in name order): this run's, else the log's.
    latest = {name: (entry.status, entry.reason) for name, entry in logged.items()}
    latest.update({f.source_file: (f.status, f.reason) for f in result.files})
    result.outstanding_rejections = [
        (d.source_file, latest[d.source_file][1])
        for d in on_disk
        if latest.get(d.source_file, ("", None))[0] == "rejected"
    ]
    return result


def _load_deliveries(
    con: duckdb.DuckDBPyConnection,
    table: Table,
    todo: list[files.Delivery],
    redelivered: list[str],
    scratch: Path,
    run_id: str,
    result: TableResult,
) -> None:
    if redelivered:
        # A corrected export replaces every row its earlier version delivered.
        con.execute(
            f"DELETE FROM raw.{table.name} WHERE _source_file IN (SELECT unnest(?))",
            [redelivered],
        )
    seq = {d.source_file: i for i, d in enumerate(todo)}
    for chunk in _chunks(todo):
        result.files += _ingest_chunk(con, table, chunk, seq, scratch, run_id)
    _write_load_log(con, table.name, result.files, run_id)


def _quote(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def _csv_source(paths: list[str], names: list[str], keep_rejects: bool) -> str:
    columns = "{" + ", ".join(f"{_quote(n)}: 'VARCHAR'" for n in names) + "}"
    rejects = (
        ", store_rejects = true, rejects_table = '__rej', rejects_scan = '__rej_scan'"
        if keep_rejects
        else ", ignore_errors = true"
    )
    files = "[" + ", ".join(_quote(p) for p in paths) + "]"
    return (
        f"read_csv({files}, header = true, auto_detect = false, columns = {columns}, "
        f"delim = ',', quote = '\"', escape = '\"'{rejects})"
    )


@dataclass
class _Scan:
    """Deliveries read by one scan: CSV files sharing a header, or one Parquet file."""

    reader: str  # csv | parquet
    header: dict[str, str]  # trimmed lower-case name → name in the file
    paths: list[str] = field(default_factory=list)
    source_files: list[str] = field(default_factory=list)

    def staged(self, table: Table) -> str:
        """SELECT of the scan's rows as text in contract column order, with ``__file``.

        Rows come in file order: each scan is appended to ``__checked`` on its own, so a
        row's ``rowid`` there is its position in its file (DuckDB keeps insertion order).
        """
        if self.reader == "parquet":
            source = f"read_parquet({_quote(self.paths[0])})"
        else:
            source = _csv_source(self.paths, list(self.header.values()), keep_rejects=True)
        names = ", ".join(_quote(f) for f in self.source_files)
        values = ", ".join(
            f'CAST("{self.header[c.name]}" AS VARCHAR) AS "{c.name}"'
            if c.name in self.header
            else f'NULL::VARCHAR AS "{c.name}"'
            for c in table.columns
        )
        return (
            f"(SELECT [{names}][CAST(file_index AS BIGINT) + 1] AS __file, {values} FROM {source})"
        )


def _file_scan(
    table: Table, d: files.Delivery, scratch: Path, res: FileResult, con: duckdb.DuckDBPyConnection
) -> tuple[tuple[str, ...], _Scan, str] | None:
    """(scan key, the scan this delivery joins, the path DuckDB reads); None when the file is
    rejected whole (recorded in ``res``). CSV files with the same header share a scan."""
    contract_cols = [c.name for c in table.columns]
    if d.encoding == "unknown":
        res.status, res.reason = "rejected", "unreadable_file"
        return None
    if d.file_format == "parquet":
        try:
            with duckdb.connect() as probe:
                described = probe.execute(
                    "DESCRIBE SELECT * FROM read_parquet(?)", [str(d.path)]
                ).fetchall()
        except duckdb.Error:
            res.status, res.reason = "rejected", "unreadable_file"
            return None
        header = {r[0].strip().lower(): r[0] for r in described}
        path = str(d.path)
        key: tuple[str, ...] = ("parquet", path)
        whole_file = f"read_parquet({_quote(path)})"
    else:
        path_obj = files.utf8_copy(d, scratch) if d.encoding == "gb18030" else d.path
        path = str(path_obj)
        compressed = d.file_format == "csv.gz" and d.encoding != "gb18030"
        try:
            names = files.read_header(path_obj, compressed)
        except files.UnreadableFile:
            res.status, res.reason = "rejected", "unreadable_file"
            return None
        if len(set(names)) != len(names) or "" in names:
            res.status, res.reason = "rejected", "unreadable_file"
            return None
        header = {n: n for n in names}
        key = ("csv", *names)
        whole_file = _csv_source([path], names, keep_rejects=False)
    res.extra_columns = sorted(set(header) - set(contract_cols))
    missing = [c for c in table.required_columns if c not in header]
    if missing:
        res.status, res.reason = "rejected", "missing_column"
        _quarantine_whole_file(con, d, whole_file, header, missing[0], res)
        return None
    return key, _Scan(key[0], header), path


def _quarantine_whole_file(
    con: duckdb.DuckDBPyConnection,
    d: files.Delivery,
    source: str,
    header: dict[str, str],
    missing: str,
    res: FileResult,
) -> None:
    """Every row of a file rejected whole goes to the quarantine, so nothing is lost.

    Rows that do not even split into fields are skipped here: the file is rejected anyway.
    """
    fields = ", ".join(f"coalesce(CAST(\"{h}\" AS VARCHAR), '')" for h in header.values())
    line = pii.mask_free_text_sql(f"concat_ws(',', {fields})")
    n = con.execute(
        f"""
        INSERT INTO __quarantine
        SELECT {_quote(d.source_file)}, row_number() OVER () + 1, {_quote(missing)},
               'missing_column', 'required column {missing} is missing from the file', {line}
        FROM {source}
        """
    ).fetchone()[0]
    res.rows_read = res.rows_quarantined = n


def _ingest_chunk(
    con: duckdb.DuckDBPyConnection,
    table: Table,
    chunk: list[files.Delivery],
    seq: dict[str, int],
    scratch: Path,
    run_id: str,
) -> list[FileResult]:
    con.execute(
        "CREATE OR REPLACE TEMP TABLE __quarantine (source_file VARCHAR, line_number BIGINT, "
        "column_name VARCHAR, reason VARCHAR, detail VARCHAR, raw_line VARCHAR)"
    )
    con.execute("DROP TABLE IF EXISTS __rej")
    con.execute("DROP TABLE IF EXISTS __rej_scan")
    results: dict[str, FileResult] = {}
    scans: dict[tuple[str, ...], _Scan] = {}
    read_paths: dict[str, str] = {}
    for d in chunk:
        res = FileResult(
            d.source_file, "loaded", d.size, d.mtime_ns, d.content_hash, d.encoding, d.file_format
        )
        results[d.source_file] = res
        picked = _file_scan(table, d, scratch, res, con)
        if picked is not None:
            key, scan, path = picked
            scan = scans.setdefault(key, scan)
            scan.paths.append(path)
            scan.source_files.append(d.source_file)
            read_paths[path] = d.source_file
    # Typed by this empty branch even when every file of the chunk is rejected.
    empty = (
        "(SELECT NULL::VARCHAR AS __file, "
        + ", ".join(f'NULL::VARCHAR AS "{c.name}"' for c in table.columns)
        + " WHERE false)"
    )
    con.execute(f"CREATE OR REPLACE TEMP TABLE __checked AS {checked_select(table, empty)}")
    for scan in scans.values():
        con.execute(f"INSERT INTO __checked {checked_select(table, scan.staged(table))}")
    _number_files(con, scans.values())
    line = _collect_rejects(con, read_paths)
    repeats = _resolve_repeats(con, table, seq)
    _quarantine_checked(con, table, line, repeats)
    for source_file, read, bad in con.execute(
        "SELECT __file, count(*), count(*) FILTER (WHERE __problem IS NOT NULL) "
        "FROM __checked GROUP BY __file"
    ).fetchall():
        results[source_file].rows_read += read
        results[source_file].rows_quarantined += bad
    # Unparseable rows are not in __checked; duplicates are, as valid rows.
    for source_file, reason, n in con.execute(
        "SELECT source_file, reason, count(*) FROM __quarantine "
        "WHERE reason IN ('malformed_row', 'duplicate_key') GROUP BY ALL"
    ).fetchall():
        results[source_file].rows_read += n if reason == "malformed_row" else 0
        results[source_file].rows_quarantined += n
    for source_file, n in _load_valid(con, table, line, repeats):
        results[source_file].rows_replaced += n
    con.execute(
        f"""
        INSERT INTO audit.quarantine
        SELECT {_quote(run_id)}, {_quote(table.name)}, source_file, line_number, column_name,
               reason, detail, raw_line, current_localtimestamp()
        FROM __quarantine
        """
    )
    finished = settings.local_now()
    for res in results.values():
        if res.status == "loaded":
            res.rows_loaded = res.rows_read - res.rows_quarantined
        res.finished_at = finished
    return list(results.values())


def _number_files(con: duckdb.DuckDBPyConnection, scans: Iterable[_Scan]) -> None:
    """``__files``: each file's first ``rowid`` in ``__checked`` and the line number of its
    first row (2 below a CSV header, 1 in Parquet), from which every row's number follows."""
    first_line = {f: 1 if s.reader == "parquet" else 2 for s in scans for f in s.source_files}
    con.execute(
        "CREATE OR REPLACE TEMP TABLE __first_line AS "
        "SELECT unnest(?) AS __file, unnest(?) AS __first_line",
        [list(first_line), list(first_line.values())],
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE __files AS
        SELECT __file, min(c.rowid) AS __first_row, any_value(l.__first_line) AS __first_line
        FROM __checked AS c JOIN __first_line AS l USING (__file)
        GROUP BY __file
        """
    )


def _collect_rejects(con: duckdb.DuckDBPyConnection, read_paths: dict[str, str]) -> str:
    """Quarantine the rows DuckDB's CSV reader could not split into fields; returns the SQL
    of a parsed row's line number over ``__checked AS c JOIN __files AS f``, which must
    skip the rejected rows before it."""
    ordinal = "c.rowid - f.__first_row"
    line = f"{ordinal} + f.__first_line"
    exists = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = '__rej' AND temporary"
    ).fetchone()[0]
    if not exists or not con.execute("SELECT count(*) FROM __rej").fetchone()[0]:
        return line
    con.execute(
        "CREATE OR REPLACE TEMP TABLE __paths AS "
        "SELECT unnest(?) AS path, unnest(?) AS source_file",
        [list(read_paths), list(read_paths.values())],
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE __rejected AS
        SELECT p.source_file, e.line, any_value(e.column_name) AS column_name,
               any_value(e.error_type) AS error_type, any_value(e.csv_line) AS csv_line
        FROM __rej AS e
        JOIN __rej_scan AS s USING (scan_id, file_id)
        JOIN __paths AS p ON p.path = s.file_path
        GROUP BY ALL
        """
    )
    con.execute(
        f"""
        INSERT INTO __quarantine
        SELECT source_file, line, column_name, 'malformed_row',
               'the CSV row does not parse: ' || lower(CAST(error_type AS VARCHAR)),
               {pii.mask_free_text_sql("csv_line")}
        FROM __rejected
        """
    )
    # The i-th rejected line L_i is the (L_i - i - 1)-th parsed row's place (0-based): it
    # shifts every parsed row from there on by one.
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE __shift AS
        SELECT source_file AS __file,
               line - row_number() OVER (PARTITION BY source_file ORDER BY line) - 1 AS __adj
        FROM __rejected
        """
    )
    return (
        f"{line} + coalesce((SELECT count(*) FROM __shift AS s "
        f"WHERE s.__file = c.__file AND s.__adj <= {ordinal}), 0)"
    )


def _resolve_repeats(con: duckdb.DuckDBPyConnection, table: Table, seq: dict[str, int]) -> bool:
    """Find valid rows whose key repeats in this chunk, into ``__repeats`` (by ``__row``,
    the row's ``rowid`` in ``__checked``).

    Inside one delivery every copy after the first is a duplicate (quarantined). Across
    deliveries the file loaded last wins, as if the files were loaded one by one: each
    delivery of a key replaced the one before it (``__replaces``, counted in the load log)
    and every delivery but the last is dropped (``__loses``). Returns whether any repeat.
    """
    key = checked_key(table)
    keys = ", ".join(key)
    # Equal keys hash alike, so distinct hashes prove distinct keys; counting one hash
    # column is cheaper than grouping the key's columns, and repeats are rare.
    if con.execute(
        f"SELECT count(DISTINCT hash({keys})) = count(*) FROM __checked WHERE __problem IS NULL"
    ).fetchone()[0]:
        return False
    con.execute(
        "CREATE OR REPLACE TEMP TABLE __seq AS SELECT unnest(?) AS __file, unnest(?) AS __seq",
        [list(seq), list(seq.values())],
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE __rep AS
        SELECT c.__file, c.rowid AS __row, s.__seq, {", ".join(f"c.{k}" for k in key)}
        FROM __checked AS c
        JOIN __seq AS s USING (__file)
        SEMI JOIN (
            SELECT {keys} FROM __checked WHERE __problem IS NULL
            GROUP BY ALL HAVING count(*) > 1
        ) AS r ON {" AND ".join(f"c.{k} = r.{k}" for k in key)}
        WHERE c.__problem IS NULL
        """
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE __repeats AS
        WITH ranked AS (
            SELECT *, __row > min(__row) OVER (PARTITION BY __file, {keys}) AS __dup FROM __rep
        )
        SELECT __file, __row, true AS __dup, false AS __loses, false AS __replaces,
               NULL AS __first
        FROM ranked WHERE __dup
        UNION ALL
        SELECT __file, __row, false,
               __seq < max(__seq) OVER (PARTITION BY {keys}),
               __seq > min(__seq) OVER (PARTITION BY {keys}),
               arg_min(__file, __seq) OVER (PARTITION BY {keys})
        FROM ranked WHERE NOT __dup
        """
    )
    return True


def _checked_rows(repeats: bool) -> str:
    """FROM clause over ``__checked AS c`` with each row's file numbering (``f``) and, when
    keys repeat in the chunk, its repeat flags (``r``)."""
    joined = "__checked AS c JOIN __files AS f USING (__file)"
    return f"{joined} LEFT JOIN __repeats AS r ON r.__row = c.rowid" if repeats else joined


def _quarantine_checked(
    con: duckdb.DuckDBPyConnection, table: Table, line: str, repeats: bool
) -> None:
    details = " ".join(f"WHEN {_quote(code)} THEN {_quote(text)}" for code, text in REASONS.items())
    problem = f"coalesce(__problem, 'duplicate_key|{table.primary_key[0]}')"
    bad = "__problem IS NOT NULL OR r.__dup" if repeats else "__problem IS NOT NULL"
    con.execute(
        f"""
        INSERT INTO __quarantine
        SELECT c.__file, {line}, split_part({problem}, '|', 2), split_part({problem}, '|', 1),
               split_part({problem}, '|', 2) || ': ' || CASE split_part({problem}, '|', 1)
                   {details} END,
               coalesce(__raw_line, {stored_line_sql(table)})
        FROM {_checked_rows(repeats)} WHERE {bad}
        """
    )


def _stored_rows_in_range(con: duckdb.DuckDBPyConnection, table: Table) -> bool:
    """Whether any stored row may share a key with the chunk's valid rows.

    Deliveries mostly arrive in key order (months, days, ids that embed the date), so a
    new chunk rarely overlaps what is stored, and the zone maps of ``raw.<table>`` answer
    this without a scan. Only then are replaced rows looked for, by a join. A pseudonym
    says nothing about order, so the key's other columns decide (a key that is only a
    phone number always looks).
    """
    keys = [k for k in table.stored_key if k != "customer_key"]
    bounds = " AND ".join(f'"{k}" BETWEEN ? AND ?' for k in keys) or "true"
    ranges: list[object] = []
    if keys:
        ranges = list(
            con.execute(
                "SELECT "
                + ", ".join(f'min("{k}"), max("{k}")' for k in keys)
                + " FROM __checked WHERE __problem IS NULL"
            ).fetchone()
        )
        if ranges[0] is None:
            return False
    return con.execute(
        f"SELECT EXISTS (SELECT 1 FROM raw.{table.name} WHERE {bounds})", ranges
    ).fetchone()[0]


def _load_valid(
    con: duckdb.DuckDBPyConnection, table: Table, line: str, repeats: bool
) -> list[tuple[str, int]]:
    """Insert the valid rows that win their key; the stored rows they replace are deleted.
    Returns replacements per replacing file."""
    stored = [name for name, _ in table.stored_columns if not name.startswith("_")]
    phone = "customer_key" in stored
    keys = table.stored_key
    on = " AND ".join(f'o."{k}" = n."{k}"' for k in keys)
    replaced: dict[str, int] = {}
    rows = _checked_rows(repeats)
    if phone:
        pii.remember_keys(con, f"SELECT {PHONE_NUMBER} AS n FROM __checked WHERE __problem IS NULL")
        rows += f" LEFT JOIN {pii.KEY_CACHE} AS k ON k.n = c.{PHONE_NUMBER}"
    # ``__first`` is the chunk's first delivery of the row's key, the one that replaced
    # the stored row (if any).
    if repeats:
        replaced = dict(
            con.execute(
                "SELECT __file, count(*) FROM __repeats WHERE __replaces GROUP BY 1"
            ).fetchall()
        )
        first = "coalesce(r.__first, c.__file)"
        valid = "c.__problem IS NULL AND NOT coalesce(r.__dup OR r.__loses, false)"
    else:
        first, valid = "c.__file", "c.__problem IS NULL"
    values = ["k.customer_key" if name == "customer_key" else f'c."{name}"' for name in stored]
    source = (
        f"(SELECT {', '.join(values)}, c.__file, {first} AS __first, {line} AS __line "
        f"FROM {rows} WHERE {valid})"
    )
    if _stored_rows_in_range(con, table):
        # One join finds the stored rows replaced; most overlapping chunks replace none.
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE __replaced AS SELECT o.rowid AS __stored, n.__first "
            f"FROM raw.{table.name} AS o JOIN {source} AS n ON {on}"
        )
        for source_file, n in con.execute(
            "SELECT __first, count(*) FROM __replaced GROUP BY 1"
        ).fetchall():
            replaced[source_file] = replaced.get(source_file, 0) + n
        if con.execute("SELECT EXISTS (FROM __replaced)").fetchone()[0]:
            con.execute(
                f"DELETE FROM raw.{table.name} WHERE rowid IN (SELECT __stored FROM __replaced)"
            )
    targets = ", ".join(f'"{c}"' for c in [*stored, "_source_file", "_line_number", "_loaded_at"])
    columns = ", ".join([*(f'"{c}"' for c in stored), "__file", "__line"])
    con.execute(
        f"INSERT INTO raw.{table.name} ({targets}) "
        f"SELECT {columns}, current_localtimestamp() FROM {source}"
    )
    return list(replaced.items())


def _write_load_log(
    con: duckdb.DuckDBPyConnection, table: str, results: list[FileResult], run_id: str
) -> None:
    con.executemany(
        "INSERT INTO audit.load_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            [
                run_id,
                table,
                r.source_file,
                r.size,
                r.mtime_ns,
                r.content_hash,
                r.encoding,
                r.file_format,
                r.status,
                r.reason,
                r.rows_read,
                r.rows_loaded,
                r.rows_quarantined,
                r.rows_replaced,
                ",".join(r.extra_columns) or None,
                r.started_at,
                r.finished_at,
            ]
            for r in results
        ],
    )
