"""The naive design beside ours: one APScheduler 3.x DateTrigger job per message in
APScheduler's SQLAlchemyJobStore, versus our outbox (insert + drain), measured in one run.

    python bench/naive.py [--quick] [--messages N]

Both schedule the same N messages due at one instant (a burst: a Prime-Day flush) and then
send them when due. APScheduler: add_job per message (jobs persisted in SQLite), default
ThreadPoolExecutor, default misfire grace (1 s); fired and missed jobs counted with its
event listeners. Ours: Store.insert_messages in the worker's batches (one transaction per
batch), then the real Daemon drains the burst to the log sender.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from common import (
    fill_outbox,
    fmt,
    make_messages,
    message_templates,
    parser,
    quiet_logs,
    table,
    verdict,
    workspace,
    write_section,
)

TARGET_RATIO = 50
_fired: list[float] = []
_lock = threading.Lock()


def send(index: int) -> None:
    """The job APScheduler runs: 'send' one message (just note when)."""
    with _lock:
        _fired.append(time.time())


def naive(n: int, db: str) -> dict[str, Any]:
    from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, EVENT_JOB_MISSED
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from apscheduler.schedulers.background import BackgroundScheduler

    counts = {"executed": 0, "missed": 0, "error": 0}

    def listen(event: Any) -> None:
        key = {EVENT_JOB_EXECUTED: "executed", EVENT_JOB_MISSED: "missed"}.get(event.code, "error")
        counts[key] += 1

    def scheduler() -> Any:
        s = BackgroundScheduler(jobstores={"default": SQLAlchemyJobStore(url=db)}, timezone="UTC")
        s.add_listener(listen, EVENT_JOB_EXECUTED | EVENT_JOB_MISSED | EVENT_JOB_ERROR)
        return s

    # calibrate: how fast can jobs be added? (to place the burst after the adding is done)
    s = scheduler()
    s.start(paused=True)
    t = time.perf_counter()
    for i in range(min(200, n)):
        s.add_job(send, "date", run_date=datetime.now(UTC) + timedelta(days=1), args=[i], id=f"c{i}")
    rate = min(200, n) / (time.perf_counter() - t)
    s.remove_all_jobs()
    s.shutdown(wait=False)

    due = datetime.now(UTC) + timedelta(seconds=n / rate * 1.5 + 3)
    s = scheduler()
    s.start(paused=True)
    t = time.perf_counter()
    for i in range(n):
        s.add_job(send, "date", run_date=due, args=[i], id=f"m{i}")
    add_s = time.perf_counter() - t
    _fired.clear()
    s.resume()
    deadline = time.time() + max(60.0, n / 50)
    wait = max(0.0, (due - datetime.now(UTC)).total_seconds())
    time.sleep(wait)
    while counts["executed"] + counts["missed"] + counts["error"] < n and time.time() < deadline:
        time.sleep(0.2)
    s.shutdown(wait=True)
    done_at = max(_fired, default=None)
    return {"add_rate": n / add_s,
            "executed": counts["executed"], "missed": counts["missed"], "error": counts["error"],
            "burst_s": (done_at - due.timestamp()) if done_at else None}


def ours(n: int, samples: list[Any]) -> dict[str, Any]:
    from autoreply.daemon import Daemon
    from autoreply.store import Store, outbox

    with workspace() as ws:
        settings = ws.settings()
        store = Store(settings.database_url)
        store.migrate()
        # one message per transaction (as add_job does), for the fair per-message figure
        far = datetime.now(UTC) + timedelta(days=30)
        one_n = min(n, 500)
        _, one_s = fill_outbox(store, make_messages(samples, one_n, lambda i: far, "one"), batch=1)
        with store.begin() as conn:
            conn.execute(outbox.delete())
        due = datetime.now(UTC) + timedelta(days=1)
        rows, batch_s = fill_outbox(store, make_messages(samples, n, lambda i: due, "m"),
                                    batch=settings.worker.batch_size)
        # the burst comes due: move every row to due-now + 2 s, then run the daemon
        due = datetime.now(UTC) + timedelta(seconds=2)
        with store.begin() as conn:
            conn.execute(outbox.update().values(send_at=due, next_attempt_at=due))
        store.close()
        daemon = Daemon(settings)
        daemon.start()
        store = Store(settings.database_url)
        deadline = time.time() + max(60.0, n / 100)
        while time.time() < deadline:
            time.sleep(0.25)
            if store.counts().get("sent", 0) >= n:
                break
        daemon.stop()
        with store.engine.connect() as conn:
            last = conn.execute(sa.select(sa.func.max(outbox.c.sent_at))).scalar()
            sent = conn.execute(sa.select(sa.func.count()).select_from(outbox)
                                .where(outbox.c.status == "sent")).scalar_one()
        store.close()
    return {"insert_rate": rows / batch_s, "insert_rate_one": one_n / one_s, "sent": sent,
            "missed": n - sent, "burst_s": (last - due).total_seconds() if last else None,
            "batch": settings.worker.batch_size}


def main() -> None:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--messages", type=int, help="messages in the burst [5,000; --quick 1,000]")
    args = p.parse_args()
    n = args.messages or (1000 if args.quick else 5000)
    quiet_logs("info")
    with workspace() as ws:
        samples = message_templates(ws.settings())
        print(f"APScheduler: adding {n:,} DateTrigger jobs to a SQLAlchemyJobStore, then the burst …",
              flush=True)
        a = naive(n, f"sqlite:///{ws.root / 'jobs.sqlite'}")
    print(f"outbox: inserting {n:,} messages, then the burst …", flush=True)
    o = ours(n, samples)
    ratio = o["insert_rate"] / a["add_rate"]
    ratio_one = o["insert_rate_one"] / a["add_rate"]
    burst_ratio = (a["burst_s"] / o["burst_s"]) if a["burst_s"] and o["burst_s"] and not a["missed"] else None
    print()
    md = table(["measure", "APScheduler job per message", "our outbox", "ours ÷ naive"], [
        ["messages scheduled per second", fmt(a["add_rate"]),
         f"{fmt(o['insert_rate'])} (batches of {o['batch']})",
         f"{ratio:,.0f}× (target ≥ {TARGET_RATIO}× {verdict(ratio >= TARGET_RATIO)})"],
        ["… one transaction per message", fmt(a["add_rate"]), fmt(o["insert_rate_one"]),
         f"{ratio_one:,.1f}×"],
        ["burst: sent (fired)", fmt(a["executed"]), fmt(o["sent"]), ""],
        ["burst: missed", fmt(a["missed"]), fmt(o["missed"]),
         f"target 0 missed {verdict(o['missed'] == 0)}"],
        ["burst: errors", fmt(a["error"]), "0", ""],
        ["burst: last one sent (fired), s after due", fmt(a["burst_s"], 2), fmt(o["burst_s"], 2),
         f"{burst_ratio:,.1f}× sooner" if burst_ratio else ""],
    ])
    write_section("naive", "The naive design: an APScheduler job per message", f"""
{md}

{n:,} messages due at one instant. APScheduler {_apscheduler_version()}: `add_job(…, "date")` per
message into `SQLAlchemyJobStore` (SQLite file), default thread pool and misfire grace time
(1 s); a job that starts more than the grace time late is *missed* (never run). Ours:
`Store.insert_messages` in the worker's batches, then the real `Daemon` drains the burst to
the log sender; a late row is sent late, never dropped.
""", enabled=not args.no_write)


def _apscheduler_version() -> str:
    from importlib.metadata import version

    return version("APScheduler")


if __name__ == "__main__":
    main()
