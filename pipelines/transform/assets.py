"""The dbt models, seeds and tests as Dagster assets and asset checks."""

# No `from __future__ import annotations`: Dagster reads the `context` annotation as a type.
import json
import shutil
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

import dagster as dg
import duckdb
from dagster import AssetExecutionContext
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from pipelines import settings, spark_export
from pipelines.ingest.load import connect_warehouse
from pipelines.resources import DUCKDB_POOL
from pipelines.transform.artifacts import prune_run_folders
from pipelines.transform.environment import apply_dbt_env
from pipelines.transform.project import dbt_project


class ManyiTranslator(DagsterDbtTranslator):
    """dbt sources are the ingestion assets ``raw/<table>``; models and seeds are keyed
    ``<schema>/<name>`` and grouped by their folder (``staging_reference``, ``marts_kpi``)."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return dg.AssetKey(["raw", dbt_resource_props["name"]])
        return dg.AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        folders = dbt_resource_props["fqn"][1:-1]
        return "_".join(folders) if folders else dbt_resource_props["resource_type"] + "s"


def build_args(as_of: datetime | None) -> list[str]:
    """Arguments of the ``dbt build`` run: the as_of var only when MANYI_AS_OF is set,
    else the models use the data watermark. Unit tests check the models' code on fixed
    inputs, so a build of the day's data learns nothing from them (dbt's advice: not in
    production); the test suite runs them, on DuckDB and on Spark."""
    args = ["build", "--exclude-resource-type", "unit_test"]
    if as_of is not None:
        args += ["--vars", json.dumps({"as_of": as_of.strftime("%Y-%m-%d %H:%M:%S")})]
    return args


def export_for_spark() -> None:
    """Before a Spark build: the raw layer exported to Parquet, and an empty warehouse
    folder, as the local Spark session keeps no catalogue between runs (every run
    builds every table anew)."""
    with duckdb.connect(str(settings.paths().warehouse), read_only=True) as con:
        spark_export.export_raw(con, spark_export.raw_dir())
    shutil.rmtree(spark_export.warehouse_dir(), ignore_errors=True)


def load_from_spark() -> None:
    """After a Spark build: its tables into the DuckDB warehouse, for the serving copy."""
    con = connect_warehouse()
    try:
        spark_export.load_built_tables(con, spark_export.warehouse_dir())
    finally:
        con.close()


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=ManyiTranslator(),
    pool=DUCKDB_POOL,
)
def manyi_dbt_assets(context: AssetExecutionContext, dbt: DbtCliResource) -> Iterator[Any]:
    apply_dbt_env()
    on_spark = settings.dbt_target() == "spark"
    if on_spark:
        export_for_spark()
    yield from dbt.cli(build_args(settings.as_of_override()), context=context).stream()
    if on_spark:
        load_from_spark()
    removed = prune_run_folders()
    if removed:
        context.log.info(f"removed {len(removed)} older dbt run folder(s) from dbt_project/target")
