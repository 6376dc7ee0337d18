"""The Dagster code location: everything is gathered here."""

from __future__ import annotations

import dagster as dg

from pipelines.contract import TABLES
from pipelines.ingest.assets import ingest_landing, raw_key
from pipelines.publish import serving_asset
from pipelines.reports.definitions import defs as report_defs
from pipelines.resources import resources
from pipelines.sensors import build_schedule, build_sensor
from pipelines.transform.assets import manyi_dbt_assets

# The serving copy waits for every model, so readers never see a half-built set of marts.
serving_snapshot = serving_asset(
    deps=[raw_key(t.name) for t in TABLES] + list(manyi_dbt_assets.keys)
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
