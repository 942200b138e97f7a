"""Dispatch drain, counted: one real Dispatcher drains N due rows to the log sender; prints
sends/s, CPU µs per send, fsyncs of the log sender, and SQL statements, executions and commits
per 1,000 sends (counts that do not depend on the machine's load). --profile adds cProfile.

    python bench/dispatch_profile.py [--rows N] [--pg] [--chunk N] [--profile]

For a before/after in one run, unpack the older revision beside this one and run this same
file against it: ``git archive REV | tar -x -C /tmp/base && cd /tmp/base &&
PYTHONPATH=/tmp/base python /path/to/bench/dispatch_profile.py`` (prints only; no docs).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    PG_ADMIN,
    fill_outbox,
    fresh_store,
    make_messages,
    message_templates,
    pg_database,
    quiet_logs,
    workspace,
)


def run(url: str | None, rows: int, chunk: int | None, profile: bool, samples: list[Any]) -> None:
    import sqlalchemy as sa

    from autoreply.clock import SystemClock
    from autoreply.dispatch import Dispatcher
    from autoreply.senders.log import LogSender

    fsyncs = {"n": 0, "s": 0.0}
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        t = time.perf_counter()
        real_fsync(fd)
        fsyncs["n"] += 1
        fsyncs["s"] += time.perf_counter() - t

    extra = f"\n[dispatch]\nchunk_size = {chunk}\n" if chunk else ""
    with workspace(database_url=url, extra=extra) as ws:
        settings = ws.settings()
        store = fresh_store(settings.database_url)
        past = datetime.now(UTC) - timedelta(minutes=5)
        fill_outbox(store, make_messages(samples, rows, lambda i: past, "d"))
        sender = LogSender(settings.state_file(Path("outbox.jsonl")))
        dispatcher = Dispatcher(store, {"log": sender}, SystemClock(), settings.dispatch, "bench")
        sql = {"statements": 0, "executions": 0, "commits": 0}

        def on_execute(_c: Any, _cur: Any, statement: str, parameters: Any, _ctx: Any,
                       executemany: bool) -> None:
            if statement.startswith(("BEGIN", "SAVEPOINT", "RELEASE")):
                return
            sql["statements"] += 1
            sql["executions"] += len(parameters) if executemany else 1

        sa.event.listen(store.engine, "before_cursor_execute", on_execute)
        sa.event.listen(store.engine, "commit", lambda _c: sql.__setitem__("commits", sql["commits"] + 1))
        os.fsync = fsync
        prof = cProfile.Profile() if profile else None
        t, cpu = time.perf_counter(), time.process_time()
        if prof:
            prof.enable()
        sent = dispatcher.drain()
        if prof:
            prof.disable()
        wall, cpu = time.perf_counter() - t, time.process_time() - cpu
        os.fsync = real_fsync
        per = 1000 / max(sent, 1)
        print(f"{store.dialect}: {sent:,} sent in {wall:.2f} s ({sent / wall:,.0f}/s), "
              f"CPU {cpu / max(sent, 1) * 1e6:,.0f} µs per send, chunk {settings.dispatch.chunk_size}; "
              f"log fsyncs {fsyncs['n']} ({fsyncs['s']:.2f} s); per 1,000 sends: "
              f"statements {sql['statements'] * per:,.0f}, executions {sql['executions'] * per:,.0f}, "
              f"commits {sql['commits'] * per:,.0f}")
        if prof:
            pstats.Stats(prof).sort_stats("tottime").print_stats(30)
        store.close()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rows", type=int, default=2000)
    p.add_argument("--pg", action="store_true", help="PostgreSQL (a throwaway database) instead of SQLite")
    p.add_argument("--chunk", type=int, help="dispatch.chunk_size [the shipped 20]")
    p.add_argument("--profile", action="store_true")
    p.add_argument("--log-level", default="info", choices=["debug", "info", "warning"],
                   help="the daemon's log level (JSON into /dev/null) [info, as shipped]")
    args = p.parse_args()
    quiet_logs(args.log_level)
    with workspace() as ws:
        samples = message_templates(ws.settings())
    if args.pg:
        with pg_database(PG_ADMIN) as url:
            if url is None:
                sys.exit("PostgreSQL not reachable")
            run(url, args.rows, args.chunk, args.profile, samples)
    else:
        run(None, args.rows, args.chunk, args.profile, samples)


if __name__ == "__main__":
    main()
