"""Handing freed memory back to the OS (glibc's malloc; a no-op elsewhere).

Building the language detector (lingua decompresses its models) and the city index allocate
and free far more than they keep; glibc holds the freed heap (~80 MiB in high-accuracy mode,
docs/BENCHMARKS.md) until ``malloc_trim`` is called. By default it also gives each thread its
own arena (up to 8 per core), each keeping its own free memory: the systemd unit caps them
with ``MALLOC_ARENA_MAX=2``, and :func:`limit_arenas` applies the same cap when the daemon is
started without it.

glibc also raises its mmap threshold (128 KiB at first) to the size of each large block it
frees, up to 32 MiB: after start-up has freed its large buffers (model and JSON reading), every
later block under that size comes from the heap, where what a burst frees stays fragmented
between live objects. The unit fixes the threshold at 128 KiB with
``MALLOC_MMAP_THRESHOLD_=131072`` (large blocks mapped apart and unmapped when freed: ~3 MiB
less RSS after a burst in low-memory mode, docs/PERFORMANCE_NOTES.md), and
:func:`fix_mmap_threshold` does the same when the daemon is started without it.
"""

from __future__ import annotations

import ctypes
import os
import sys
from functools import cache
from typing import Any

_M_ARENA_MAX = -8  # mallopt parameters (malloc.h)
_M_MMAP_THRESHOLD = -3
ARENAS = 2
MMAP_THRESHOLD = 128 * 1024  # glibc's initial value, kept fixed


@cache
def _glibc() -> Any | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return None
    return libc if hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt") else None


def _mallopt(param: int, value: int, env: str) -> bool:
    """Set malloc's ``param`` to ``value`` as glibc's tunable variable ``env`` would, unless it is set."""
    libc = _glibc()
    if libc is None or os.environ.get(env):
        return False
    return bool(libc.mallopt(param, value))


def limit_arenas(count: int = ARENAS) -> bool:
    """Cap malloc's arenas at ``count`` unless ``MALLOC_ARENA_MAX`` is set (before threads start)."""
    return _mallopt(_M_ARENA_MAX, count, "MALLOC_ARENA_MAX")


def fix_mmap_threshold(size: int = MMAP_THRESHOLD) -> bool:
    """Fix malloc's mmap threshold at ``size`` unless ``MALLOC_MMAP_THRESHOLD_`` is set."""
    return _mallopt(_M_MMAP_THRESHOLD, size, "MALLOC_MMAP_THRESHOLD_")


def release() -> None:
    """Return the free parts of the heap to the OS (after building the detector or the index)."""
    libc = _glibc()
    if libc is not None:
        libc.malloc_trim(0)
