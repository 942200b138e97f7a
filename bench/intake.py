"""Intake: events/s accepted through `autoreply submit` (JSON lines) and over HTTP
(POST /v1/events in batches of 100, once the HTTP intake exists), until all are queued.

    python bench/intake.py [--quick] [--events N] [--clients C]

`submit` is timed as a user runs it: a fresh process reading one JSON-lines file, start to
exit. HTTP runs against the real daemon (`autoreply run`) with C client threads; "queued"
means answered 202 (the intake persists before it answers) and is checked by counting the
inbox afterwards.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from typing import Any

from common import fmt, free_port, parser, synthetic_events, table, workspace, write_section
from daemonproc import DaemonProcess

TOKEN = "bench-intake-token"


def inbox_rows(settings: Any) -> int:
    from autoreply.store import Store

    store = Store(settings.database_url)
    try:
        return sum(store.inbox_counts().values())
    finally:
        store.close()


def via_submit(lines: list[str], n: int) -> dict[str, Any]:
    with workspace() as ws:
        path = ws.root / "events.jsonl"
        path.write_text("".join(lines), encoding="utf-8")
        t = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "autoreply", "--config", str(ws.settings_file),
                               "submit", str(path)], capture_output=True, text=True)
        elapsed = time.perf_counter() - t
        if done.returncode != 0:
            raise RuntimeError(done.stderr)
        queued = inbox_rows(ws.settings())
    return {"rate": n / elapsed, "seconds": elapsed, "queued": queued}


def via_http(payloads: list[str], n: int, clients: int) -> dict[str, Any] | str:
    import httpx

    port = free_port()
    with workspace() as ws:
        env = {"AUTOREPLY_INTAKE__ENABLED": "true", "AUTOREPLY_INTAKE__PORT": str(port),
               "AUTOREPLY_INTAKE__HOST": "127.0.0.1", "AUTOREPLY_INTAKE_TOKEN": TOKEN}
        base = f"http://127.0.0.1:{port}"
        with DaemonProcess(ws.settings_file, env) as daemon:
            daemon.wait_ready()
            deadline = time.time() + 10
            while True:
                try:
                    httpx.get(f"{base}/healthz", timeout=1)
                    break
                except httpx.HTTPError:
                    if time.time() > deadline:
                        return "n/a — the daemon serves no HTTP intake yet (issue 7)"
                    time.sleep(0.2)
            headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
            probe = httpx.post(f"{base}/v1/events", content="[]", headers=headers, timeout=10)
            if probe.status_code in (404, 405):
                return f"n/a — POST /v1/events answers {probe.status_code} (issue 7)"
            if probe.status_code in (401, 403):
                return f"n/a — intake refused the bearer token ({probe.status_code})"
            batches = [payloads[i:i + 100] for i in range(0, len(payloads), 100)]
            statuses: list[int] = []
            lock = threading.Lock()

            def client(mine: list[list[str]]) -> None:
                with httpx.Client(base_url=base, headers=headers, timeout=60) as http:
                    for batch in mine:
                        code = http.post("/v1/events", content="[" + ",".join(batch) + "]").status_code
                        with lock:
                            statuses.append(code)

            threads = [threading.Thread(target=client, args=(batches[i::clients],)) for i in range(clients)]
            t = time.perf_counter()
            for th in threads:
                th.start()
            for th in threads:
                th.join()
            elapsed = time.perf_counter() - t
        queued = inbox_rows(ws.settings())
    accepted = sum(1 for s in statuses if s == 202)
    return {"rate": n / elapsed, "seconds": elapsed, "queued": queued,
            "batches": f"{accepted:,} of {len(statuses):,} answered 202"}


def main() -> None:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--events", type=int, help="events [50,000; --quick 10,000]")
    p.add_argument("--clients", type=int, default=2, help="HTTP client threads [2]")
    args = p.parse_args()
    n = args.events or (10_000 if args.quick else 50_000)
    events = synthetic_events(n, seed=3)
    payloads = [payload for _id, _k, _p, payload in events]
    print(f"submit: {n:,} events in one JSON-lines file …", flush=True)
    s = via_submit([pl + "\n" for pl in payloads], n)
    print(f"HTTP: {n:,} events in batches of 100, {args.clients} clients …", flush=True)
    h = via_http(payloads, n, args.clients)
    print()
    rows = [
        ["`autoreply submit` events/s (process start to exit)", fmt(s["rate"]),
         f"{s['seconds']:.1f} s; {s['queued']:,} in the inbox"],
    ]
    if isinstance(h, str):
        rows.append(["HTTP POST /v1/events, batches of 100: events/s", h, ""])
    else:
        rows.append([f"HTTP POST /v1/events, batches of 100, {args.clients} clients: events/s",
                     fmt(h["rate"]), f"{h['seconds']:.1f} s; {h['batches']}; {h['queued']:,} in the inbox"])
    md = table(["measure", "value", "detail"], rows)
    write_section("intake", "Intake", f"""
{md}

{n:,} synthetic events. The HTTP figure is measured against the real daemon, which also works
through its inbox meanwhile (both share the machine's 2 cores).
""", enabled=not args.no_write)


if __name__ == "__main__":
    main()
