"""Buyer time-zone resolution: a labelled address set, input forms, the data tables, the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import pytz

from autoreply.timezones import (
    _groups,
    postal_table,
    region_aliases,
    region_table,
    resolve,
    same_rules,
    subdivisions,
    territories,
    us_zip3,
)

DATA = Path(__file__).parent / "data" / "addresses.jsonl"
ADDRESSES = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
YEAR = 2026


@pytest.mark.parametrize("address", ADDRESSES, ids=[a["id"] for a in ADDRESSES])
def test_labelled_addresses_resolve_to_the_right_zone(address: dict) -> None:
    """Every labelled address gets its zone (or one with identical current rules) and the right
    ambiguity flag; ambiguous ones get the most populous zone."""
    found = resolve(country=address["country"], region=address.get("region"),
                    postal_code=address.get("postal_code"), city=address.get("city"),
                    fallback="UTC", year=YEAR)
    assert same_rules(found.timezone, address["expected"], YEAR), found
    assert found.ambiguous is address["ambiguous"], found


@pytest.mark.parametrize("region", ["ES-CN", "CN", "es-cn", "Canarias", "CANARIAS", "Canary Islands",
                                    "canary islands", "Islas Canarias", " Canarias "])
def test_a_region_is_accepted_as_code_or_name_in_any_case(region: str) -> None:
    """ISO codes with or without the country prefix and names in any case all mean the region."""
    found = resolve(country="ES", region=region, year=YEAR)
    assert (found.timezone, found.source, found.ambiguous) == ("Atlantic/Canary", "region", False)


@pytest.mark.parametrize(("region", "zone"), [
    ("Texas", "America/Chicago"), ("São Paulo", "America/Sao_Paulo"), ("sao paulo", "America/Sao_Paulo"),
    ("Região Autónoma dos Açores", "Atlantic/Azores"), ("Regiao Autonoma da Madeira", "Atlantic/Madeira"),
    ("Galápagos", "Pacific/Galapagos"), ("GALAPAGOS", "Pacific/Galapagos"),
    ("Kamchatskiy kray", "Asia/Kamchatka"), ("Chatham Islands", "Pacific/Chatham"),
    ("Las Palmas", "Atlantic/Canary"),  # a province: its parent (ES-CN) decides
])
def test_region_names_are_accent_insensitive_and_walk_up_to_their_parent(region: str, zone: str) -> None:
    """Subdivision names match without accents; a province inherits its community's zone."""
    countries = {"Texas": "US", "São Paulo": "BR", "sao paulo": "BR", "Kamchatskiy kray": "RU",
                 "Chatham Islands": "NZ", "Las Palmas": "ES"}
    cc = countries.get(region, "PT" if "Autonom" in region or "Autónom" in region else "EC")
    assert same_rules(resolve(country=cc, region=region, year=YEAR).timezone, zone, YEAR)


def test_the_explicit_zone_wins_and_an_unknown_one_is_ignored() -> None:
    """buyer.timezone is used as given; a name the tz database does not know falls through."""
    assert resolve(timezone="Asia/Kathmandu", country="US", year=YEAR).source == "buyer.timezone"
    found = resolve(timezone="Mars/Olympus", country="DE", year=YEAR)
    assert (found.timezone, found.source) == ("Europe/Berlin", "country")


def test_the_marketplace_and_then_the_seller_zone_are_the_last_resort() -> None:
    """Without a country the marketplace decides; without anything the seller's zone, flagged."""
    assert resolve(marketplace="JP", fallback="Asia/Shanghai", year=YEAR).source == "marketplace"
    nothing = resolve(fallback="Asia/Shanghai", year=YEAR)
    assert (nothing.timezone, nothing.source, nothing.ambiguous) == ("Asia/Shanghai", "seller_default", True)


def test_a_postal_code_beats_a_contradicting_region() -> None:
    """The more specific field decides: a Canary postal code with a mainland region is Canary."""
    found = resolve(country="ES", region="MD", postal_code="35001", year=YEAR)
    assert (found.timezone, found.source) == ("Atlantic/Canary", "postal_code")


# --------------------------------------------------------------------------- the data tables
def test_every_table_zone_exists_in_the_tz_database() -> None:
    """Each zone named in a data file is a valid IANA zone."""
    zones = [e.timezone for t in region_table().values() for e in t.values()]
    zones += [e.timezone for entries in postal_table().values() for _, e in entries]
    zones += [t for t in region_aliases().values() if "/" in t]
    assert sorted(set(zones) - pytz.all_timezones_set) == []


