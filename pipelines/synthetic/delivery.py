"""Writing delivery files (CSV, CSV with BOM, GBK CSV, gzip CSV, Parquet) and the manifest.

Columns come from the contract, in its order; a batch with any other set of columns is a bug
and stops the run. CSV is RFC 4180 as pyarrow writes it: every text field quoted, quotes
doubled, line breaks kept inside quotes; NULL is an empty, unquoted field.
"""

from __future__ import annotations

import gzip
import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from pipelines.contract import TABLE_BY_NAME, Table
from pipelines.synthetic.dirty import FilePlan, Injector
from pipelines.synthetic.values import Batch

MANIFEST = "_manifest.json"
BOM = b"\xef\xbb\xbf"


def contract_table(table: Table, batch: Batch) -> pa.Table:
    names = [c.name for c in table.columns]
    if set(batch) != set(names):
        raise ValueError(f"{table.name}: generated {sorted(batch)}, contract has {sorted(names)}")
    return pa.table({n: pa.array(batch[n], type=pa.string()) for n in names})


class _Sink:
    """One open delivery file; CSV chunks are appended, the header written once."""

    def __init__(self, path: Path, plan: FilePlan) -> None:
        self.plan = plan
        self.encoding = plan.encoding
        self._parquet: pq.ParquetWriter | None = None
        self._raw: IO[bytes] | None = None
        self.path = path
        self._header_done = False
        if plan.fmt != "parquet":
            self._raw = gzip.open(path, "wb", 6) if plan.fmt == "csv.gz" else open(path, "wb")  # noqa: SIM115
            if plan.encoding == "utf-8-sig":
                self._raw.write(BOM)

    def write(self, chunk: pa.Table) -> None:
        if self.plan.fmt == "parquet":
            if self._parquet is None:
                self._parquet = pq.ParquetWriter(self.path, chunk.schema)
            self._parquet.write_table(chunk)
            return
        buf = pa.BufferOutputStream()
        pacsv.write_csv(chunk, buf, pacsv.WriteOptions(include_header=not self._header_done))
        self._header_done = True
        data = buf.getvalue()
        assert self._raw is not None
        if self.encoding in ("gbk", "gb18030"):
            self._raw.write(self._transcode(data.to_pybytes().decode("utf-8")))
        else:
            self._raw.write(data)

    def _transcode(self, chunk: str) -> bytes:
        # GB18030 is GBK's superset with identical bytes for GBK's characters, so a file
        # switches to it (and says so in the manifest) only if a character needs it (emoji).
        if self.encoding == "gbk":
            try:
                return chunk.encode("gbk")
            except UnicodeEncodeError:
                self.encoding = "gb18030"
        return chunk.encode("gb18030")

    def close(self, schema: pa.Schema) -> None:
        if not self._header_done and self._parquet is None:
            self.write(schema.empty_table())
        if self._parquet is not None:
            self._parquet.close()
        if self._raw is not None:
            self._raw.close()


class Deliveries:
    """Writes the files of one run and keeps the manifest entry of each."""

    def __init__(self, out: Path, injector: Injector, meta: dict[str, Any]) -> None:
        self.out = out
        self.injector = injector
        self.meta = meta
        self.files: dict[str, dict[str, Any]] = {}
        self.late_arrivals: list[dict[str, Any]] = []
        _remove_previous(out)

    def write(self, table_name: str, stem: str, batches: Batch | Iterable[Batch]) -> int:
        """Write one delivery; returns the rows written. A single Batch is a whole file."""
        table = TABLE_BY_NAME[table_name]
        single = isinstance(batches, dict)
        chunks = [batches] if single else batches
        rows_hint = len(next(iter(batches.values()))) if single else None
        plan = self.injector.plan(table, stem, rows_hint)
        folder = self.out / table.name
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{stem}.{plan.fmt}"
        sink = _Sink(path, plan)
        rows = 0
        reasons: Counter[str] = Counter()
        defects = []
        schema = None
        for part, batch in enumerate(chunks):
            chunk = contract_table(table, batch)
            if plan.drop_column:
                chunk = chunk.drop_columns([plan.drop_column])
            else:
                chunk, found = self.injector.damage(table, chunk, stem, part)
                for d in found:
                    reasons[d.reason] += 1
                    defects.append(
                        {"record": rows + d.row + 1, "reason": d.reason, "column": d.column}
                        | ({"rule": d.rule} if d.rule else {})
                    )
            schema = chunk.schema
            sink.write(chunk)
            rows += chunk.num_rows
        assert schema is not None, f"{stem}: no batch to write"
        sink.close(schema)
        quarantined = 0 if plan.drop_column else sum(reasons.values())
        self.files[f"{table.name}/{path.name}"] = {
            "table": table.name,
            "format": plan.fmt,
            "encoding": sink.encoding,
            "rows": rows,
            "expected_rejected": "missing_column" if plan.drop_column else None,
            "missing_column": plan.drop_column,
            "expected_loaded": 0 if plan.drop_column else rows - quarantined,
            "expected_quarantined": dict(sorted(reasons.items())),
            "defects": defects,
        }
        return rows

    def write_manifest(self) -> Path:
        totals: dict[str, dict[str, Any]] = {}
        for entry in self.files.values():
            t = totals.setdefault(
                entry["table"],
                {"files": 0, "rows": 0, "expected_loaded": 0, "expected_quarantined": Counter()},
            )
            t["files"] += 1
            t["rows"] += entry["rows"]
            t["expected_loaded"] += entry["expected_loaded"]
            t["expected_quarantined"].update(entry["expected_quarantined"])
        manifest = {
            "generator": self.meta,
            "late_arrivals": self.late_arrivals,
            "totals": {
                k: v | {"expected_quarantined": dict(v["expected_quarantined"])}
                for k, v in sorted(totals.items())
            },
            "files": self.files,
        }
        path = self.out / MANIFEST
        path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        return path


def _remove_previous(out: Path) -> None:
    """Delete the files an earlier run listed in its manifest — and nothing else in landing."""
    manifest = out / MANIFEST
    if not manifest.exists():
        return
    root = out.resolve()
    for name in json.loads(manifest.read_text(encoding="utf-8")).get("files", {}):
        path = (out / name).resolve()
        if root in path.parents:
            path.unlink(missing_ok=True)
    manifest.unlink()
