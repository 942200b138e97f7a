"""The worker's write step alone, replayed: decide N synthetic events once (the real worker,
batches as the daemon takes them), then write the same batches again and again into fresh
SQLite stores — `InboxWorker._write` (the inbox marks, checking the rows still wait; the outbox
insert with dedupe and threads), the commit with its fsync — and print per message decided to send:
CPU µs, wall µs and the commit's wall µs, and apart the CPU of what the worker prepares before
the transaction (``InboxWorker.prepare``: the rows' columns that do not depend on the database;
prints only; no docs).

    python bench/insert_step.py [--events N] [--repeat R] [--batches FILE] [--floor]

``--floor`` also prints SQLite's own share: the same rows the step wrote (its outbox tuples and
inbox marks, captured from one replay) written again with the ``sqlite3`` module alone — one
``executemany`` each, the commit (WAL, ``synchronous=FULL``) — into a fresh store, with no
look-ups, no decisions and no SQLAlchemy: what the step costs if everything else were free.

For a before/after in one run, decide once (``--save FILE``), then replay the same batches
against both trees, alternating: ``PYTHONPATH=/path/to/base python bench/insert_step.py
--batches FILE`` and ``python bench/insert_step.py --batches FILE`` (pin both with
``taskset -c 0``; on a shared machine compare CPU µs, wall moves with the neighbours).
"""

from __future__ import annotations

import argparse
import pickle
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import quiet_logs, synthetic_events, workspace
from naive import build_engine


def capture(n: int) -> tuple[list[tuple[str, str, str, str]], list[tuple[Any, datetime]]]:
    """The events and the batches the real worker wrote for them (what, and at which now)."""
    from autoreply.clock import SystemClock
    from autoreply.store import Store
    from autoreply.worker import InboxWorker

    events = synthetic_events(n, seed=5)
    with workspace() as ws:
        settings = ws.settings()
        engine = build_engine(settings)
        store = Store(settings.database_url)
        store.migrate()
        worker = InboxWorker(store, lambda: engine, SystemClock(), settings.worker.batch_size)
        batches: list[tuple[Any, datetime]] = []
        write = worker._write

        def recorded(conn: Any, batch: Any, now: datetime) -> None:
            batches.append((batch, now))
            write(conn, batch, now)

        worker._write = recorded  # type: ignore[method-assign]
        store.add_events(events, source="bench", now=datetime.now(UTC))
        worker.drain()
        store.close()
    return events, batches


def replay(events: list[tuple[str, str, str, str]], batches: list[tuple[Any, datetime]]) -> dict[str, float]:
    """Write the batches into a fresh store, as the worker's write transaction does."""
    from autoreply.clock import SystemClock
    from autoreply.store import Store
    from autoreply.worker import InboxWorker

    with workspace() as ws:
        settings = ws.settings()
        store = Store(settings.database_url)
        store.migrate()
        store.add_events(events, source="bench", now=datetime.now(UTC))
        worker = InboxWorker(store, lambda: None, SystemClock(), settings.worker.batch_size)  # type: ignore[arg-type,return-value]
        wall = cpu = commit = prep = 0.0
        messages = 0
        prepare = getattr(worker, "prepare", None)  # trees before perfwrite: none
        for batch, now in batches:
            messages += sum(1 for m in batch.messages if m.status == "scheduled")
            if prepare is not None:  # as run_once does, before the write transaction
                c = time.process_time()
                prepare(batch, now)
                prep += time.process_time() - c
            t, c = time.perf_counter(), time.process_time()
            with store.begin() as conn:
                worker._write(conn, batch, now)  # marks the inbox rows, checking they still wait
                t_commit = time.perf_counter()
            wall += time.perf_counter() - t
            cpu += time.process_time() - c
            commit += time.perf_counter() - t_commit
        store.close()
    return {"cpu_us": cpu / messages * 1e6, "wall_us": wall / messages * 1e6,
            "commit_us": commit / messages * 1e6, "prep_us": prep / messages * 1e6,
            "messages": messages, "batches": len(batches)}