def test_every_region_code_exists_in_iso_3166_2() -> None:
    """Region rows and alias targets name real subdivisions (pycountry)."""
    missing = [f"{cc}-{code}" for cc, rows in region_table().items() for code in rows
               if code != "*" and code not in subdivisions(cc)[1]]
    missing += [f"{cc}:{target}" for (cc, _), target in region_aliases().items()
                if "/" not in target and target not in subdivisions(cc)[1]]
    assert missing == []


def test_every_country_spanning_several_clocks_has_region_rows() -> None:
    """A country whose zones keep different clocks, and which has subdivisions, is in the table."""
    uncovered = []
    for cc, zones in pytz.country_timezones.items():
        if len(_groups(list(zones), YEAR)) > 1 and subdivisions(cc)[1] and cc not in region_table():
            uncovered.append(cc)
    # left out: Antarctica, US minor islands, and countries whose zones now keep one clock
    assert set(uncovered) <= {"AQ", "CY", "PS", "UM", "MY", "UZ", "MH", "SJ", "TL"}


def test_a_split_us_state_is_listed_with_its_main_zone_and_flagged() -> None:
    """Every US state is in the table; the split ones are flagged ambiguous."""
    us = region_table()["US"]
    assert {code for code in subdivisions("US")[1]} <= set(us)
    split = {code for code, entry in us.items() if entry.ambiguous}
    assert {"TX", "FL", "IN", "KY", "TN", "MI", "ND", "SD", "NE", "KS", "OR", "ID", "NV", "AZ", "AK"} <= split
    assert set(us_zip3().values()) <= set(us)
    assert {t for t in territories()["FR"]} >= {"GP", "MQ", "GF", "RE", "YT", "NC", "PF"}


# --------------------------------------------------------------------------- the CLI
def _cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "autoreply", "tz", "resolve", *args], input=stdin,
                          capture_output=True, text=True, timeout=120)


def test_tz_resolve_prints_the_zone_and_how_it_was_found() -> None:
    """The human form names the zone, the source and the detail; --json gives the fields."""
    human = _cli("--country", "US", "--region", "TX", "--postal-code", "79901")
    assert human.returncode == 0 and human.stdout.startswith("America/Denver  (postal_code;")
    out = json.loads(_cli("--country", "ES", "--region", "Canary Islands", "--json").stdout)
    assert (out["timezone"], out["source"], out["ambiguous"]) == ("Atlantic/Canary", "region", False)


def test_tz_resolve_exits_1_for_an_unknown_country() -> None:
    """An address nothing can place is 'unknown' with exit status 1."""
    result = _cli("--country", "ZZ", "--json")
    assert result.returncode == 1 and json.loads(result.stdout)["timezone"] is None


def test_tz_resolve_jsonl_answers_each_line(tmp_path: Path) -> None:
    """--jsonl reads {id,country,region?,postal_code?,city?} lines and writes {id,timezone,source,ambiguous}."""
    lines = [{"id": "1", "country": "BR", "city": "Manaus"},
             {"id": "2", "country": "US"},
             {"id": "3", "country": "PT", "postal_code": "9500-150"}]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    result = _cli("--jsonl", str(path))
    assert result.returncode == 0, result.stderr
    assert [json.loads(x) for x in result.stdout.splitlines()] == [
        {"id": "1", "timezone": "America/Manaus", "source": "city", "ambiguous": False},
        {"id": "2", "timezone": "America/New_York", "source": "country", "ambiguous": True},
        {"id": "3", "timezone": "Atlantic/Azores", "source": "postal_code", "ambiguous": False},
    ]


def test_tz_resolve_jsonl_rejects_bad_lines_with_their_line_number() -> None:
    """A bad line is reported with file, line and field, and nothing is written."""
    result = _cli("--jsonl", "-", stdin='{"id": "1", "country": "DE"}\n{"id": "2", "contry": "DE"}\nnot json\n')
    assert result.returncode == 1 and result.stdout == ""
    assert "<stdin>:2: contry: unknown field" in result.stderr
    assert "<stdin>:3:1: invalid JSON" in result.stderr
