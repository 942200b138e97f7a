"""Memory breakdown: where the daemon's RSS after start goes, import by import and step by step.

    python bench/memory_breakdown.py [--accuracy high|low] [--no-write]

A fresh process imports, one at a time, the third-party packages `autoreply run` ends up with
(in the order the daemon first imports them; RSS delta of each, with the dependencies not yet
imported), then our own modules, then repeats the daemon's start step by step (settings and
config, language detector, pipeline engine with the compliance automaton and month names, city
index, then the store, scheduler and HTTP intake of `Daemon.start`), reading VmRSS after each.
A second process runs the same start under tracemalloc and sums the live Python allocations
by the package that made them (lingua's models are allocated in Rust: RSS only).

Like bench/memory.py, the processes run as the systemd unit runs the daemon: its
``Environment=`` lines (``MALLOC_ARENA_MAX=2``) and only a production install's packages
(bench/daemonproc.py).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from common import parser, table, workspace, write_section
from daemonproc import not_installed, unit_environment

STEPS = ("settings and config", "language detector", "pipeline engine", "city index (places)",
         "Daemon.start: store, scheduler, intake")


def rss_mib() -> float:
    status = Path("/proc/self/status").read_text()
    m = re.search(r"^VmRSS:\s+(\d+) kB", status, flags=re.M)
    return int(m.group(1)) / 1024 if m else float("nan")


def _start(settings_file: Path, mark: Any) -> Any:
    """The daemon's start, step by step; ``mark(step)`` after each. Returns the running daemon."""
    from autoreply.config import load_config
    from autoreply.daemon import Daemon, build_detector, warm_places
    from autoreply.pipeline import Engine
    from autoreply.settings import load_settings

    settings = load_settings(settings_file)
    config = load_config(settings)
    mark(STEPS[0])
    detector = build_detector(settings, config.templates.all_languages())
    mark(STEPS[1])
    Engine(config, detector)
    mark(STEPS[2])
    warm_places()
    mark(STEPS[3])
    daemon = Daemon(settings)
    daemon.start()
    time.sleep(1)
    mark(STEPS[4])
    return daemon


def _third_party() -> list[str]:
    """Top-level packages other than ours and the standard library's, in first-import order."""
    names = dict.fromkeys(name.split(".")[0] for name in list(sys.modules))
    return [n for n in names if n not in sys.stdlib_module_names and not n.startswith("_")
            and n not in ("autoreply", "common", "memory_breakdown", "daemonproc", "unit_launch")
            and sys.modules.get(n) is not None]


def worker_order(settings_file: Path) -> None:
    daemon = _start(settings_file, lambda step: None)
    daemon.stop(timeout=5)
    print(json.dumps(_third_party()))


def worker_rss(settings_file: Path, order: list[str]) -> None:
    import importlib

    rows: list[tuple[str, str, float]] = [("python", "interpreter and site", rss_mib())]
    last = rss_mib()

    def mark(kind: str, name: str) -> None:
        nonlocal last
        now = rss_mib()
        rows.append((kind, name, now - last))
        last = now

    for name in order:
        try:
            importlib.import_module(name)
        except ImportError:
            continue
        mark("import", name)
    for module in ("autoreply.cli", "autoreply.daemon", "autoreply.service", "autoreply.intake",
                   "autoreply.server"):
        importlib.import_module(module)
    mark("import", "autoreply (our modules)")
    daemon = _start(settings_file, lambda step: mark("start", step))
    daemon.stop(timeout=5)
    print(json.dumps({"rows": rows, "total": rss_mib()}))


def worker_traced(settings_file: Path) -> None:
    import tracemalloc

    tracemalloc.start(1)
    daemon = _start(settings_file, lambda step: None)
    snapshot = tracemalloc.take_snapshot()
    daemon.stop(timeout=5)
    by_package: dict[str, int] = {}
    for stat in snapshot.statistics("filename"):
        name = _package(stat.traceback[0].filename)
        by_package[name] = by_package.get(name, 0) + stat.size
    print(json.dumps(by_package))


