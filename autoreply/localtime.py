"""Time zones and send times: the buyer's zone for when a message lands, UTC in storage.

Resolution order, each recorded as ``source``: ``buyer.timezone`` → postal code → region →
country → marketplace → the seller's zone. With pytz we never attach a zone with
``datetime(..., tzinfo=zone)``; UTC instants are converted with ``astimezone`` and
``normalize``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import pytz

from autoreply.durations import format_duration

# Regions whose zone differs from the country's main one (ISO 3166-2 subdivision codes).
REGION_ZONES: dict[tuple[str, str], str] = {
    ("ES", "CN"): "Atlantic/Canary",
    ("PT", "20"): "Atlantic/Azores",
    ("PT", "30"): "Atlantic/Madeira",
}
# Postal-code prefixes that decide the zone.
POSTAL_PREFIX_ZONES: dict[str, list[tuple[str, str]]] = {
    "ES": [("35", "Atlantic/Canary"), ("38", "Atlantic/Canary")],
    "PT": [("95", "Atlantic/Azores"), ("96", "Atlantic/Azores"), ("97", "Atlantic/Azores"),
           ("98", "Atlantic/Azores"), ("99", "Atlantic/Azores"), ("90", "Atlantic/Madeira"),
           ("91", "Atlantic/Madeira"), ("92", "Atlantic/Madeira"), ("93", "Atlantic/Madeira"),
           ("94", "Atlantic/Madeira")],
}


# For countries with several zones: the zone most of the population lives in, used when the
# address does not say more (pytz lists zones in tz database order, not by population).
MAIN_ZONE: dict[str, str] = {
    "US": "America/New_York", "CA": "America/Toronto", "MX": "America/Mexico_City",
    "BR": "America/Sao_Paulo", "RU": "Europe/Moscow", "AU": "Australia/Sydney",
    "ID": "Asia/Jakarta", "KZ": "Asia/Almaty", "CL": "America/Santiago",
    "EC": "America/Guayaquil", "ES": "Europe/Madrid", "PT": "Europe/Lisbon",
    "AR": "America/Argentina/Buenos_Aires", "CN": "Asia/Shanghai", "DE": "Europe/Berlin",
    "UA": "Europe/Kyiv", "NZ": "Pacific/Auckland", "DK": "Europe/Copenhagen",
    "FR": "Europe/Paris", "GB": "Europe/London", "NL": "Europe/Amsterdam",
    "MN": "Asia/Ulaanbaatar", "CD": "Africa/Kinshasa", "MY": "Asia/Kuala_Lumpur",
    "UZ": "Asia/Tashkent", "PG": "Pacific/Port_Moresby", "KI": "Pacific/Tarawa",
    "FM": "Pacific/Pohnpei", "MH": "Pacific/Majuro", "PF": "Pacific/Tahiti",
    "CY": "Asia/Nicosia",
}


@dataclass(frozen=True)
class ZoneResolution:
    timezone: str
    source: str
    ambiguous: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"timezone": self.timezone, "source": self.source, "ambiguous": self.ambiguous}


def resolve_timezone(
    *,
    timezone: str | None,
    country: str | None,
    region: str | None,
    postal_code: str | None,
    city: str | None = None,
    marketplace: str | None,
    fallback: str,
) -> ZoneResolution:
    """The buyer's zone and how it was found."""
    if timezone and timezone in pytz.all_timezones_set:
        return ZoneResolution(timezone, "buyer.timezone")
    cc = (country or "").upper()
    if cc and postal_code:
        compact = postal_code.replace(" ", "").upper()
        for prefix, zone in POSTAL_PREFIX_ZONES.get(cc, []):
            if compact.startswith(prefix):
                return ZoneResolution(zone, "postal_code")
    if cc and region:
        code = region.upper().removeprefix(f"{cc}-")
        if (cc, code) in REGION_ZONES:
            return ZoneResolution(REGION_ZONES[(cc, code)], "region")
    if cc and cc in pytz.country_timezones:
        zones = pytz.country_timezones[cc]
        return ZoneResolution(MAIN_ZONE.get(cc, zones[0]), "country", ambiguous=len(zones) > 1)
    mk = (marketplace or "").upper()
    if mk and mk in pytz.country_timezones:
        zones = pytz.country_timezones[mk]
        return ZoneResolution(MAIN_ZONE.get(mk, zones[0]), "marketplace", ambiguous=len(zones) > 1)
    return ZoneResolution(fallback, "seller_default", ambiguous=True)


def to_local(instant: datetime, zone_name: str) -> datetime:
    """A UTC instant shown on the clock of ``zone_name`` (correct offset, DST included)."""
    zone = pytz.timezone(zone_name)
    return zone.normalize(instant.astimezone(zone))


@dataclass
class SendPlan:
    """When a message goes out and why it goes out then."""

    send_at_utc: datetime
    timezone: str
    reasons: list[str] = field(default_factory=list)

    @property
    def send_at_local(self) -> datetime:
        return to_local(self.send_at_utc, self.timezone)


def plan_send(*, occurred_at: datetime, delay: timedelta, now: datetime, timezone: str) -> SendPlan:
    """``occurred_at + delay``, never earlier than ``now``."""
    due = occurred_at + delay
    reasons = [f"occurred_at + delay {format_duration(delay)}"]
    if due < now:
        due = now
        reasons.append("due time already passed: send now")
    return SendPlan(send_at_utc=due, timezone=timezone, reasons=reasons)
