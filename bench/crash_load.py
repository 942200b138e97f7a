#!/usr/bin/env python3
"""Crash-safety under load: events posted over HTTP in batches while the daemon is SIGKILLed
and restarted several times. Every event answered 202 must be processed exactly once (one
inbox row, done; one outbox message, sent); none lost.

    .venv/bin/python bench/crash_load.py                       # 50,000 events, 5 kills, SQLite
    .venv/bin/python bench/crash_load.py --events 5000 --kills 2 --no-write
    .venv/bin/python bench/crash_load.py --db postgresql://postgres@127.0.0.1:5432/some_empty_db

Clients behave like a seller's system: a batch whose answer was lost (connection reset by the
kill) is sent again, with the same ids, until it is answered 202. Prints a table and, unless
--no-write, writes the figures into docs/CRASH_SAFETY.md between the bench markers.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parent.parent
TOKEN = "bench-crash-token"
SETTINGS = """
state_dir = "../var"
[seller]
name = "Bench Shop"
timezone = "Asia/Shanghai"
[store]
{store}
[intake]
enabled = true
port = 0
[worker]
interval_seconds = 0.1
batch_size = 500
[dispatch]
interval_seconds = 0.1
batch_size = 500
[paths]
rules = "rules.toml"
templates = "../templates"
[log]
level = "warning"
"""


@dataclass
class Report:
    events: int
    batch: int
    clients: int
    kills: int
    database: str
    post_seconds: float = 0.0
    drain_seconds: float = 0.0
    resent_batches: int = 0
    duplicates_reported: int = 0
    accepted: int = 0
    inbox_rows: int = 0
    inbox_done: int = 0
    messages: int = 0
    messages_sent: int = 0
    events_with_two_messages: int = 0
    accepted_not_processed: int = 0
    delivered_lines: int = 0
    redelivered_lines: int = 0
    kill_times: list[float] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (
            self.accepted == self.events
            and self.inbox_rows == self.events
            and self.inbox_done == self.events
            and self.messages == self.events
            and self.messages_sent == self.events
            and self.events_with_two_messages == 0
            and self.accepted_not_processed == 0
        )


class Daemon:
    def __init__(self, root: Path, env: dict[str, str]) -> None:
        self.root = root
        self.env = env
        self.proc: subprocess.Popen[bytes] | None = None
        self.url = ""
        self.lock = threading.Lock()
        self.generation = 0

    def start(self) -> None:
        card = self.root / "var" / "daemon.json"
        with open(self.root / "daemon.log", "ab") as log:  # the child keeps its own copy
            self.proc = self._spawn(log)
        self._wait_ready(card)

    def _spawn(self, log: Any) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "autoreply",
                "--config",
                str(self.root / "config" / "autoreply.toml"),
                "run",
            ],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )

    def _wait_ready(self, card: Path) -> None:
        assert self.proc is not None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                data = json.loads(card.read_text())
                if data.get("pid") == self.proc.pid and data.get("intake"):
                    with self.lock:
                        self.url = data["intake"]
                        self.generation += 1
                    return
            except (OSError, ValueError):
                pass
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"daemon exited with {self.proc.returncode}; see {self.root / 'daemon.log'}"
                )
            time.sleep(0.05)
        self.proc.kill()  # a daemon that never became ready must not outlive the test
        self.proc.wait()
        raise RuntimeError("daemon did not start")

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> int:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(120)


def make_event(i: int) -> dict[str, Any]:
    return {
        "id": f"crash-{i:06d}",
        "kind": "welcome",
        "platform": "aliexpress",
        "marketplace": "ES",
        "occurred_at": "2026-11-22T11:59:00Z",
        "buyer": {
            "id": f"buyer-{i:06d}",
            "country": "ES",
            "timezone": "Europe/Madrid",
            "locale": "es",
        },
        "message": {"text": "Hola, ¿tienen la talla M?"},
    }


def prepare(root: Path, db_url: str | None) -> None:
    (root / "config").mkdir(parents=True)
    shutil.copy(REPO / "config" / "rules.toml", root / "config" / "rules.toml")
    shutil.copytree(REPO / "templates", root / "templates")
    store = f'url = "{db_url}"' if db_url else ""
    (root / "config" / "autoreply.toml").write_text(SETTINGS.format(store=store))


def post_all(
    daemon: Daemon,
    batches: list[list[dict[str, Any]]],
    clients: int,
    report: Report,
    accepted: set[str],
    progress: list[int],
) -> None:
    queue = list(enumerate(batches))
    qlock = threading.Lock()
    alock = threading.Lock()

    def client() -> None:
        with httpx.Client(timeout=60, headers={"Authorization": f"Bearer {TOKEN}"}) as http:
            while True:
                with qlock:
                    if not queue:
                        return
                    _, batch = queue.pop(0)
                tries = 0
                while True:
                    with daemon.lock:
                        url = daemon.url
                    try:
                        response = http.post(f"{url}/v1/events", json=batch)
                    except httpx.TransportError:
                        response = None
                    if response is not None and response.status_code == 202:
                        body = response.json()
                        with alock:
                            accepted.update(body["accepted"])
                            report.duplicates_reported += len(body["duplicates"])
                            report.resent_batches += 1 if tries else 0
                            progress[0] += len(batch)
                        break
                    if response is not None and response.status_code not in (503,):
                        raise RuntimeError(
                            f"unexpected {response.status_code}: {response.text[:300]}"
                        )
                    tries += 1
                    time.sleep(0.05)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def count(root: Path, db_url: str | None, sql: str) -> list[tuple[Any, ...]]:
    if db_url:
        import psycopg

        with psycopg.connect(db_url.replace("postgresql+psycopg://", "postgresql://")) as conn:
            return list(conn.execute(sql).fetchall())
    with sqlite3.connect(root / "var" / "autoreply.db", timeout=30) as conn:
        return list(conn.execute(sql).fetchall())


def run(
    *,
    events: int,
    batch: int,
    kills: int,
    clients: int = 2,
    db_url: str | None = None,
    workdir: Path | None = None,
) -> Report:
    """Post ``events`` in batches while killing the daemon ``kills`` times; return the figures."""
    root = Path(workdir or tempfile.mkdtemp(prefix="autoreply-crash-"))
    prepare(root, db_url)
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("AUTOREPLY_", "NOTIFY_", "WATCHDOG_"))
    }
    env.update(
        {
            "AUTOREPLY_INTAKE_TOKEN": TOKEN,
            "AUTOREPLY_CLOCK_START": "2026-11-22T12:00:00Z",
            "AUTOREPLY_LOG__FORMAT": "json",
        }
    )
    report = Report(
        events=events,
        batch=batch,
        clients=clients,
        kills=kills,
        database="postgresql" if db_url else "sqlite",
    )
    all_events = [make_event(i) for i in range(events)]
    batches = [all_events[i : i + batch] for i in range(0, events, batch)]
    accepted: set[str] = set()
    progress = [0]
    daemon = Daemon(root, env)
    daemon.start()
    started = time.monotonic()
    poster = threading.Thread(
        target=post_all, args=(daemon, batches, clients, report, accepted, progress)
    )
    poster.start()
    for k in range(1, kills + 1):  # kill at evenly spaced points of the posting
        target = events * k // (kills + 1)
        while progress[0] < target and poster.is_alive():
            time.sleep(0.01)
        daemon.kill()
        report.kill_times.append(round(time.monotonic() - started, 2))
        daemon.start()
    poster.join()
    report.post_seconds = time.monotonic() - started
    report.accepted = len(accepted)
    drain_start = time.monotonic()
    deadline = drain_start + 600
    while time.monotonic() < deadline:
        sent = count(root, db_url, "SELECT count(*) FROM outbox WHERE status = 'sent'")[0][0]
        if sent >= report.accepted:
            break
        time.sleep(0.2)
    report.drain_seconds = time.monotonic() - drain_start
    time.sleep(0.5)
    if daemon.stop() != 0:
        raise RuntimeError("the daemon did not stop cleanly")

    inbox = dict(count(root, db_url, "SELECT event_id, status FROM inbox"))
    per_event = Counter(e for (e,) in count(root, db_url, "SELECT event_id FROM outbox"))
    report.inbox_rows = len(inbox)
    report.inbox_done = sum(1 for s in inbox.values() if s == "done")
    report.messages = sum(per_event.values())
    report.messages_sent = count(root, db_url, "SELECT count(*) FROM outbox WHERE status = 'sent'")[
        0
    ][0]
    report.events_with_two_messages = sum(1 for n in per_event.values() if n > 1)
    report.accepted_not_processed = sum(
        1 for e in accepted if inbox.get(e) != "done" or per_event[e] != 1
    )
    lines = [
        json.loads(x) for x in (root / "var" / "outbox.jsonl").read_text().splitlines() if x.strip()
    ]
    keys = Counter(line["idempotency_key"] for line in lines)
    report.delivered_lines = len(lines)
    report.redelivered_lines = sum(n - 1 for n in keys.values())
    if workdir is None:
        shutil.rmtree(root, ignore_errors=True)
    return report


def table(r: Report) -> str:
    rows = [
        ("database", r.database),
        ("events posted", f"{r.events:,}"),
        ("batch size / clients", f"{r.batch} / {r.clients}"),
        ("SIGKILLs (s after start)", f"{r.kills} {r.kill_times}"),
        ("answered 202", f"{r.accepted:,}"),
        ("batches re-sent after a kill", r.resent_batches),
        ("ids reported as duplicates on re-send", r.duplicates_reported),
        ("inbox rows / done", f"{r.inbox_rows:,} / {r.inbox_done:,}"),
        ("outbox messages / sent", f"{r.messages:,} / {r.messages_sent:,}"),
        ("events with more than one message", r.events_with_two_messages),
        ("accepted but not processed exactly once", r.accepted_not_processed),
        ("log-sender lines / re-deliveries", f"{r.delivered_lines:,} / {r.redelivered_lines}"),
        ("posting time (s), with restarts", f"{r.post_seconds:.1f}"),
        ("accepted events/s while posting", f"{r.accepted / r.post_seconds:,.0f}"),
        ("drain after last 202 (s)", f"{r.drain_seconds:.1f}"),
        ("verdict", "OK: every 202 processed exactly once, none lost" if r.ok else "FAILED"),
    ]
    width = max(len(k) for k, _ in rows)
    return "\n".join(
        f"| {k:<{width}} | {v} |" for k, v in [("figure", "value"), ("-" * width, "---"), *rows]
    )


def write_doc(text: str, command: str, database: str) -> None:
    doc = REPO / "docs" / "CRASH_SAFETY.md"
    start, end = f"<!-- bench:crash_load:{database} -->", f"<!-- /bench:crash_load:{database} -->"
    current = doc.read_text()
    head, _, rest = current.partition(start)
    _, _, tail = rest.partition(end)
    block = f"{start}\n`{command}` on {os.cpu_count()} cores:\n\n{text}\n{end}"
    doc.write_text(head + block + tail)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--kills", type=int, default=5)
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument(
        "--db", default=None, help="an empty PostgreSQL database URL (default: SQLite)"
    )
    parser.add_argument(
        "--no-write", action="store_true", help="do not update docs/CRASH_SAFETY.md"
    )
    args = parser.parse_args()
    report = run(
        events=args.events, batch=args.batch, kills=args.kills, clients=args.clients, db_url=args.db
    )
    text = table(report)
    print(text)
    if not args.no_write:
        write_doc(text, " ".join(["python bench/crash_load.py", *sys.argv[1:]]), report.database)
    raise SystemExit(0 if report.ok else 1)


if __name__ == "__main__":
    main()
