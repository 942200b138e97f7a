"""The GeoNames city index: what a buyer's town resolves to, from the file's records."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from autoreply.places import City, Places

RECORDS = [
    {"geonameid": 1, "name": "São Paulo", "countrycode": "BR", "admin1code": "27",
     "timezone": "America/Sao_Paulo", "population": 12_000_000,
     "alternatenames": ["Sampa", "Сан-Паулу", "x"]},
    {"geonameid": 2, "name": "Springfield", "countrycode": "US", "admin1code": "IL",
     "timezone": "America/Chicago", "population": 114_000, "alternatenames": []},
    {"geonameid": 3, "name": "Springfield", "countrycode": "US", "admin1code": "MA",
     "timezone": "America/New_York", "population": 155_000, "alternatenames": ["Springfield, Mass."]},
    {"geonameid": 4, "name": "Santa Cruz de la Sierra", "countrycode": "BO", "admin1code": "08",
     "timezone": "America/La_Paz", "population": 1_400_000, "alternatenames": ["Santa Cruz"]},
]


@pytest.fixture(params=[("object", False), ("array", False), ("object", True)],
                ids=["object", "array", "object-low-memory"])
def index(request: pytest.FixtureRequest, tmp_path: Path) -> Places:
    """The index over a small GeoNames file, written as GeoNames' object of records or as an
    array; in low-memory mode too (folded alternate names read back from disk at each use)."""
    layout, low_memory = request.param
    path = tmp_path / "cities.json"
    body = {str(r["geonameid"]): r for r in RECORDS} if layout == "object" else RECORDS
    path.write_text(json.dumps(body, indent=1), encoding="utf-8")
    return Places(path, low_memory=low_memory)


def test_a_town_is_found_however_the_buyer_writes_it(index: Places) -> None:
    """Accents, case and punctuation do not matter, and a name in another script finds the town."""
    sao_paulo = City("São Paulo", "BR", "27", "America/Sao_Paulo", 12_000_000)
    assert index.find("BR", "SAO-PAULO") == [sao_paulo]
    assert index.find("BR", "сан паулу") == [sao_paulo]
    assert index.find("BR", "Sampa") == [sao_paulo]
    assert index.find("PT", "Sao Paulo") == []


def test_every_town_of_that_name_in_the_country_is_offered(index: Places) -> None:
    """Two Springfields in the US both come back, in the file's order, for the region to decide."""
    assert [c.admin1 for c in index.find("US", "springfield")] == ["IL", "MA"]


def test_saint_spellings_find_the_town(index: Places) -> None:
    """'Sta. Cruz' finds the town GeoNames also knows as 'Santa Cruz'."""
    assert [c.name for c in index.find("BO", "Sta. Cruz")] == ["Santa Cruz de la Sierra"]


def test_zone_named_towns_and_populations_per_zone(index: Places) -> None:
    """Towns the tz database names its zones after are found; people are summed per zone."""
    assert [c.timezone for c in index.find("CA", "Rankin Inlet")] == ["America/Rankin_Inlet"]
    assert index.population_by_zone("US") == {"America/Chicago": 114_000, "America/New_York": 155_000}


def test_the_alternate_names_wait_out_of_the_heap(tmp_path: Path) -> None:
    """Raw alternate names are kept in the spill file, folded ones too in low-memory mode, and
    a town found by an alternate name is found again the same way."""
    path = tmp_path / "cities.json"
    path.write_text(json.dumps(RECORDS), encoding="utf-8")
    for low_memory, kept in ((False, {"BR"}), (True, set())):
        index = Places(path, low_memory=low_memory, spill_dir=tmp_path / "missing" if low_memory else tmp_path)
        first = index.find("BR", "Sampa")
        assert first and index.find("BR", "Sampa") == first
        assert set(index._alt_index) == kept
