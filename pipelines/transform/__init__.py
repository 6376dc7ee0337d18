"""dbt wiring: the dbt project as Dagster assets (project, assets, manifest preparation)."""