def _package(filename: str) -> str:
    if filename.startswith("<frozen importlib"):
        return "importing (module code objects)"
    if filename.startswith("<"):
        return "generated code (dataclasses, namedtuples)"
    if "site-packages/" in filename:
        return re.split(r"[/.]", filename.split("site-packages/", 1)[1])[0]
    if "/autoreply/" in filename:
        return "autoreply." + filename.rsplit("/autoreply/", 1)[1].removesuffix(".py").replace("/", ".")
    return "standard library" if filename.startswith(sys.prefix) or "/lib/python3" in filename else "other"


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _child(*args: str, env: dict[str, str]) -> Any:
    out = subprocess.run([sys.executable, __file__, *args], check=True, capture_output=True, text=True,
                         env={**os.environ, **env})
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1].startswith("--worker-"):
        from unit_launch import hide_not_installed

        hide_not_installed()
        kind, settings_file = sys.argv[1], Path(sys.argv[2])
        {"--worker-order": lambda: worker_order(settings_file),
         "--worker-rss": lambda: worker_rss(settings_file, json.loads(sys.argv[3])),
         "--worker-traced": lambda: worker_traced(settings_file)}[kind]()
        return
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--accuracy", choices=("high", "low"), default="low")
    args = p.parse_args()
    env = {**unit_environment(), "AUTOREPLY_BENCH_HIDDEN": ",".join(not_installed()),
           "AUTOREPLY_LANGUAGE__ACCURACY": args.accuracy, "AUTOREPLY_LOG__LEVEL": "warning",
           "AUTOREPLY_INTAKE__PORT": str(free_port())}
    with workspace() as ws:
        order = _child("--worker-order", str(ws.settings_file), env=env)
        measured = _child("--worker-rss", str(ws.settings_file), json.dumps(order), env=env)
        traced = _child("--worker-traced", str(ws.settings_file), env=env)
    measured_rows = measured["rows"]
    big = [r for r in measured_rows if r[0] == "import" and r[2] >= 1.0 and not r[1].startswith("autoreply")]
    small = [r for r in measured_rows if r[0] == "import" and r[2] < 1.0]
    ours = [r for r in measured_rows if r[1].startswith("autoreply")]
    imports = sum(r[2] for r in measured_rows if r[0] == "import")
    print()
    md_rss = table(["what", "", "RSS (MiB)"],
                   [[name, kind, f"{mib:,.1f}"] for kind, name, mib in measured_rows[:1] + big]
                   + [[f"{len(small)} other packages (< 1 MiB each)", "import", f"{sum(r[2] for r in small):,.1f}"]]
                   + [[name, kind, f"{mib:,.1f}"] for kind, name, mib in ours]
                   + [["all imports", "", f"{imports:,.1f}"]]
                   + [[name, kind, f"{mib:,.1f}"] for kind, name, mib in measured_rows if kind == "start"]
                   + [["**RSS after start**", "", f"**{measured['total']:,.0f}**"]])
    print()
    top = sorted(traced.items(), key=lambda kv: -kv[1])
    md_traced = table(["allocated by", "live Python objects (MiB)"],
                      [[name, f"{size / 2**20:,.1f}"] for name, size in top[:15]]
                      + [["rest", f"{sum(s for _, s in top[15:]) / 2**20:,.1f}"],
                         ["total traced", f"{sum(traced.values()) / 2**20:,.1f}"]])
    write_section("memory_breakdown", f"Memory breakdown (accuracy={args.accuracy})", f"""
RSS deltas in one process, in the daemon's own order (an import's row includes its dependencies
not imported before; "start" rows are the steps of `Daemon.start`):

{md_rss}

Before the memory work (main at 2cfd1ba, same steps): the city index took 148 MiB (`json.loads`
of GeoNames' 30 MB file into dicts of `City` objects; now columns and per-country UTF-8 name
blocks read record by record, 12 MiB) and the high-accuracy detector 386 MiB (models of all 16
languages; now the 11 lingua weighs, 328 MiB, and the build-time heap is handed back).

What the live Python objects after start were allocated by (tracemalloc, innermost frame;
lingua's models live in Rust and C extensions' own allocations are not traced):

{md_traced}
""", enabled=not args.no_write)


if __name__ == "__main__":
    main()
