"""Crash safety under load (the small version of bench/crash_load.py): events posted over HTTP
while the daemon is SIGKILLed twice; every event answered 202 is processed exactly once."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow


def load_bench() -> object:
    spec = importlib.util.spec_from_file_location("crash_load", REPO / "bench" / "crash_load.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_sigkills_under_load_lose_nothing_and_process_nothing_twice(tmp_path: Path) -> None:
    """3,000 events in batches of 200, two SIGKILLs and restarts: every 202 has one done inbox row
    and one sent message."""
    bench = load_bench()
    report = bench.run(events=3000, batch=200, kills=2, clients=2, workdir=tmp_path)  # type: ignore[attr-defined]
    assert report.accepted == 3000
    assert (report.inbox_rows, report.inbox_done) == (3000, 3000)
    assert (report.messages, report.messages_sent) == (3000, 3000)
    assert report.events_with_two_messages == 0 and report.accepted_not_processed == 0
    assert len(report.kill_times) == 2
    assert (
        report.delivered_lines - report.redelivered_lines == 3000
    )  # every message reached the sender
