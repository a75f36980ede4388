"""The benchmark's CPU per message (ops/probe.py CpuMeter): each process counted
for the time it spent during the measurement, whatever it calls itself meanwhile."""

from __future__ import annotations

import pytest

from ops import probe


def meter_over(monkeypatch, before: dict, after: dict) -> dict[str, float]:
    snapshots = iter([before, after])
    monkeypatch.setattr(probe, "_cpu_times", lambda: next(snapshots))
    meter = probe.CpuMeter({7: "rasa-1"})
    meter.start()
    return meter.per_message(10)


def test_a_kernel_worker_that_renames_itself_counts_only_its_time_during_the_run(monkeypatch):
    # pid: (name, session, CPU seconds so far, start time)
    before = {100: ("kworker/u8:0-events_unbound", 0, 480.0, 55), 200: ("python", 7, 10.0, 90)}
    after = {100: ("kworker/u8:0-writeback", 0, 480.02, 55), 200: ("python", 7, 10.3, 90)}
    # 0.02 s and 0.3 s over 10 messages; before, the renamed worker's 480 s came in whole.
    assert meter_over(monkeypatch, before, after) == pytest.approx({"rasa-1": 30.0, "rest of the machine": 2.0})


def test_a_new_process_on_a_reused_pid_counts_from_its_start(monkeypatch):
    before = {300: ("redis-server", 0, 50.0, 10)}
    after = {300: ("redis-server", 0, 0.05, 4000)}  # the old one ended, a new one got its pid
    assert meter_over(monkeypatch, before, after) == pytest.approx({"Redis": 5.0})
