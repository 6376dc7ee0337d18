"""Dagster assets ``raw/<table>``: one per contract table, all loaded by one step.

One step for every table keeps a run atomic: the whole ingestion is one DuckDB
transaction, so a failure anywhere leaves the warehouse exactly as it was.
"""

import dagster as dg

from pipelines import settings
from pipelines.contract import TABLES
from pipelines.ingest.load import TableResult, ingest
from pipelines.resources import DUCKDB_POOL

NO_REJECTED_FILES = "no_rejected_files"
QUARANTINE_RATE = "quarantine_rate_within_bound"


def raw_key(table: str) -> dg.AssetKey:
    return dg.AssetKey(["raw", table])


def _metadata(result: TableResult) -> dict[str, dg.MetadataValue]:
    return {
        "files_loaded": dg.MetadataValue.int(len(result.files)),
        "files_unchanged": dg.MetadataValue.int(result.unchanged),
        "files_rejected": dg.MetadataValue.int(len(result.outstanding_rejections)),
        "rows_read": dg.MetadataValue.int(result.total("rows_read")),
        "rows_loaded": dg.MetadataValue.int(result.total("rows_loaded")),
        "rows_quarantined": dg.MetadataValue.int(result.total("rows_quarantined")),
        "rows_replaced": dg.MetadataValue.int(result.total("rows_replaced")),
        "quarantine_rate": dg.MetadataValue.float(result.quarantine_rate),
        "load_log": dg.MetadataValue.md(_load_log_table(result)),
    }


def _load_log_table(result: TableResult) -> str:
    if not result.files:
        return "No new or changed deliveries."
    head = (
        "| file | encoding | status | read | loaded | quarantined | replaced |\n"
        "|---|---|---|---|---|---|---|"
    )
    rows = [
        f"| {f.source_file} | {f.encoding} | {f.status}{f' ({f.reason})' if f.reason else ''} "
        f"| {f.rows_read} | {f.rows_loaded} | {f.rows_quarantined} | {f.rows_replaced} |"
        for f in result.files[:50]
    ]
    more = [f"\n… and {len(result.files) - 50} more files"] if len(result.files) > 50 else []
    return "\n".join([head, *rows, *more])


def _rejection_text(rejected: list[tuple[str, str]]) -> str:
    if not rejected:
        return "No delivery in landing is rejected."
    listed = "; ".join(f"{name} ({reason})" for name, reason in rejected[:20])
    return f"{len(rejected)} delivery(ies) rejected whole, until corrected or withdrawn: {listed}"


def _checks(result: TableResult, bound: float) -> list[dg.AssetCheckResult]:
    key = raw_key(result.table)
    rejected = result.outstanding_rejections
    return [
        dg.AssetCheckResult(
            asset_key=key,
            check_name=NO_REJECTED_FILES,
            passed=not rejected,
            description=_rejection_text(rejected),
            metadata={"rejected_files": dg.MetadataValue.int(len(rejected))},
        ),
        dg.AssetCheckResult(
            asset_key=key,
            check_name=QUARANTINE_RATE,
            passed=result.quarantine_rate <= bound,
            description=f"{result.total('rows_quarantined'):,} of {result.total('rows_read'):,} "
            f"rows read this run quarantined ({result.quarantine_rate:.2%}; bound {bound:.2%})",
            metadata={"quarantine_rate": result.quarantine_rate, "bound": bound},
        ),
    ]


@dg.multi_asset(
    name="ingest_landing",
    specs=[
        dg.AssetSpec(
            raw_key(t.name),
            group_name="raw",
            description=f"{t.description}. Loaded from landing/{t.name}/ (data contract).",
            kinds={"duckdb"},
            skippable=True,
        )
        for t in TABLES
    ],
    check_specs=[
        spec
        for t in TABLES
        for spec in (
            dg.AssetCheckSpec(
                NO_REJECTED_FILES,
                asset=raw_key(t.name),
                blocking=True,
                description="No delivery in landing is rejected whole (missing column, "
                "unreadable) — a rejected file fails this check until corrected or withdrawn.",
            ),
            dg.AssetCheckSpec(
                QUARANTINE_RATE,
                asset=raw_key(t.name),
                blocking=True,
                description="Quarantined rows of this run stay within MANYI_MAX_QUARANTINE_RATE.",
            ),
        )
    ],
    can_subset=True,
    pool=DUCKDB_POOL,
)
def ingest_landing(context: dg.AssetExecutionContext):
    """Load new and changed landing files into raw.*, quarantining what breaks the contract."""
    tables = [key.path[-1] for key in context.selected_asset_keys]
    results = ingest(tables, run_id=context.run_id, progress=context.log.info)
    bound = settings.quarantine_rate_bound()
    for table, result in results.items():
        yield dg.MaterializeResult(asset_key=raw_key(table), metadata=_metadata(result))
        for check in _checks(result, bound):
            if (
                dg.AssetCheckKey(check.asset_key, check.check_name)
                in context.selected_asset_check_keys
            ):
                yield check
