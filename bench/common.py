"""Shared helpers for the bench scripts: a throwaway workspace (shipped rules and templates,
state in a temp dir), a throwaway PostgreSQL database, synthetic messages, tables, and the
writer that keeps each bench's section of docs/BENCHMARKS.md up to date.

Benches are plain scripts (``python bench/pipeline.py [--quick]``); nothing here is imported
by the product. Figures are measured, never asserted.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import uuid
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DOC = REPO / "docs" / "BENCHMARKS.md"
SECTIONS = ("pipeline", "intake", "dispatch", "memory", "memory_breakdown", "naive", "simulate")
PG_ADMIN = os.environ.get("AUTOREPLY_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


# --------------------------------------------------------------------------- arguments
def parser(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--quick", action="store_true", help="smaller sizes (a smoke run, ~1 min)")
    p.add_argument("--no-write", action="store_true", help="print only; leave docs/BENCHMARKS.md alone")
    p.add_argument("--pg", default=PG_ADMIN,
                   help="PostgreSQL admin URL for a throwaway database, or 'skip' "
                        "[env AUTOREPLY_BENCH_PG]")
    return p


def command_line() -> str:
    script = Path(sys.argv[0]).resolve()
    with contextlib.suppress(ValueError):
        script = script.relative_to(REPO)
    return " ".join(["python", str(script), *sys.argv[1:]])


# --------------------------------------------------------------------------- the machine
def machine() -> str:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = ""
    with contextlib.suppress(OSError, IndexError, ValueError):
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB RAM"
    import sqlite3

    return (f"{os.cpu_count()} × {cpu}{mem}; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}; SQLite {sqlite3.sqlite_version}")


def revision() -> str:
    try:
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                             text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO,
                               capture_output=True, text=True, check=True).stdout.strip()
        return rev + (" (with local changes)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def pin_to_one_core() -> str:
    """Run this process on one CPU (the daemon's share of a 2-core machine)."""
    try:
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    except (AttributeError, OSError):
        return "not pinned"


# --------------------------------------------------------------------------- output
def fmt(value: Any, digits: int = 0) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """Print an aligned text table; return it as a Markdown table."""
    cells = [[str(c) for c in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h)
              for i, h in enumerate(headers)]
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for row in cells:
        print("  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                        for i, (c, w) in enumerate(zip(row, widths, strict=True))))
    md = ["| " + " | ".join(headers) + " |",
          "|" + "|".join("---" if i == 0 else "---:" for i in range(len(headers))) + "|"]
    md += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in cells]
    return "\n".join(md)


HEADER = """# Benchmarks

Measured by the scripts in `bench/` — plain Python, one command each; every script prints its
table and rewrites its own section below (machine, date, revision and the exact command).
Run them all with `make bench` (or `python bench/run_all.py`; `--quick` for a smoke run).
Comparisons are ratios measured in the same run. Targets are for a 2-core machine with one
core for the daemon; ✅ met, ❌ not met, ⏳ cannot be measured until the named issue is merged.
Profiles and the proposals they led to: [PERFORMANCE_NOTES.md](PERFORMANCE_NOTES.md).
"""


def write_section(name: str, title: str, body: str, *, enabled: bool = True) -> None:
    """Replace this bench's section of docs/BENCHMARKS.md (sections kept in a fixed order)."""
    if not enabled:
        return
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else HEADER
    found = dict(re.findall(r"<!-- bench:(\w+) -->\n(.*?)<!-- /bench:\1 -->\n", text, flags=re.S))
    found[name] = (f"## {title}\n\n_{datetime.now(UTC):%Y-%m-%d %H:%M} UTC · {machine()} · "
                   f"revision {revision()}_\n\n`{command_line()}`\n\n{body.strip()}\n\n")
    head = text.split("<!-- bench:", 1)[0].rstrip() + "\n\n"
    ordered = [n for n in SECTIONS if n in found] + sorted(set(found) - set(SECTIONS))
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(head + "".join(f"<!-- bench:{n} -->\n{found[n]}<!-- /bench:{n} -->\n"
                                  for n in ordered), encoding="utf-8")
    print(f"\nwrote the '{name}' section of {DOC.relative_to(REPO)}")


def verdict(ok: bool | None, waiting_for: str | None = None) -> str:
    if ok is None:
        return f"⏳ {waiting_for}" if waiting_for else "n/a"
    return "✅" if ok else "❌"


def percentile(values: Sequence[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


# --------------------------------------------------------------------------- workspace
@dataclasses.dataclass
class Workspace:
    root: Path
    settings_file: Path

    def settings(self) -> Any:
        from autoreply.settings import load_settings

        return load_settings(self.settings_file)


@contextlib.contextmanager
def workspace(*, database_url: str | None = None, extra: str = "",
              keep: bool = False) -> Iterator[Workspace]:
    """A temp dir holding the shipped rules and templates and settings of our own."""
    root = Path(tempfile.mkdtemp(prefix="autoreply-bench-", dir=os.environ.get("AUTOREPLY_BENCH_TMP")))
    try:
        (root / "config").mkdir()
        shutil.copy(REPO / "config" / "rules.toml", root / "config" / "rules.toml")
        shutil.copytree(REPO / "templates", root / "templates")
        settings = textwrap.dedent(f"""
            state_dir = "../var"
            [store]
            {f'url = "{database_url}"' if database_url else ''}
            [seller]
            name = "Bench Shop"
            timezone = "Asia/Shanghai"
            [paths]
            rules = "rules.toml"
            templates = "../templates"
        """) + textwrap.dedent(extra)
        settings_file = root / "config" / "autoreply.toml"
        settings_file.write_text(settings, encoding="utf-8")
        yield Workspace(root, settings_file)
    finally:
        if not keep:
            shutil.rmtree(root, ignore_errors=True)


@contextlib.contextmanager
def pg_database(admin_url: str) -> Iterator[str | None]:
    """A PostgreSQL database created for this run and dropped after it (None if unreachable)."""
    if admin_url == "skip":
        yield None
        return
    import psycopg

    admin = admin_url.replace("postgresql+psycopg://", "postgresql://")
    try:
        conn = psycopg.connect(admin, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        print(f"PostgreSQL not reachable at {admin}: {exc}", file=sys.stderr)
        yield None
        return
    name = f"autoreply_bench_{uuid.uuid4().hex[:10]}"
    with conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def quiet_logs(level: str = "info") -> None:
    """Logs as the daemon writes them (JSON at ``level``), into /dev/null: their cost counts."""
    from autoreply.logs import configure

    configure(level, "json", stream=open(os.devnull, "w"))  # noqa: SIM115


def rss_mib(pid: int) -> tuple[float | None, float | None]:
    """(current RSS, peak RSS) of a process in MiB, from /proc (Linux)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None, None
    def field(name: str) -> float | None:
        m = re.search(rf"^{name}:\s+(\d+) kB", status, flags=re.M)
        return int(m.group(1)) / 1024 if m else None
    return field("VmRSS"), field("VmHWM")


# --------------------------------------------------------------------------- data
def synthetic_events(count: int, seed: int = 1) -> list[tuple[str, str, str, str]]:
    """``(id, kind, platform, payload)`` rows for ``Store.add_events``."""
    import json

    from autoreply.synth import generate

    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    return [(e["id"], e["kind"], e["platform"], dumps(e)) for e in generate(count, seed)]


def message_templates(settings: Any, count: int = 300) -> list[Any]:
    """Real outbox rows (``NewMessage``) from the pipeline on synthetic events, to copy from."""
    from autoreply.config import load_config
    from autoreply.events import Event
    from autoreply.pipeline import Engine
    from autoreply.worker import messages_of

    engine = Engine(load_config(settings))
    out = []
    for _id, _kind, _platform, payload in synthetic_events(count, seed=99):
        event = Event.model_validate_json(payload)
        out.extend(m for m in messages_of(engine.decide(event, event.occurred_at))
                   if m.status == "scheduled")
    return out


def make_messages(samples: list[Any], count: int, send_at: Any, prefix: str,
                  rule: str | None = None) -> Iterator[Any]:
    """``count`` outbox rows copied from ``samples``, each with its own idempotency key and
    ``send_at(i)`` as due time; dedupe and thread keys dropped (every row must be scheduled:
    copies of one sample share its thread, and would supersede each other)."""
    for i in range(count):
        base = samples[i % len(samples)]
        yield dataclasses.replace(base, idempotency_key=f"{prefix}-{i}", event_id=f"{prefix}-{i}",
                                  send_at=send_at(i), dedupe_key=None, dedupe_window=None,
                                  supersede_key=None, event_at=None, rule=rule or base.rule)


def fill_outbox(store: Any, messages: Iterator[Any], *, batch: int = 2000) -> tuple[int, float]:
    """Insert messages through ``Store.insert_messages`` in batches; returns (rows, seconds)."""
    now = datetime.now(UTC)
    started = time.perf_counter()
    total = 0
    chunk: list[Any] = []
    for msg in messages:
        chunk.append(msg)
        if len(chunk) >= batch:
            with store.begin() as conn:
                store.insert_messages(conn, chunk, now)
            total += len(chunk)
            chunk = []
    if chunk:
        with store.begin() as conn:
            store.insert_messages(conn, chunk, now)
        total += len(chunk)
    return total, time.perf_counter() - started


def spread(start: datetime, seconds: float, count: int) -> Any:
    """A due-time function placing ``count`` rows evenly over ``seconds`` from ``start``."""
    step = seconds / max(count, 1)
    return lambda i: start + timedelta(seconds=i * step)


def fresh_store(url: str) -> Any:
    """A Store on ``url`` with an empty schema (PostgreSQL databases are reused between phases)."""
    from autoreply.store import Store, metadata

    store = Store(url)
    if store.dialect == "postgresql":
        metadata.drop_all(store.engine)
    store.migrate()
    return store


def bulk_backlog(store: Any, samples: list[Any], count: int, start: datetime,
                 seconds: float) -> tuple[int, float]:
    """``count`` scheduled rows due evenly over ``seconds`` from ``start``, written set-based
    (one INSERT … SELECT copying real rows) so a million-row backlog takes seconds, not minutes.
    The copied rows themselves go in through ``Store.insert_messages``."""
    from autoreply.store import outbox

    k = min(len(samples), 500)
    far = start + timedelta(seconds=seconds)
    fill_outbox(store, make_messages(samples[:k], k, lambda i: far, "tpl"))
    cols = ("event_id, rule, template, kind, platform, marketplace, buyer_id, order_id, channel, "
            "message_type, recipient, language, timezone, subject, body, details")
    t_cols = ", ".join(f"t.{c.strip()}" for c in cols.split(","))
    step = seconds / max(count, 1)
    started = time.perf_counter()
    with store.begin() as conn:
        first = conn.execute(sa_select_min_id(outbox)).scalar_one()
        if store.dialect == "sqlite":
            due = f"strftime('%Y-%m-%d %H:%M:%f', :start, '+' || (i * {step!r}) || ' seconds')"
            conn.exec_driver_sql(f"""
                WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < {count - 1})
                INSERT INTO outbox (message_id, idempotency_key, {cols}, status, send_at,
                                    next_attempt_at, created_at, updated_at, attempts)
                SELECT 'bl-' || i, 'bl-' || i, {t_cols}, 'scheduled', {due}, {due},
                       t.created_at, t.created_at, 0
                FROM seq JOIN outbox t ON t.id = {first} + (i % {k})
            """.replace(":start", f"'{start.astimezone(UTC):%Y-%m-%d %H:%M:%S}'"))
        else:
            due = f"%(start)s::timestamptz + i * interval '1 second' * {step!r}"
            conn.exec_driver_sql(f"""
                INSERT INTO outbox (message_id, idempotency_key, {cols}, status, send_at,
                                    next_attempt_at, created_at, updated_at, attempts)
                SELECT 'bl-' || i, 'bl-' || i, {t_cols}, 'scheduled', {due}, {due},
                       t.created_at, t.created_at, 0
                FROM generate_series(0, {count - 1}) AS i JOIN outbox t ON t.id = {first} + mod(i, {k})
            """, {"start": start.astimezone(UTC)})
            conn.exec_driver_sql("ANALYZE outbox")
    return count, time.perf_counter() - started


def sa_select_min_id(table: Any) -> Any:
    import sqlalchemy as sa

    return sa.select(sa.func.min(table.c.id))
