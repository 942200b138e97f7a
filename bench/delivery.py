"""Delivery bench: several daemons on one database, N messages due at once, a real webhook
receiver counting deliveries by message id; then SIGKILL at full rate, restart, count.

    .venv/bin/python bench/delivery.py [--messages 10000] [--daemons 2] [--kills 3]
                                       [--pg postgresql://postgres@127.0.0.1:5432/postgres]

Prints a table and writes it to docs/bench-delivery.md. Uses a throwaway PostgreSQL database
(created and dropped here) and a temporary directory.
"""

from __future__ import annotations

import argparse
import platform
import signal
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import ConfigDir  # noqa: E402
from tests.harness import SECRET, DaemonProc, configure, enqueue, sent_count, wait_for, workers_of  # noqa: E402
from tests.receivers import webhook_receiver  # noqa: E402


def throwaway_pg(admin: str) -> tuple[str, object]:
    import psycopg

    name = f"autoreply_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return f"{admin.rsplit('/', 1)[0]}/{name}", drop


def run_shared(db_url: str, n: int, daemons: int, tmp: Path) -> dict[str, object]:
    cfg = ConfigDir(tmp / f"shared-{uuid.uuid4().hex[:6]}")
    with webhook_receiver(SECRET.encode()) as receiver:
        env = configure(cfg, db_url=db_url, webhook_url=receiver.url)
        procs = [DaemonProc(cfg, env, f"d{i}").launch() for i in range(daemons)]
        for p in procs:
            p.wait_ready()
        try:
            t0 = time.monotonic()
            ids = enqueue(db_url, n)
            t1 = time.monotonic()
            wait_for(lambda: sent_count(db_url).get("sent") == n, what="all sent", timeout=3600)
            elapsed = time.monotonic() - t1
            for p in procs:
                p.stop()
        finally:
            for p in procs:
                p.kill()
        delivered = dict(receiver.delivered)
    return {
        "messages": n,
        "daemons": daemons,
        "enqueue_s": round(t1 - t0, 2),
        "send_s": round(elapsed, 2),
        "per_s": round(n / elapsed),
        "delivered_ids": len(delivered),
        "lost": len(set(ids) - set(delivered)),
        "doubled": sum(1 for c in delivered.values() if c > 1),
        "left": {k: v for k, v in sent_count(db_url).items() if k != "sent"} or "none",
        "shares": sorted(workers_of(db_url).values()),
    }


def run_kills(db_url: str, n: int, kills: int, tmp: Path, label: str) -> dict[str, object]:
    cfg = ConfigDir(tmp / f"kill-{uuid.uuid4().hex[:6]}")
    with webhook_receiver(SECRET.encode()) as receiver:
        env = configure(cfg, db_url=db_url, webhook_url=receiver.url, lease_seconds=2)
        ids = enqueue(db_url, n)
        daemon = DaemonProc(cfg, env, "killed").start()
        try:
            for k in range(kills):
                target = (k + 1) * n // (kills + 1)
                wait_for(
                    lambda t=target: len(receiver.delivered) >= t, what="progress", timeout=600
                )
                daemon.proc.send_signal(signal.SIGKILL)  # type: ignore[union-attr]
                daemon.proc.wait()  # type: ignore[union-attr]
                daemon.start()
            wait_for(lambda: sent_count(db_url).get("sent") == n, what="all sent", timeout=3600)
            daemon.stop()
        finally:
            daemon.kill()
        delivered = dict(receiver.delivered)
    repeats = [c - 1 for c in delivered.values() if c > 1]
    return {
        "backend": label,
        "messages": n,
        "kills": kills,
        "lost": len(set(ids) - set(delivered)),
        "repeated": sum(repeats),
        "repeated_per_kill": round(sum(repeats) / kills, 1),
        "max_copies": max(delivered.values()),
        "same_id": "yes (counted by Idempotency-Key)",
    }


def table(rows: list[dict[str, object]]) -> str:
    keys = list(rows[0])
    out = ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
    out += ["| " + " | ".join(str(r[k]) for k in keys) + " |" for r in rows]
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--messages", type=int, default=10_000)
    ap.add_argument("--daemons", type=int, default=2)
    ap.add_argument("--kills", type=int, default=3)
    ap.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/postgres")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "bench-delivery.md")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        url, drop = throwaway_pg(args.pg)
        try:
            shared = [run_shared(url, args.messages, args.daemons, tmp)]
        finally:
            drop()  # type: ignore[operator]
        url, drop = throwaway_pg(args.pg)
        try:
            kills = [run_kills(url, args.messages, args.kills, tmp, "postgresql")]
        finally:
            drop()  # type: ignore[operator]
        kills.append(
            run_kills(f"sqlite:///{tmp / 'kill.db'}", args.messages, args.kills, tmp, "sqlite")
        )
    text = (
        f"# Delivery bench\n\n`python bench/delivery.py --messages {args.messages} --daemons "
        f"{args.daemons} --kills {args.kills}` on {platform.node() or 'this machine'} "
        f"({platform.python_version()}), webhook sender to a local receiver, dispatch "
        "workers=2 per daemon, chunk_size=20, lease 2 s in the kill runs.\n\n"
        f"## {args.daemons} daemons on one PostgreSQL, {args.messages} messages due at once\n\n"
        f"{table(shared)}\n\n## SIGKILL while sending at full rate, then restart\n\n{table(kills)}\n"
    )
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)


if __name__ == "__main__":
    main()
