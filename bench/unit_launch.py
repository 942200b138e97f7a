"""Start ``autoreply`` the way the systemd unit's install has it: only the packages that
``pip install autoreply`` installs can be imported (bench/daemonproc.py, ``as_unit=True``).

    python bench/unit_launch.py --config FILE run      (with AUTOREPLY_BENCH_HIDDEN=a,b,…)

A development venv also holds the dev and bench extras; some runtime packages import them when
present (structlog and httpx import rich and pygments, ~10 MiB), which a production install
(/opt/autoreply, README "Run it under systemd") never does. The top-level names listed in
``AUTOREPLY_BENCH_HIDDEN`` (computed by the bench: distributions outside the runtime
dependencies) are reported as not installed. This file imports only ``sys``, ``os``, ``runpy``.
"""

import os
import runpy
import sys
from typing import Any


class _NotInstalled:
    """A meta path finder that reports the hidden top-level packages as missing."""

    def __init__(self, names: frozenset[str]) -> None:
        self.names = names

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> None:
        if name.partition(".")[0] in self.names:
            raise ModuleNotFoundError(f"No module named {name!r} (not in a production install)", name=name)


def hide_not_installed() -> None:
    """Report the packages named in ``AUTOREPLY_BENCH_HIDDEN`` as not installed from now on."""
    hidden = frozenset(n for n in os.environ.pop("AUTOREPLY_BENCH_HIDDEN", "").split(",") if n)
    sys.meta_path.insert(0, _NotInstalled(hidden))


if __name__ == "__main__":
    hide_not_installed()
    sys.argv[0] = "autoreply"
    runpy.run_module("autoreply", run_name="__main__", alter_sys=True)
