"""The ingestion assets and the landing sensor, materialised by real Dagster."""

from __future__ import annotations

import os

import dagster as dg

from pipelines.ingest.assets import NO_REJECTED_FILES, QUARANTINE_RATE, ingest_landing, raw_key
from pipelines.sensors import landing_changes
from tests.integration.test_ingest import deliver

HALLS = "hall_id,hall_name,district,hall_type\n"


def _checks(result: dg.ExecuteInProcessResult) -> dict[tuple[str, str], bool]:
    return {
        (e.asset_key.path[-1], e.check_name): e.passed for e in result.get_asset_check_evaluations()
    }


def test_assets_materialise_with_metadata_and_passing_checks(data_dir):
    deliver(data_dir, "halls", "h.csv", HALLS + "H1,a,b,standard\n")
    result = dg.materialize([ingest_landing], selection=[raw_key("halls")])
    assert result.success
    [materialization] = result.asset_materializations_for_node("ingest_landing")
    assert materialization.asset_key == raw_key("halls")
    assert materialization.metadata["rows_loaded"].value == 1
    assert materialization.metadata["rows_quarantined"].value == 0
    assert _checks(result) == {("halls", NO_REJECTED_FILES): True, ("halls", QUARANTINE_RATE): True}


def test_a_rejected_file_fails_the_run_until_it_is_corrected(data_dir, monkeypatch):
    monkeypatch.setenv("MANYI_MAX_QUARANTINE_RATE", "1")
    deliver(data_dir, "halls", "bad.csv", "hall_id,hall_name\nH1,a\n")
    first = dg.materialize([ingest_landing], selection=[raw_key("halls")], raise_on_error=False)
    assert not first.success
    assert _checks(first)[("halls", NO_REJECTED_FILES)] is False
    second = dg.materialize([ingest_landing], selection=[raw_key("halls")], raise_on_error=False)
    assert not second.success, "an uncorrected rejected file keeps failing"
    path = deliver(data_dir, "halls", "bad.csv", HALLS + "H1,a,b,standard\n")
    os.utime(path, ns=(0, 10**18))
    third = dg.materialize([ingest_landing], selection=[raw_key("halls")])
    assert third.success
    assert _checks(third)[("halls", NO_REJECTED_FILES)] is True


def test_quarantine_rate_above_the_bound_fails_the_check(data_dir, monkeypatch):
    monkeypatch.setenv("MANYI_MAX_QUARANTINE_RATE", "0.4")
    deliver(data_dir, "halls", "h.csv", HALLS + "H1,a,b,standard\nH2,a,b,nope\n")
    result = dg.materialize([ingest_landing], selection=[raw_key("halls")], raise_on_error=False)
    assert _checks(result)[("halls", QUARANTINE_RATE)] is False


def test_sensor_notices_new_and_corrected_files_but_not_touched_ones(data_dir):
    path = deliver(data_dir, "halls", "h.csv", HALLS + "H1,a,b,standard\n")
    changed, cursor = landing_changes({})
    assert changed == ["halls/h.csv"]
    assert landing_changes(cursor)[0] == []
    os.utime(path, ns=(0, 10**18))
    changed, cursor = landing_changes(cursor)
    assert changed == [], "same content, new mtime: not a new delivery"
    deliver(data_dir, "halls", "h.csv", HALLS + "H1,b,b,standard\n")
    os.utime(path, ns=(0, 2 * 10**18))
    assert landing_changes(cursor)[0] == ["halls/h.csv"]


def test_sensor_requests_one_run_per_set_of_changes(data_dir):
    from pipelines.definitions import defs

    sensor = defs.resolve_sensor_def("landing_files_sensor")
    deliver(data_dir, "halls", "h.csv", HALLS + "H1,a,b,standard\n")
    with dg.instance_for_test() as instance:
        context = dg.build_sensor_context(instance=instance)
        first = sensor.evaluate_tick(context)
        assert len(first.run_requests) == 1
        again = sensor.evaluate_tick(
            dg.build_sensor_context(instance=instance, cursor=first.cursor)
        )
        assert again.run_requests == []