def floor(events: list[tuple[str, str, str, str]], batches: list[tuple[Any, datetime]]) -> dict[str, float]:
    """SQLite alone: the step's own outbox rows and inbox marks, written with ``sqlite3``."""
    import sqlite3

    from autoreply import outbox_write
    from autoreply.store import Store

    written: list[tuple[list[Any], list[Any]]] = []
    insert, finish = outbox_write.insert_outbox_rows, outbox_write.finish_inbox_rows
    marks: list[Any] = []

    def captured_finish(conn: Any, results: Any, now: datetime) -> int:
        marks[:] = [("error" if e else "done", o, e, outbox_write.stored_time("sqlite")(now), seq)
                    for seq, o, e in results]
        return finish(conn, results, now)

    def captured_insert(conn: Any, rows: Any) -> int:
        written.append((list(rows), list(marks)))
        return insert(conn, rows)

    import autoreply.outbox_batch
    import autoreply.store
    autoreply.outbox_batch.insert_outbox_rows = captured_insert  # type: ignore[assignment]
    autoreply.store.finish_inbox_rows = captured_finish  # type: ignore[assignment]
    try:
        replay(events, batches)
    finally:
        autoreply.outbox_batch.insert_outbox_rows = insert
        autoreply.store.finish_inbox_rows = finish
    columns = outbox_write.OUTBOX_COLUMNS
    insert_sql = (f"INSERT INTO outbox ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) "
                  "ON CONFLICT (idempotency_key) DO NOTHING")
    mark_sql = ("UPDATE inbox SET status = ?, outcome = ?, error = ?, processed_at = ? "
                "WHERE seq = ? AND status = 'new'")
    with workspace() as ws:
        settings = ws.settings()
        store = Store(settings.database_url)
        store.migrate()
        store.add_events(events, source="bench", now=datetime.now(UTC))
        store.close()
        db = sqlite3.connect(settings.database_url.removeprefix("sqlite:///"), isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        wall = cpu = 0.0
        for rows, inbox_marks in written:
            t, c = time.perf_counter(), time.process_time()
            db.execute("BEGIN IMMEDIATE")
            db.executemany(mark_sql, inbox_marks)
            db.executemany(insert_sql, rows)
            db.execute("COMMIT")
            wall += time.perf_counter() - t
            cpu += time.process_time() - c
        db.close()
    messages = sum(1 for batch, _now in batches for m in batch.messages if m.status == "scheduled")
    return {"cpu_us": cpu / messages * 1e6, "wall_us": wall / messages * 1e6}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--events", type=int, default=3000)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--batches", type=Path, help="replay the batches saved here (no deciding)")
    p.add_argument("--save", type=Path, help="decide, save the batches here, and stop")
    p.add_argument("--floor", action="store_true",
                   help="also write the same rows with sqlite3 alone (SQLite's own share)")
    args = p.parse_args()
    quiet_logs("warning")
    if args.batches:
        events, batches = pickle.loads(args.batches.read_bytes())
    else:
        events, batches = capture(args.events)
    if args.save:
        args.save.write_bytes(pickle.dumps((events, batches)))
        print(f"saved {len(batches)} batches to {args.save}")
        return
    import autoreply

    print(f"tree {Path(autoreply.__file__).resolve().parent.parent}")
    for _ in range(args.repeat):
        r = replay(events, batches)
        print(f"  {r['messages']:,} messages in {r['batches']} batches: CPU {r['cpu_us']:.1f} µs, "
              f"wall {r['wall_us']:.1f} µs, of which commit {r['commit_us']:.1f} µs per message; "
              f"before the transaction (rows prepared) CPU {r['prep_us']:.1f} µs")
        if args.floor:
            f = floor(events, batches)
            print(f"    the same rows with sqlite3 alone (marks, insert, commit): CPU {f['cpu_us']:.1f} µs, "
                  f"wall {f['wall_us']:.1f} µs per message")


if __name__ == "__main__":
    main()
