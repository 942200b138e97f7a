"""The buyer's time zone from their address, with how it was found and whether it is certain.

Resolution order (the first *unambiguous* answer wins; each answer records its ``source``):

1. ``buyer.timezone`` — an IANA name the marketplace gave us.
2. ``postal_code`` — ``data/postal_zones.csv`` (longest prefix), and for the US the ZIP-3 →
   state table ``data/us_zip3.csv`` then the state's zone.
3. ``city`` — GeoNames places of ≥ 5,000 people (:mod:`autoreply.places`), narrowed by the
   region when one is given.
4. ``region`` — ISO 3166-2 code (``ES-CN`` or ``CN``) or name (``Canarias``, ``Canary Islands``,
   ``Texas``), case- and accent-insensitive, through pycountry's subdivisions and
   ``data/region_aliases.csv``, then ``data/region_zones.csv`` (walking up parent subdivisions).
5. ``country`` — the country's zones in the tz database (pytz); when they have different current
   rules the answer is the zone most people live in (GeoNames population) and is ambiguous.
6. ``marketplace`` — the same for the marketplace's country.
7. ``seller_default`` — the seller's zone, always ambiguous.

If every step that answered was ambiguous, the most specific ambiguous answer is used and
flagged. "Same zone" means *identical current rules*: two zones whose UTC offsets and
transitions agree over the two years from the reference year (``same_rules``).
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import pycountry
import pytz
import pytz.tzfile

from autoreply.places import City, fold, places

SOURCES = ("buyer.timezone", "postal_code", "city", "region", "country", "marketplace",
           "seller_default")
COUNTRY_ALIASES = {"UK": "GB", "EL": "GR"}
#: postal areas and towns kept by their own steps (under the resolved addresses: a resolved
#: address never asks them again); low-memory mode keeps fewer
STEPS_KEPT = 16384
STEPS_KEPT_LOW = 1024
_ZONES_APART = False  # zone rules read apart from pytz's cache (low-memory mode, :func:`configure`)


@dataclass(frozen=True)
class ZoneResolution:
    """A time zone, where it came from, and whether the address left a doubt."""

    timezone: str
    source: str
    ambiguous: bool = False
    detail: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"timezone": self.timezone, "source": self.source, "ambiguous": self.ambiguous,
                "detail": self.detail}


# --------------------------------------------------------------------------- data files
def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("autoreply.data").joinpath(name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(io.StringIO("\n".join(lines))))


@dataclass(frozen=True)
class Entry:
    timezone: str
    ambiguous: bool
    note: str


@lru_cache(maxsize=1)
def region_table() -> dict[str, dict[str, Entry]]:
    table: dict[str, dict[str, Entry]] = defaultdict(dict)
    for row in _rows("region_zones.csv"):
        table[row["country"]][row["region"]] = Entry(row["timezone"], row["ambiguous"] == "1",
                                                     row["note"] or "")
    return dict(table)


@lru_cache(maxsize=1)
def postal_table() -> dict[str, list[tuple[str, Entry]]]:
    table: dict[str, list[tuple[str, Entry]]] = defaultdict(list)
    for row in _rows("postal_zones.csv"):
        table[row["country"]].append(
            (row["prefix"], Entry(row["timezone"], row["ambiguous"] == "1", row["note"] or "")))
    for entries in table.values():
        entries.sort(key=lambda e: len(e[0]), reverse=True)
    return dict(table)


@lru_cache(maxsize=1)
def postal_index() -> dict[str, tuple[dict[str, tuple[str, Entry]], tuple[int, ...]]]:
    """:func:`postal_table` by country as ``(prefix → (prefix, entry), prefix lengths, longest
    first)``: the first row of the table whose prefix starts a code is the entry of the code's
    longest prefix in it (rows are sorted longest first; of equal prefixes the first row's),
    found by one look-up per length instead of a ``startswith`` per row (73 rows for the US)."""
    out = {}
    for cc, rows in postal_table().items():
        by_prefix: dict[str, tuple[str, Entry]] = {}
        for prefix, entry in rows:
            by_prefix.setdefault(prefix, (prefix, entry))
        out[cc] = (by_prefix, tuple(sorted({len(p) for p in by_prefix}, reverse=True)))
    return out


def _postal_row(cc: str, code: str) -> tuple[str, Entry] | None:
    """The first row of ``postal_table()[cc]`` whose prefix starts ``code``, if any."""
    found = postal_index().get(cc)
    if found is None:
        return None
    by_prefix, lengths = found
    for length in lengths:
        if length <= len(code):
            row = by_prefix.get(code[:length])
            if row is not None:
                return row
    return None


@lru_cache(maxsize=1)
def us_zip3() -> dict[str, str]:
    out: dict[str, str] = {}
    for row in _rows("us_zip3.csv"):
        for n in range(int(row["first"]), int(row["last"]) + 1):
            out[f"{n:03d}"] = row["state"]
    return out


@lru_cache(maxsize=1)
def territories() -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for row in _rows("territories.csv"):
        out[row["country"]].append(row["territory"])
    return dict(out)


@lru_cache(maxsize=1)
def region_aliases() -> dict[tuple[str, str], str]:
    return {(row["country"], fold(row["alias"])): row["target"] for row in _rows("region_aliases.csv")}


@lru_cache(maxsize=256)
def subdivisions(country: str) -> tuple[dict[str, str], dict[str, str], dict[str, str | None]]:
    """``(names → code, code → display name, code → parent code)`` for one country (pycountry)."""
    by_name: dict[str, str] = {}
    names: dict[str, str] = {}
    parents: dict[str, str | None] = {}
    for code, name, parent in _subdivision_rows(country.upper()):
        names[code] = name
        parents[code] = parent
        for variant in _name_variants(name):
            by_name.setdefault(fold(variant), code)
    for (cc, alias), target in region_aliases().items():
        if cc == country and "/" not in target:
            by_name.setdefault(alias, target)
    return by_name, names, parents


def _subdivision_rows(country: str) -> list[tuple[str, str, str | None]]:
    """ISO 3166-2 rows of one country: ``(code, name, parent code)``, codes without the country."""
    block = _subdivision_blocks().get(country, "")
    return [(code, name, parent or None)
            for code, name, parent in (line.split("\t") for line in block.split("\n") if line)]


@lru_cache(maxsize=1)
def _subdivision_blocks() -> dict[str, str]:
    """ISO 3166-2 by country: one string per country of ``code<TAB>name<TAB>parent code`` lines,
    codes without the country (no parent: empty).

    Read from pycountry's own data file, in its order: pycountry's ``subdivisions`` database
    keeps an object and index entries per subdivision (~5 MiB of the daemon's memory for the
    5,000 of them), and a tuple of three strings each still took ~0.9 MiB; one string per
    country is split only for the countries an address names (:func:`subdivisions` keeps
    those). The parent code is pycountry's ``parent_code``."""
    data = json.loads((Path(pycountry.DATABASE_DIR) / "iso3166-2.json").read_bytes())
    rows: dict[str, list[str]] = {}
    for record in data["3166-2"]:
        country = record["code"].split("-")[0]
        parent_code = record.get("parent")
        if parent_code is not None and parent_code.split("-")[0] != country:
            parent_code = f"{country}-{parent_code}"
        fields = (record["code"].split("-", 1)[1], record["name"],
                  parent_code.split("-", 1)[1] if parent_code else "")
        if any("\t" in f or "\n" in f for f in fields):
            raise ValueError(f"ISO 3166-2 record with a tab or line break: {record!r}")
        rows.setdefault(country, []).append("\t".join(fields))
    return {country: "\n".join(found) for country, found in rows.items()}


def _name_variants(name: str) -> list[str]:
    """``"Catalunya [Cataluña]"`` → both; ``"Asturias, Principado de"`` → both orders."""
    out = [name]
    if "[" in name:
        head, _, rest = name.partition("[")
        out += [head.strip(), rest.rstrip("]").strip()]
    for item in list(out):
        if ", " in item:
            first, _, second = item.partition(", ")
            out += [first, f"{second} {first}"]
    return out


# --------------------------------------------------------------------------- same rules
@lru_cache(maxsize=4096)
def rules_signature(zone: str, year: int) -> tuple[tuple[datetime | None, timedelta], ...]:
    """The zone's UTC offset at 1 January of ``year`` and every change over two years."""
    tz = _zone_rules(zone)
    start = datetime(year, 1, 1)
    end = datetime(year + 2, 1, 1)
    times = getattr(tz, "_utc_transition_times", None)
    infos = getattr(tz, "_transition_info", None)
    if not times or not infos:
        offset = tz.utcoffset(start) or timedelta(0)
        return ((None, offset),)
    i = max(bisect_right(times, start) - 1, 0)
    signature: list[tuple[datetime | None, timedelta]] = [(None, infos[i][0])]
    for when, info in zip(times[i + 1:], infos[i + 1:], strict=False):
        if when >= end:
            break
        if info[0] != signature[-1][1]:
            signature.append((when, info[0]))
    return tuple(signature)


def _zone_rules(zone: str) -> Any:
    """The pytz zone ``zone`` for comparing its rules. In low-memory mode it is read from its tz
    file without entering pytz's cache: the rules are compared for every zone of a country (the
    United States' 29, Russia's 26), most of which no buyer's send window ever uses
    (``pytz.timezone`` keeps each for the process, a list of transitions and their tzinfo
    objects: ~1 MiB after a burst). Otherwise pytz's cached zone, which a send window in that
    zone then reuses (read apart, a zone used by both is parsed twice: ~2 % more instructions
    per event in a short drain). A name pytz knows only by another spelling goes through
    ``pytz.timezone``."""
    if _ZONES_APART and zone in pytz.all_timezones_set and zone != "UTC":
        with pytz.open_resource(zone) as fp:  # type: ignore[attr-defined]
            return pytz.tzfile.build_tzinfo(zone, fp)
    return pytz.timezone(zone)


def same_rules(a: str, b: str, year: int) -> bool:
    """True when two zones keep the same clock (offsets and transitions) over two years."""
    return a == b or rules_signature(a, year) == rules_signature(b, year)


def _groups(zones: list[str], year: int) -> list[list[str]]:
    groups: dict[tuple[Any, ...], list[str]] = defaultdict(list)
    for zone in zones:
        groups[rules_signature(zone, year)].append(zone)
    return list(groups.values())


# --------------------------------------------------------------------------- the steps
@lru_cache(maxsize=STEPS_KEPT)  # pure over static tables; postal areas repeat
def _postal(cc: str, postal: str) -> ZoneResolution | None:
    code = postal.upper()
    if not code.isalnum():
        code = "".join(ch for ch in code if ch.isalnum())
        if not code:
            return None
    row = _postal_row(cc, code)
    if row is not None:
        prefix, entry = row
        shown = prefix or "any"
        return ZoneResolution(entry.timezone, "postal_code", entry.ambiguous,
                              f"{cc} postal prefix {shown}: {entry.note}".rstrip(": "))
    if cc == "US" and code[:3].isdigit():
        state = us_zip3().get(code[:3])
        state_entry = region_table()["US"].get(state or "")
        if state and state_entry:
            # every ZIP-3 of a split state that straddles a line is in postal_zones.csv
            return ZoneResolution(state_entry.timezone, "postal_code", False,
                                  f"ZIP-3 {code[:3]} is in {state}")
    return None


def region_code(cc: str, region: str) -> str | None:
    """The ISO 3166-2 suffix for ``region`` written as a code or a name, or None."""
    by_name, names, _ = subdivisions(cc)
    text = region.strip()
    upper = text.upper()
    if upper.startswith(f"{cc}-"):
        upper = upper[len(cc) + 1:]
    if upper in names:
        return upper
    for variant in _written_variants(text):
        if fold(variant) in by_name:
            return by_name[fold(variant)]
    return None


def _written_variants(text: str) -> list[str]:
    """What a buyer may have written around the name: ``"Sakha (Yakutia)"`` → the whole, then
    ``"Sakha"``, then ``"Yakutia"``; ``"Sakha / Yakutia"`` likewise."""
    out = [text]
    if "(" in text:
        inner = re.findall(r"\(([^)]*)\)", text)
        out += [re.sub(r"\([^)]*\)", " ", text).strip(), *inner]
    for item in list(out):
        if "/" in item:
            out += [part.strip() for part in item.split("/")]
    return [v for v in out if v.strip()]


def _region(cc: str, region: str, year: int) -> ZoneResolution | None:
    alias = next((region_aliases()[(cc, fold(v))] for v in _written_variants(region)
                  if (cc, fold(v)) in region_aliases()), None)
    if alias and "/" in alias:
        return ZoneResolution(alias, "region", False, f"region {region!r}")
    code = region_code(cc, region)
    if code is None:
        upper = region.strip().upper()
        if upper in territories().get(cc, []):
            found = _country(upper, "region", year)
            return found and ZoneResolution(found.timezone, "region", found.ambiguous,
                                            f"territory {upper}")
        return None
    table = region_table().get(cc)
    _, names, parents = subdivisions(cc)
    if table is None:
        return None
    seen: str | None = code
    while seen is not None:
        if seen in table:
            entry = table[seen]
            return ZoneResolution(entry.timezone, "region", entry.ambiguous,
                                  f"{cc}-{code} {names.get(code, '')}".strip()
                                  + (f": {entry.note}" if entry.note else ""))
        seen = parents.get(seen)
    if "*" in table:
        return ZoneResolution(table["*"].timezone, "region", table["*"].ambiguous,
                              f"{cc}-{code} {names.get(code, '')}".strip())
    return None


def _country_zones(cc: str) -> list[str]:
    return list(pytz.country_timezones.get(cc, []))


@lru_cache(maxsize=1024)  # pure over static tables; asked for every new address
def is_multi_zone(cc: str, year: int, *, with_territories: bool = False) -> bool:
    zones = _country_zones(cc)
    if with_territories:
        for t in territories().get(cc, []):
            zones += _country_zones(t)
    return len(_groups(zones, year)) > 1


# Zones that keep the same clock today still leave the address ambiguous when a notable share
# of the country lives in the others (Kazakhstan's zones merged only in 2024; Argentina's
# provinces have changed clocks separately before). A tiny exclave (Büsingen) does not.
NOTABLE_SHARE = 0.05


def _most_populous(cc: str, zones: list[str], year: int) -> tuple[str, bool]:
    groups = _groups(zones, year)
    people = places().population_by_zone(cc)
    if len(groups) == 1:
        top = max(zones, key=lambda z: (people.get(z, 0), -zones.index(z)))
        total = sum(people.get(z, 0) for z in zones)
        others = total - people.get(top, 0)
        return top, bool(total) and others / total >= NOTABLE_SHARE
    best = max(groups, key=lambda g: (sum(people.get(z, 0) for z in g), -zones.index(g[0])))
    return max(best, key=lambda z: (people.get(z, 0), -zones.index(z))), True


@lru_cache(maxsize=1024)  # pure over static tables (zones, GeoNames populations)
def _country(cc: str, source: str, year: int) -> ZoneResolution | None:
    zones = _country_zones(cc)
    if not zones:
        return None
    zone, ambiguous = _most_populous(cc, zones, year)
    detail = f"{cc}: {len(zones)} zone(s)" + (", most populous chosen" if ambiguous else "")
    return ZoneResolution(zone, source, ambiguous, detail)


@lru_cache(maxsize=STEPS_KEPT)  # GeoNames lookups by (country, town): pure, repeated
def _curated_town(cc: str, city: str) -> City | None:
    """A town from the tz database's zone names or data/place_aliases.csv (not GeoNames)."""
    found = [c for c in places().find(cc, city) if c.population == 0]
    return found[0] if len(found) == 1 else None


@lru_cache(maxsize=STEPS_KEPT)  # GeoNames lookups by (country, town): pure, repeated
def _city(cc: str, city: str, region: str | None, region_hint: ZoneResolution | None,
          year: int) -> ZoneResolution | None:
    found: list[City] = []
    for code in [cc, *territories().get(cc, [])]:
        found += places().find(code, city)
    if not found:
        return None
    if region and cc == "US":
        state = region_code(cc, region)
        narrowed = [c for c in found if c.admin1 == state]
        found = narrowed or found
    elif region_hint is not None:
        narrowed = [c for c in found if same_rules(c.timezone, region_hint.timezone, year)]
        found = narrowed or found
    groups: dict[tuple[Any, ...], list[City]] = defaultdict(list)
    for c in found:
        groups[rules_signature(c.timezone, year)].append(c)
    best = max(groups.values(), key=lambda g: sum(c.population for c in g))
    top = max(best, key=lambda c: c.population)
    ambiguous = len(groups) > 1
    return ZoneResolution(top.timezone, "city", ambiguous,
                          f"{top.name} ({top.country}, {len(found)} place(s) of that name)")


def resolve(
    *,
    timezone: str | None = None,
    country: str | None = None,
    region: str | None = None,
    postal_code: str | None = None,
    city: str | None = None,
    marketplace: str | None = None,
    fallback: str = "UTC",
    year: int = 2026,
) -> ZoneResolution:
    """The buyer's zone and how it was found (see the module docstring for the order).

    A pure function of its arguments over static tables, so answers are remembered per
    address key (the daemon sees the same towns and postal areas over and over)."""
    # the address's strings are the cache's keys: one shared object per distinct value (events
    # repeat their countries, marketplaces, towns and postal codes; a cache of 4,096 addresses held
    # ~20,000 strings of the parsed events, most of them equal)
    return _resolve(_shared(timezone), _shared(country), _shared(region), _shared(postal_code),
                    _shared(city), _shared(marketplace), _shared(fallback), year)


def _shared(value: str | None) -> str | None:
    """``sys.intern`` of a plain string (one object per distinct value; freed with its last user)."""
    return sys.intern(value) if type(value) is str else value


#: resolved addresses kept per process; low-memory mode keeps fewer (:func:`configure`)
RESOLVED_KEPT = 65536
RESOLVED_KEPT_LOW = 4096


def configure(*, low_memory: bool) -> None:
    """Low-memory mode: fewer resolved addresses, postal areas and towns kept (a cache starts
    over when resized). The postal step's cache held ~1.2 MiB after 10,000 events (4,900 postal
    areas, each with its answer's own detail text); a miss costs ~30 µs."""
    global _resolve, _postal, _city, _curated_town, _ZONES_APART
    _ZONES_APART = low_memory
    kept = RESOLVED_KEPT_LOW if low_memory else RESOLVED_KEPT
    if _resolve.cache_info().maxsize != kept:
        _resolve = lru_cache(maxsize=kept)(_resolve.__wrapped__)
    steps = STEPS_KEPT_LOW if low_memory else STEPS_KEPT
    if _postal.cache_info().maxsize != steps:
        _postal = lru_cache(maxsize=steps)(_postal.__wrapped__)
        _city = lru_cache(maxsize=steps)(_city.__wrapped__)
        _curated_town = lru_cache(maxsize=steps)(_curated_town.__wrapped__)


@lru_cache(maxsize=RESOLVED_KEPT)
def _resolve(timezone: str | None, country: str | None, region: str | None,
             postal_code: str | None, city: str | None, marketplace: str | None, fallback: str,
             year: int) -> ZoneResolution:
    note = None
    if timezone:
        if timezone in pytz.all_timezones_set:
            return ZoneResolution(timezone, "buyer.timezone")
        note = f"ignored unknown buyer.timezone {timezone!r}"
    cc = (country or "").strip().upper()
    cc = sys.intern(COUNTRY_ALIASES.get(cc, cc))  # a key of the steps' caches
    if cc:
        by_postal = _postal(cc, postal_code) if postal_code else None
        # several zone names (even on one clock today) → the town or region can narrow it down
        multi = is_multi_zone(cc, year, with_territories=True) or len(_country_zones(cc)) > 1
        if by_postal and not by_postal.ambiguous:
            # A postal prefix covers an area. Where the buyer names a town that a zone itself is
            # named after, or one in data/place_aliases.csv (Eucla, WA 6443 → Australia/Eucla),
            # the town decides. GeoNames' own city zones are coarser than the postal tables
            # (it puts Vincennes, IN on Chicago time), so they never override a postal prefix.
            town = _curated_town(cc, city) if city and multi else None
            if town is not None and not same_rules(town.timezone, by_postal.timezone, year):
                return ZoneResolution(town.timezone, "city", False,
                                      f"{town.name}: the town names its own zone")
            return by_postal
        by_region = _region(cc, region, year) if region else None
        by_city = None
        if city and (multi or (by_region and by_region.ambiguous)):
            by_city = _city(cc, city, region, by_region, year)
        if by_city and not by_city.ambiguous:
            return by_city
        if by_region and not by_region.ambiguous:
            return by_region
        for candidate in (by_postal, by_city, by_region):
            if candidate is not None:
                return candidate
        by_country = _country(cc, "country", year)
        if by_country:
            return by_country
    mk = COUNTRY_ALIASES.get((marketplace or "").upper(), (marketplace or "").upper())
    if mk:
        by_marketplace = _country(mk, "marketplace", year)
        if by_marketplace:
            return by_marketplace
    return ZoneResolution(fallback, "seller_default", True, note or "nothing in the address decides")


def reference_year(now: datetime | None) -> int:
    """The year "current rules" are judged from."""
    return (now or datetime(2026, 1, 1, tzinfo=UTC)).year
