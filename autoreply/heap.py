"""Handing freed memory back to the OS (glibc's malloc; a no-op elsewhere).

Building the language detector (lingua decompresses its models) and the city index allocate
and free far more than they keep; glibc holds the freed heap (~80 MiB in high-accuracy mode,
docs/BENCHMARKS.md) until ``malloc_trim`` is called. By default it also gives each thread its
own arena (up to 8 per core), each keeping its own free memory: the systemd unit caps them
with ``MALLOC_ARENA_MAX=2``, and :func:`limit_arenas` applies the same cap when the daemon is
started without it.
"""

from __future__ import annotations

import ctypes
import os
import sys
from functools import cache
from typing import Any

_M_ARENA_MAX = -8  # mallopt parameter (malloc.h)
ARENAS = 2


@cache
def _glibc() -> Any | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return None
    return libc if hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt") else None


def limit_arenas(count: int = ARENAS) -> bool:
    """Cap malloc's arenas at ``count`` unless ``MALLOC_ARENA_MAX`` is set (before threads start)."""
    libc = _glibc()
    if libc is None or os.environ.get("MALLOC_ARENA_MAX"):
        return False
    return bool(libc.mallopt(_M_ARENA_MAX, count))


def release() -> None:
    """Return the free parts of the heap to the OS (after building the detector or the index)."""
    libc = _glibc()
    if libc is not None:
        libc.malloc_trim(0)
