"""``autoreply tz resolve``: the buyer time zone for an address, and how it was found.

One address from flags (human or ``--json``), or a batch with ``--jsonl FILE`` (``-`` for
stdin): each line ``{"id","country","region"?,"postal_code"?,"city"?}`` gives one line
``{"id","timezone","source","ambiguous"}``. Exit 0 when every address resolved, 1 when one is
unknown (its line says ``"timezone": null``) or the input is bad (nothing is written then).
"""

from __future__ import annotations

import json
from typing import Any

import click

from autoreply.cli import emit_json, read_jsonl
from autoreply.errors import InputError, Problem

FIELDS = {"id", "country", "region", "postal_code", "city", "timezone", "marketplace"}


def _resolve(fields: dict[str, Any], year: int) -> dict[str, Any]:
    from autoreply.timezones import resolve

    found = resolve(
        timezone=fields.get("timezone"), country=fields.get("country"), region=fields.get("region"),
        postal_code=fields.get("postal_code"), city=fields.get("city"),
        marketplace=fields.get("marketplace"), fallback="UTC", year=year)
    if found.source == "seller_default":
        return {"timezone": None, "source": "unknown", "ambiguous": True, "detail": found.detail}
    return found.as_dict()


def _parse_lines(path: str) -> list[dict[str, Any]]:
    lines, source, problems = read_jsonl(path)
    rows: list[dict[str, Any]] = []
    for number, data in lines:
        for key in sorted(set(data) - FIELDS):
            problems.append(Problem("unknown field", file=source, line=number, path=key))
        if "id" not in data:
            problems.append(Problem("missing field", file=source, line=number, path="id"))
        for key in FIELDS & set(data):
            value = data[key]
            if isinstance(value, bool) or not isinstance(value, str | int | None):
                problems.append(Problem("must be a string", file=source, line=number, path=key))
        rows.append({k: (str(v) if isinstance(v, int) else v) for k, v in data.items()})
    if problems:
        raise InputError(problems)
    return rows


@click.group()
def tz() -> None:
    """Time zones: the buyer's zone from their address."""


@tz.command("resolve")
@click.option("--country", help="ISO 3166-1 alpha-2 country code (ES, US, BR, …).")
@click.option("--region", help="ISO 3166-2 code (ES-CN or CN) or name (Canarias, Texas).")
@click.option("--postal-code", "postal_code", help="Postal code (35001, 79901, P9N 1A1).")
@click.option("--city", help="City name, any language or accents.")
@click.option("--marketplace", help="Marketplace country, used when the address says nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--jsonl", "jsonl", metavar="FILE", help="Batch: JSON lines in, JSON lines out.")
def tz_resolve(country: str | None, region: str | None, postal_code: str | None, city: str | None,
               marketplace: str | None, as_json: bool, jsonl: str | None) -> None:
    """The buyer time zone for an address and how it was found (exit 1 when unknown)."""
    from autoreply.clock import SystemClock

    year = SystemClock().now().year  # "current rules" are judged from this year
    if jsonl:
        rows = _parse_lines(jsonl)
        unknown = 0
        for row in rows:
            out = _resolve(row, year)
            unknown += out["timezone"] is None
            click.echo(json.dumps({"id": row["id"], "timezone": out["timezone"],
                                   "source": out["source"], "ambiguous": out["ambiguous"]},
                                  ensure_ascii=False))
        raise SystemExit(1 if unknown else 0)
    if not (country or marketplace):
        raise InputError([Problem("give --country (or --marketplace), or --jsonl FILE",
                                  path="--country")])
    out = _resolve({"country": country, "region": region, "postal_code": postal_code,
                    "city": city, "marketplace": marketplace}, year)
    if as_json:
        emit_json(out)
    elif out["timezone"] is None:
        click.echo(f"unknown ({out['detail']})")
    else:
        flag = click.style(" ambiguous", fg="yellow") if out["ambiguous"] else ""
        click.echo(f"{out['timezone']}  ({out['source']}{flag}; {out['detail']})")
    raise SystemExit(1 if out["timezone"] is None else 0)


def register(group: click.Group) -> None:
    group.add_command(tz)
