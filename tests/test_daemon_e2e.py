"""End to end: `autoreply run` as a subprocess, events submitted with `autoreply submit`."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, NOTICES, ConfigDir, event_data, write
from tests.harness import wait_for

pytestmark = pytest.mark.slow
CLI = [sys.executable, "-m", "autoreply"]


class Daemon:
    def __init__(self, cfg: ConfigDir, env: dict[str, str]) -> None:
        self.cfg = cfg
        self.env = env
        self.proc: subprocess.Popen[str] | None = None
        self.log = cfg.root / "daemon.log"

    def start(self) -> None:
        self.proc = subprocess.Popen([*CLI, "--config", str(self.cfg.settings_file), "run"],
                                     env=self.env, stdout=subprocess.DEVNULL,
                                     stderr=open(self.log, "a"), text=True)  # noqa: SIM115
        wait_for(lambda: '"event": "ready"' in self.log.read_text(), what="daemon ready", proc=self.proc)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 60) -> int:
        assert self.proc is not None
        self.proc.send_signal(sig)
        return self.proc.wait(timeout)


def cli(cfg: ConfigDir, env: dict[str, str], *args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, "--config", str(cfg.settings_file), *args], env=env, input=input,
                          capture_output=True, text=True, timeout=60)


def sent_lines(cfg: ConfigDir) -> list[dict]:
    path = cfg.root / "var" / "outbox.jsonl"
    if not path.exists():
        return []
    # only complete lines: the daemon may be half-way through appending one
    return [json.loads(line) for line in path.read_text().split("\n")[:-1] if line.strip()]


@pytest.fixture
def setup(cfgdir: ConfigDir) -> Iterator[tuple[ConfigDir, dict[str, str], Daemon]]:
    cfgdir.copy_shipped()
    cfgdir.write_settings('\n[worker]\ninterval_seconds = 0.2\n[dispatch]\ninterval_seconds = 0.2\n')
    env = {**os.environ, "AUTOREPLY_CLOCK_START": "2026-11-22T12:00:00Z", "AUTOREPLY_LOG__FORMAT": "json"}
    env.pop("AUTOREPLY_CONFIG", None)
    daemon = Daemon(cfgdir, env)
    yield cfgdir, env, daemon
    if daemon.proc and daemon.proc.poll() is None:
        daemon.proc.kill()
        daemon.proc.wait()


@pytest.mark.parametrize("clock_start", ["2026-11-22T12:00:00Z", "2026-11-22T03:00:00Z", None],
                         ids=["noon-utc", "night-utc", "real-clock"])
def test_each_submitted_event_goes_out_once(setup: tuple[ConfigDir, dict[str, str], Daemon],
                                            clock_start: str | None) -> None:
    """Examples submitted to a running daemon each produce one message within seconds, at any
    hour (they answer the buyer's own message); resubmitting adds none."""
    cfg, env, daemon = setup
    if clock_start is None:
        env.pop("AUTOREPLY_CLOCK_START", None)
    else:
        env["AUTOREPLY_CLOCK_START"] = clock_start
    daemon.start()
    examples = sorted(str(p) for p in EXAMPLES.glob("*.json"))
    result = cli(cfg, env, "submit", *examples)
    assert result.returncode == 0, result.stderr
    wait_for(lambda: len(sent_lines(cfg)) == len(examples), what="one message per example")
    assert cli(cfg, env, "submit", *examples).returncode == 0
    time.sleep(1.5)
    lines = sent_lines(cfg)
    assert sorted(line["event_id"] for line in lines) == sorted(
        json.loads(Path(p).read_text())["id"] for p in examples)
    listed = json.loads(cli(cfg, env, "queue", "list", "--json").stdout)
    assert {row["status"] for row in listed} == {"sent"} and len(listed) == len(examples)
    status = json.loads(cli(cfg, env, "status", "--json").stdout)
    assert status["outbox"] == {"sent": len(examples)}
    assert daemon.stop() == 0


def test_notices_wait_for_the_buyers_daytime(setup: tuple[ConfigDir, dict[str, str], Daemon]) -> None:
    """At 03:00 UTC the proactive notices stay scheduled for 09:00 on each buyer's clock."""
    cfg, env, daemon = setup
    env["AUTOREPLY_CLOCK_START"] = "2026-11-22T03:00:00Z"
    daemon.start()
    notices = sorted(str(p) for p in NOTICES.glob("*.json"))
    assert cli(cfg, env, "submit", *notices).returncode == 0
    wait_for(lambda: len(json.loads(cli(cfg, env, "queue", "list", "--json").stdout)) == 3,
             what="three notices decided")
    listed = json.loads(cli(cfg, env, "queue", "list", "--json").stdout)
    by_event = {row["event_id"]: (row["status"], row["send_at"]) for row in listed}
    assert by_event["evt-2026-0004"] == ("scheduled", "2026-11-22T08:00:00Z")   # 09:00 Paris
    assert by_event["evt-2026-0005"] == ("scheduled", "2026-11-22T08:00:00Z")   # 09:00 Berlin
    assert by_event["evt-2026-0006"][1].startswith("2026-11-22T03:00:")  # 11:00 Shanghai: now
    assert daemon.stop() == 0


def test_sigterm_mid_way_loses_nothing(setup: tuple[ConfigDir, dict[str, str], Daemon]) -> None:
    """A daemon stopped with SIGTERM while working, then started again, handles every event once."""
    cfg, env, daemon = setup
    daemon.start()
    events = [event_data(id=f"bulk-{i:04d}", buyer={"id": f"b{i}", "locale": "es"}) for i in range(1500)]
    path = write(cfg.root / "bulk.jsonl", "\n".join(json.dumps(e) for e in events) + "\n")
    assert cli(cfg, env, "submit", str(path)).returncode == 0
    wait_for(lambda: len(sent_lines(cfg)) > 0, what="the first messages")
    assert daemon.stop(signal.SIGTERM) == 0
    partial = len(sent_lines(cfg))
    daemon.start()
    wait_for(lambda: len(sent_lines(cfg)) >= len(events), what="all messages after restart", timeout=300)
    time.sleep(1)
    ids = [line["event_id"] for line in sent_lines(cfg)]
    assert sorted(ids) == sorted(e["id"] for e in events), f"{partial} before the stop"
    assert daemon.stop() == 0


def test_a_broken_config_stops_the_daemon_from_starting(setup: tuple[ConfigDir, dict[str, str], Daemon]) -> None:
    """`run` with a rule naming a missing template exits 1 with file:line, before doing anything."""
    cfg, env, _ = setup
    cfg.rules_file.write_text(cfg.rules_file.read_text().replace('template = "welcome"', 'template = "welcom"'))
    result = subprocess.run([*CLI, "--config", str(cfg.settings_file), "run"], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert f"error: {cfg.rules_file}:" in result.stderr and "undefined template 'welcom'" in result.stderr
