"""Context checks: what the text alone cannot tell — the event's facts, passed in (pure).

* Amazon's 30-day contact window (from the order, or from delivery when that is later);
* a buyer who opted out gets only essential message types;
* the Amazon message type must exist, carry text, and fit the kind of message; its text limit;
* per-buyer frequency and the seller's daily volume (Amazon: 5 × average daily orders + 600),
  from a :class:`History` the caller reads from storage;
* promises ("ships within 3 days", "llega el 2 de diciembre") not earlier than the data allows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from autoreply.compliance.policy import Policy
from autoreply.compliance.promises import find_promises
from autoreply.compliance.scan import Raw, Scan

CONTACT_WINDOW = timedelta(days=30)
DEFAULT_TEXT_LIMIT = 2000


class History(Protocol):
    """Facts from storage the caps need (the worker reads them inside its transaction)."""

    def to_buyer_since(self, platform: str, buyer_id: str, since: datetime) -> int:
        """Messages scheduled or sent to this buyer on this platform since ``since``."""
        ...

    def sent_on_day(self, platform: str, day_start: datetime) -> int:
        """Messages scheduled or sent on this platform since ``day_start`` (UTC)."""
        ...


class NoHistory:
    """Nothing stored yet (a preview without a database)."""

    def to_buyer_since(self, platform: str, buyer_id: str, since: datetime) -> int:
        return 0

    def sent_on_day(self, platform: str, day_start: datetime) -> int:
        return 0


@dataclass(frozen=True)
class Caps:
    """Frequency and volume caps (settings ``[compliance]``)."""

    per_buyer_per_day: int = 3
    average_daily_orders: float = 0.0

    @property
    def amazon_daily(self) -> int:
        return int(5 * self.average_daily_orders + 600)


@dataclass(frozen=True)
class MessageContext:
    """The facts about one message the context checks need."""

    platform: str
    kind: str
    send_at: datetime
    local_today: date
    message_type: str | None = None
    proactive: bool = True
    buyer_id: str | None = None
    opted_out: bool = False
    placed_at: datetime | None = None
    delivered_at: datetime | None = None
    handling_days: int | None = None
    estimated_delivery: date | None = None
    latest_delivery: date | None = None
    shipment_eta: date | None = None
    shipment_status: str | None = None
    stock_available: int | None = None
    restock_eta: date | None = None
    locale: str | None = None
    history: History | None = None
    caps: Caps = Caps()


def _raw(rule: str, message: str, start: int = 0, end: int = 0) -> Raw:
    return Raw(rule, start, end, message)


def context_checks(ctx: MessageContext, policy: Policy, *, subject: str | None, body: str,
                   scan: Scan) -> list[Raw]:
    out: list[Raw] = []
    amazon = ctx.platform == "amazon"
    if amazon and ctx.placed_at is not None:
        base = max(ctx.placed_at, ctx.delivered_at) if ctx.delivered_at else ctx.placed_at
        if ctx.send_at > base + CONTACT_WINDOW:
            out.append(_raw("contact_window", f"the 30-day contact window closed on "
                            f"{(base + CONTACT_WINDOW).date().isoformat()}"))
    mtype = policy.message_types.get(ctx.message_type) if ctx.message_type else None
    if amazon and ctx.opted_out and not (mtype and mtype.essential):
        out.append(_raw("opted_out", "the buyer opted out of unsolicited messages and "
                        f"{ctx.message_type or 'this message'} is not an essential message type"))
    if amazon and policy.message_types:
        if ctx.message_type and mtype is None:
            out.append(_raw("message_type", f"{ctx.message_type!r} is not an Amazon message type (known: "
                            f"{', '.join(sorted(policy.message_types))})"))
        elif mtype is not None and mtype.max_text == 0:
            out.append(_raw("message_type", f"{mtype.name} carries attachments only, no text"))
        elif mtype is not None and ctx.kind not in mtype.kinds:
            out.append(_raw("message_type", f"{mtype.name} is not for a {ctx.kind!r} message (it is for "
                            f"{', '.join(mtype.kinds)})"))
        elif mtype is None and ctx.proactive:
            out.append(_raw("message_type_missing", "no Amazon message type set for a message the buyer "
                            "did not start (rules.toml message_type)"))
        limit = mtype.max_text if mtype and mtype.max_text else DEFAULT_TEXT_LIMIT
        if len(body) > limit:
            out.append(_raw("text_length", f"{len(body)} characters, the limit is {limit}",
                            limit, len(body)))
    if ctx.history is not None and ctx.proactive:
        if ctx.buyer_id:
            recent = ctx.history.to_buyer_since(ctx.platform, ctx.buyer_id, ctx.send_at - timedelta(days=1))
            if recent >= ctx.caps.per_buyer_per_day:
                out.append(_raw("buyer_frequency", f"{recent} messages to this buyer in the last 24 hours "
                                f"(cap {ctx.caps.per_buyer_per_day})"))
        if amazon:
            day_start = ctx.send_at.replace(hour=0, minute=0, second=0, microsecond=0)
            today = ctx.history.sent_on_day(ctx.platform, day_start)
            if today >= ctx.caps.amazon_daily:
                out.append(_raw("daily_volume", f"{today} messages today, cap {ctx.caps.amazon_daily} "
                                f"(5 × {ctx.caps.average_daily_orders:g} average daily orders + 600)"))
    out.extend(_promises(ctx, scan))
    return out


def _promises(ctx: MessageContext, scan: Scan) -> list[Raw]:
    out: list[Raw] = []
    earliest_of = {kind: _earliest(ctx, kind) for kind in ("dispatch", "delivery")}
    if earliest_of["dispatch"] is None and earliest_of["delivery"] is None:
        return out  # no date to hold a promise against: nothing to look for
    for p in find_promises(scan.norm, ctx.local_today, ctx.locale, scan.masked):
        earliest = earliest_of[p.kind]
        if earliest is None or p.latest >= earliest:
            continue
        what = "dispatch" if p.kind == "dispatch" else "delivery"
        out.append(Raw("promise", p.start, p.end,
                       f"promises {what} by {p.latest.isoformat()} but the data says {earliest.isoformat()} "
                       f"at the earliest"))
    return out


def _earliest(ctx: MessageContext, kind: str) -> date | None:
    """The earliest date the data supports for a dispatch or a delivery promise."""
    if kind == "dispatch":
        if ctx.shipment_status and ctx.shipment_status not in ("pending", "unshipped", "created"):
            return None  # already shipped: a dispatch promise is moot
        dates = []
        if ctx.stock_available is not None and ctx.stock_available <= 0:
            if ctx.restock_eta is None:
                return None
            dates.append(ctx.restock_eta)
        if ctx.handling_days is not None:
            dates.append(ctx.local_today + timedelta(days=ctx.handling_days) if not ctx.placed_at else
                         max(ctx.placed_at.date() + timedelta(days=ctx.handling_days), ctx.local_today))
        return max(dates) if dates else None
    if ctx.delivered_at is not None or ctx.shipment_status == "delivered":
        return None  # already delivered: "was delivered on …" states a fact, it promises nothing
    # the most specific estimate: the carrier's, else the order's
    best = ctx.shipment_eta or ctx.estimated_delivery
    dates = [best] if best else []
    shipped = ctx.shipment_status not in (None, "pending", "unshipped", "created")
    if not shipped and ctx.stock_available is not None and ctx.stock_available <= 0 and ctx.restock_eta:
        dates.append(ctx.restock_eta)
    return max(dates) if dates else None


def context_from_event(event: Any, *, message_type: str | None, send_at: datetime, local_today: date,
                       history: History | None, caps: Caps) -> MessageContext:
    """The facts of an :class:`autoreply.events.Event` the context checks read."""
    order, shipment, stock = event.order, event.shipment, event.stock
    return MessageContext(
        platform=event.platform, kind=event.kind, send_at=send_at, local_today=local_today,
        message_type=message_type, proactive=event.message is None, buyer_id=event.buyer.id,
        opted_out=event.buyer.opted_out, locale=event.buyer.locale,
        placed_at=order.placed_at if order else None,
        delivered_at=shipment.delivered_at if shipment else None,
        handling_days=order.handling_days if order else None,
        estimated_delivery=order.estimated_delivery if order else None,
        latest_delivery=order.latest_delivery if order else None,
        shipment_eta=shipment.eta if shipment else None,
        shipment_status=shipment.status if shipment else None,
        stock_available=stock.available if stock else None,
        restock_eta=stock.restock_eta if stock else None,
        history=history, caps=caps,
    )
