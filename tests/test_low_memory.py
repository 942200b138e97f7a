"""Low-memory mode (``language.accuracy = "low"``) bounds the caches a burst of events fills,
and the normal mode keeps the larger bounds (issue 8, docs/PERFORMANCE_NOTES.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from autoreply import places, timezones
from autoreply.compliance import linecache
from autoreply.daemon import configure_memory
from autoreply.langdetect import TEXTS_KEPT, TEXTS_KEPT_LOW, TextDetector
from autoreply.settings import Settings


def _bounds() -> tuple[int | None, int | None, int, int | None, int | None, int | None]:
    return (timezones._resolve.cache_info().maxsize, places._folded.cache_info().maxsize,
            linecache.LINES_KEPT, timezones._postal.cache_info().maxsize,
            timezones._city.cache_info().maxsize, timezones._curated_town.cache_info().maxsize)


@pytest.fixture(autouse=True)
def _normal_mode_after() -> object:
    spill_dir = places._SPILL_DIR
    yield
    configure_memory(Settings(language={"accuracy": "high"}), spill_dir)  # type: ignore[arg-type]


@pytest.mark.parametrize(("accuracy", "bounds"), [
    ("low", (timezones.RESOLVED_KEPT_LOW, places.FOLDS_KEPT_LOW, linecache.LINES_KEPT_LOW,
             *[timezones.STEPS_KEPT_LOW] * 3)),
    ("high", (timezones.RESOLVED_KEPT, places.FOLDS_KEPT, linecache.LINES_KEPT_DEFAULT,
              *[timezones.STEPS_KEPT] * 3)),
])
def test_the_accuracy_mode_sets_the_cache_bounds(accuracy: str, bounds: tuple[int, ...],
                                                 tmp_path: Path) -> None:
    """Resolved addresses (and their postal areas and towns), folded texts and compliance lines are
    kept fewer in low-memory mode."""
    configure_memory(Settings(language={"accuracy": accuracy}), tmp_path)  # type: ignore[arg-type]
    assert _bounds() == bounds


def test_a_reload_back_to_high_accuracy_restores_the_bounds(tmp_path: Path) -> None:
    """Switching the mode by a reload resizes the caches again, answers unchanged."""
    configure_memory(Settings(language={"accuracy": "low"}), tmp_path)  # type: ignore[arg-type]
    low = timezones.resolve(country="US", region="Texas", city="Austin")
    configure_memory(Settings(language={"accuracy": "high"}), tmp_path)  # type: ignore[arg-type]
    assert _bounds()[0] == timezones.RESOLVED_KEPT
    assert timezones.resolve(country="US", region="Texas", city="Austin") == low


def test_a_low_accuracy_detector_keeps_fewer_texts() -> None:
    """The detector's per-text cache is bounded by its accuracy."""
    low = TextDetector(["en", "de", "fr"], "low")
    for n in range(TEXTS_KEPT_LOW + 5):
        low.detect(f"where is my order number {n} please")
    assert len(low._kept) <= TEXTS_KEPT_LOW < TEXTS_KEPT
