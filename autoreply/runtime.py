"""The running daemon's card: ``<state_dir>/daemon.json``.

Written atomically by the daemon when it is ready and after every reload, removed when it
stops cleanly. It tells the command line (``autoreply reload``) and tests where the daemon is:
its pid, the URL its HTTP intake listens on (useful with ``port = 0``) and how the last reload
went. A file left by a killed daemon is recognised by its dead pid.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any

FILE_NAME = "daemon.json"


def runtime_path(state_path: Path) -> Path:
    return state_path / FILE_NAME


def write_runtime(state_path: Path, data: dict[str, Any]) -> None:
    path = runtime_path(state_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(
        json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8"
    )
    os.replace(tmp, path)


def read_runtime(state_path: Path) -> dict[str, Any] | None:
    """The card of a live daemon, or ``None`` (no file, unreadable, or its process is gone)."""
    try:
        data = json.loads(runtime_path(state_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not pid_alive(data.get("pid")):
        return None
    return data


def remove_runtime(state_path: Path, pid: int) -> None:
    """Remove the card if it is still ours."""
    path = runtime_path(state_path)
    with contextlib.suppress(OSError, ValueError):
        if json.loads(path.read_text(encoding="utf-8")).get("pid") == pid:
            path.unlink()


def pid_alive(pid: Any) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
