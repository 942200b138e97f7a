"""malloc tuning the daemon applies when started without the systemd unit's variables."""

from __future__ import annotations

import sys

import pytest

from autoreply import heap

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux") or heap._glibc() is None,
                                reason="glibc's mallopt")


@pytest.mark.parametrize(("variable", "tune"), [
    ("MALLOC_ARENA_MAX", heap.limit_arenas),
    ("MALLOC_MMAP_THRESHOLD_", heap.fix_mmap_threshold),
])
def test_a_setting_applies_unless_its_variable_says_otherwise(
        monkeypatch: pytest.MonkeyPatch, variable: str, tune: object) -> None:
    """Without the variable the setting is applied; with it, the variable's value stands."""
    assert callable(tune)
    monkeypatch.delenv(variable, raising=False)
    assert tune() is True
    monkeypatch.setenv(variable, "2")
    assert tune() is False


def test_the_unit_sets_what_the_daemon_would() -> None:
    """The systemd unit sets both variables, with the values the daemon applies itself."""
    from pathlib import Path

    unit = (Path(__file__).parent.parent / "systemd" / "autoreply.service").read_text()
    assert f"Environment=MALLOC_ARENA_MAX={heap.ARENAS}\n" in unit
    assert f"Environment=MALLOC_MMAP_THRESHOLD_={heap.MMAP_THRESHOLD}\n" in unit
