"""The Dagster code location: everything is gathered here."""

import dagster as dg

from pipelines import settings
from pipelines.contract import TABLES
from pipelines.ingest.assets import ingest_landing, raw_key
from pipelines.ingest.load import connect_warehouse
from pipelines.publish import publish
from pipelines.reports.definitions import defs as report_defs
from pipelines.resources import DUCKDB_POOL, resources
from pipelines.sensors import build_schedule, build_sensor
from pipelines.transform.assets import manyi_dbt_assets


# The serving copy waits for every model, so readers never see a half-built set of marts.
@dg.asset(
    key=dg.AssetKey(["serving", "snapshot"]),
    deps=[raw_key(t.name) for t in TABLES] + list(manyi_dbt_assets.keys),
    group_name="serving",
    kinds={"duckdb"},
    pool=DUCKDB_POOL,
    description="serving.duckdb: audit and marts, swapped atomically for readers.",
)
def serving_snapshot(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    con = connect_warehouse()
    try:
        counts = publish(con, context.run_id)
    finally:
        con.close()
    return dg.MaterializeResult(
        metadata={
            "tables": dg.MetadataValue.int(len(counts)),
            "rows": dg.MetadataValue.json(counts),
            "path": dg.MetadataValue.path(str(settings.paths().serving)),
        }
    )


build_all = dg.define_asset_job(
    "build_all",
    selection=dg.AssetSelection.all(),
    description="Ingest new deliveries, rebuild the models and publish the serving copy.",
)

defs = dg.Definitions.merge(
    dg.Definitions(
        assets=[ingest_landing, manyi_dbt_assets, serving_snapshot],
        jobs=[build_all],
        sensors=[build_sensor(build_all)],
        schedules=[build_schedule(build_all)],
        resources=resources(),
    ),
    report_defs,
)
