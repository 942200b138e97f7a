"""Response-time SLAs: every buyer message opens a clock that only a person's answer stops.

**The deadline rule** (docs/TIME.md). A buyer message received at instant *t* is due at
``min(t + first_response counted in business time, t + hard_limit)``:

- business time runs only inside the seller's business hours (``[business_hours]``, the
  seller's clock and holiday calendar); with ``business_time = false`` it is wall time;
- the hard limit (24 h) is wall time and always applies — a seller closed at weekends still
  breaches a marketplace's 24-hour rule.

A message at 23:50 Shanghai time on Friday 2026-11-27 with 09:00–22:00 every day is due
Saturday 11:00 (09:00 + 2 h); with 09:00–22:00 Monday to Friday, Monday 11:00 is later than
the hard limit, so it is due Saturday 23:50. The warning goes ``warn_before`` (30 min) earlier.

**Conversations.** The key is ``platform:message.conversation_id`` when the marketplace gives
one, else ``platform:buyer:<buyer.id>`` — one thread per buyer and seller, as AliExpress chat
and Amazon buyer-seller messaging show it (the order is not part of the key: an answer in the
thread answers the buyer). A conversation has at most one running clock (a partial unique
index): later messages while unanswered keep the first message's deadline.

**Answered** means a person answered: an event of kind ``conversation_answered`` (same
platform / buyer / conversation id) or ``autoreply sla answer``. Our own auto-replies never
stop a clock — marketplaces do not count them either.

The daemon calls :meth:`SlaTracker.observe` in the inbox transaction (so a clock opens exactly
when its event is processed) and :meth:`SlaTracker.sweep` on a schedule: clocks past their
deadline become ``breached``; alerts (``due_soon``, ``breached``) are written once per clock
(unique key) and delivered — structured log line plus an optional webhook POST — with retries.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from autoreply.durations import format_duration, parse_duration
from autoreply.events import Event
from autoreply.localtime import to_local
from autoreply.logs import get_logger
from autoreply.metrics import SLA_BREACHES
from autoreply.settings import Settings
from autoreply.store import BigId, Store, UTCDateTime, metadata
from autoreply.windows import add_open_time, holiday_test

ANSWER_KIND = "conversation_answered"
RUNNING = ("open", "breached")
MAX_ALERT_ATTEMPTS = 6
ALERT_LEASE = timedelta(seconds=60)
STATS_PERIOD = timedelta(days=7)

sla_clocks = sa.Table(
    "sla_clocks", metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("conversation_key", sa.String(300), nullable=False),
    sa.Column("opened_event_id", sa.String(200), nullable=False, unique=True),
    sa.Column("platform", sa.String(64), nullable=False),
    sa.Column("marketplace", sa.String(8)),
    sa.Column("buyer_id", sa.String(200)),
    sa.Column("order_id", sa.String(100)),
    sa.Column("opened_at", UTCDateTime, nullable=False),
    sa.Column("business_due_at", UTCDateTime),
    sa.Column("hard_due_at", UTCDateTime, nullable=False),
    sa.Column("deadline", UTCDateTime, nullable=False),
    sa.Column("deadline_by", sa.String(16), nullable=False),  # first_response | hard_limit
    sa.Column("warn_at", UTCDateTime, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),  # open breached answered answered_late
    sa.Column("messages", sa.Integer, nullable=False, server_default="1"),
    sa.Column("last_message_at", UTCDateTime, nullable=False),
    sa.Column("breached_at", UTCDateTime),
    sa.Column("answered_at", UTCDateTime),
    sa.Column("answered_by", sa.String(100)),
    sa.Column("answer_event_id", sa.String(200)),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
)
_running = sla_clocks.c.status.in_(RUNNING)
sa.Index("uq_sla_running_conversation", sla_clocks.c.conversation_key, unique=True,
         sqlite_where=_running, postgresql_where=_running)
sa.Index("ix_sla_status_deadline", sla_clocks.c.status, sla_clocks.c.deadline)

sla_alerts = sa.Table(
    "sla_alerts", metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("clock_id", BigId, sa.ForeignKey("sla_clocks.id", ondelete="CASCADE"), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),  # due_soon | breached
    sa.Column("state", sa.String(16), nullable=False),  # pending | sent | failed
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("next_at", UTCDateTime, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("sent_at", UTCDateTime),
    sa.Column("last_error", sa.Text),
    sa.UniqueConstraint("clock_id", "kind", name="uq_sla_alert_once"),
)
sa.Index("ix_sla_alerts_due", sla_alerts.c.state, sla_alerts.c.next_at)


# --------------------------------------------------------------------------- the rule
@dataclass(frozen=True)
class Deadline:
    opened_at: datetime
    business_due_at: datetime | None
    hard_due_at: datetime
    deadline: datetime
    deadline_by: str
    warn_at: datetime
    rule: str

    def as_dict(self, seller_zone: str) -> dict[str, Any]:
        def both(value: datetime | None) -> dict[str, str] | None:
            if value is None:
                return None
            return {"utc": value.isoformat().replace("+00:00", "Z"),
                    "seller_local": to_local(value, seller_zone).isoformat()}
        return {"opened_at": both(self.opened_at), "business_due_at": both(self.business_due_at),
                "hard_due_at": both(self.hard_due_at), "deadline": both(self.deadline),
                "deadline_by": self.deadline_by, "warn_at": both(self.warn_at), "rule": self.rule}


def _iso(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value is not None else None


def seller_zone(settings: Settings) -> str:
    return settings.business_hours.timezone or settings.seller.timezone


def deadline_for(opened_at: datetime, settings: Settings, platform: str) -> Deadline:
    """The documented deadline of a buyer message received at ``opened_at`` on ``platform``."""
    sla = settings.sla
    override = sla.platforms.get(platform)
    first = parse_duration((override and override.first_response) or sla.first_response)
    hard = parse_duration((override and override.hard_limit) or sla.hard_limit)
    business = sla.business_time if override is None or override.business_time is None \
        else override.business_time
    hard_due = opened_at + hard
    business_due: datetime | None
    if business:
        hours = settings.business_hours
        business_due = add_open_time(hours.window(), seller_zone(settings), opened_at, first,
                                     holiday_test(hours.holiday_calendar))
        rule = (f"{format_duration(first)} of business hours "
                f"({hours.window().describe()}, {seller_zone(settings)}), at most "
                f"{format_duration(hard)}")
    else:
        business_due = opened_at + first
        rule = f"{format_duration(first)}, at most {format_duration(hard)}"
    if business_due is not None and business_due <= hard_due:
        deadline, by = business_due, "first_response"
    else:
        deadline, by = hard_due, "hard_limit"
    warn_at = max(opened_at, deadline - parse_duration(sla.warn_before))
    return Deadline(opened_at, business_due, hard_due, deadline, by, warn_at, rule)


def conversation_key(event: Event) -> str:
    """``platform:conversation_id``, else ``platform:buyer:<id>``, else the event's own id."""
    if event.message is not None and event.message.conversation_id:
        return f"{event.platform}:{event.message.conversation_id}"
    if event.buyer.id:
        return f"{event.platform}:buyer:{event.buyer.id}"
    return f"{event.platform}:event:{event.id}"


# --------------------------------------------------------------------------- tracking
@dataclass
class SweepResult:
    breached: int = 0
    alerts_created: int = 0
    alerts_sent: int = 0
    alerts_failed: int = 0


class SlaTracker:
    """Opens, closes and watches SLA clocks. ``settings`` is a getter (reload-safe)."""

    def __init__(self, settings: Callable[[], Settings], *,
                 webhook_secret: Callable[[], str | None] | None = None) -> None:
        self.settings = settings
        self.webhook_secret = webhook_secret or (lambda: None)
        self.log = get_logger(component="sla")

    def _insert(self, conn: Connection, table: sa.Table) -> Any:
        return (postgresql.insert(table) if conn.dialect.name == "postgresql"
                else sqlite.insert(table))

    # -- events (called by the inbox worker inside its transaction) --------------------
    def observe(self, conn: Connection, event: Event, now: datetime) -> None:
        settings = self.settings()
        if not settings.sla.enabled:
            return
        key = conversation_key(event)
        if event.kind == ANSWER_KIND:
            self._close(conn, key, at=event.occurred_at, by="event", event_id=event.id, now=now)
            return
        if event.message is None:
            return
        received = event.message.received_at or event.occurred_at
        due = deadline_for(received, settings, event.platform)
        stmt = self._insert(conn, sla_clocks).values(
            conversation_key=key, opened_event_id=event.id, platform=event.platform,
            marketplace=event.marketplace, buyer_id=event.buyer.id,
            order_id=event.order.id if event.order else None, opened_at=received,
            business_due_at=due.business_due_at, hard_due_at=due.hard_due_at,
            deadline=due.deadline, deadline_by=due.deadline_by, warn_at=due.warn_at,
            status="open", messages=1, last_message_at=received, created_at=now, updated_at=now,
        ).on_conflict_do_nothing().returning(sla_clocks.c.id)
        if conn.execute(stmt).first() is not None:
            self.log.info("sla_opened", conversation=key, event_id=event.id,
                          deadline=_iso(due.deadline), deadline_by=due.deadline_by)
            return
        # the conversation already has a running clock: it keeps its (earlier) deadline
        conn.execute(
            sla_clocks.update()
            .where(sla_clocks.c.conversation_key == key, _running,
                   sla_clocks.c.opened_event_id != event.id)
            .values(messages=sla_clocks.c.messages + 1, updated_at=now,
                    last_message_at=sa.func.max(sla_clocks.c.last_message_at, received)
                    if conn.dialect.name == "sqlite"
                    else sa.func.greatest(sla_clocks.c.last_message_at, received))
        )

    def _close(self, conn: Connection, key: str, *, at: datetime, by: str, event_id: str | None,
               now: datetime) -> int:
        rows = conn.execute(sa.select(sla_clocks.c.id, sla_clocks.c.deadline)
                            .where(sla_clocks.c.conversation_key == key, _running)).all()
        for row in rows:
            late = at > row.deadline
            conn.execute(sla_clocks.update()
                         .where(sla_clocks.c.id == row.id, _running)
                         .values(status="answered_late" if late else "answered", answered_at=at,
                                 answered_by=by, answer_event_id=event_id, updated_at=now))
            self.log.info("sla_answered", conversation=key, late=late, by=by)
        return len(rows)

    def answer(self, store: Store, ident: str, *, at: datetime, by: str, now: datetime) -> int:
        """Mark a conversation (key, or clock id) answered by a person; returns clocks closed."""
        with store.begin() as conn:
            key = ident
            if ident.isdigit():
                found = conn.execute(sa.select(sla_clocks.c.conversation_key)
                                     .where(sla_clocks.c.id == int(ident))).scalar()
                key = found or ident
            return self._close(conn, key, at=at, by=by, event_id=None, now=now)

    # -- the scheduled sweep ----------------------------------------------------------
    def sweep(self, store: Store, now: datetime) -> SweepResult:
        result = SweepResult()
        settings = self.settings()
        if not settings.sla.enabled:
            return result
        with store.begin() as conn:
            late = conn.execute(
                sa.select(sla_clocks.c.id, sla_clocks.c.platform, sla_clocks.c.deadline_by)
                .where(sla_clocks.c.status == "open", sla_clocks.c.deadline <= now)
            ).all()
            for row in late:
                changed = conn.execute(
                    sla_clocks.update().where(sla_clocks.c.id == row.id,
                                              sla_clocks.c.status == "open")
                    .values(status="breached", breached_at=now, updated_at=now)).rowcount
                if changed:
                    result.breached += 1
                    SLA_BREACHES.labels(row.platform, row.deadline_by).inc()
                    result.alerts_created += self._alert(conn, row.id, "breached", now)
            warn = conn.execute(
                sa.select(sla_clocks.c.id).where(sla_clocks.c.status == "open",
                                                 sla_clocks.c.warn_at <= now)
            ).scalars().all()
            for clock_id in warn:
                result.alerts_created += self._alert(conn, clock_id, "due_soon", now)
        self._deliver(store, now, result)
        return result

    def _alert(self, conn: Connection, clock_id: int, kind: str, now: datetime) -> int:
        stmt = self._insert(conn, sla_alerts).values(
            clock_id=clock_id, kind=kind, state="pending", attempts=0, next_at=now, created_at=now,
        ).on_conflict_do_nothing().returning(sla_alerts.c.id)
        return int(conn.execute(stmt).first() is not None)

    def _deliver(self, store: Store, now: datetime, result: SweepResult) -> None:
        settings = self.settings()
        with store.engine.connect() as conn:
            pending = conn.execute(
                sa.select(sla_alerts.c.id).where(sla_alerts.c.state == "pending",
                                                 sla_alerts.c.next_at <= now)
                .order_by(sla_alerts.c.id).limit(200)
            ).scalars().all()
        for alert_id in pending:
            with store.begin() as conn:  # claim: whoever moves next_at owns the delivery
                claimed = conn.execute(
                    sla_alerts.update().where(sla_alerts.c.id == alert_id,
                                              sla_alerts.c.state == "pending",
                                              sla_alerts.c.next_at <= now)
                    .values(next_at=now + ALERT_LEASE)).rowcount
                if not claimed:
                    continue
                row = conn.execute(
                    sa.select(sla_alerts.c.kind, sla_alerts.c.attempts, sla_clocks)
                    .join(sla_clocks, sla_clocks.c.id == sla_alerts.c.clock_id)
                    .where(sla_alerts.c.id == alert_id)).one()
            payload = alert_payload(row, now, seller_zone(settings))
            log = self.log.bind(conversation=row.conversation_key, alert=row.kind)
            log.warning(f"sla_{row.kind}", deadline=payload["deadline"],
                        minutes_left=payload["minutes_left"], platform=row.platform)
            error = self._post(settings, payload) if settings.sla.webhook_url else None
            attempts = row.attempts + 1
            with store.begin() as conn:
                if error is None:
                    values: dict[str, Any] = {"state": "sent", "sent_at": now, "attempts": attempts}
                    result.alerts_sent += 1
                elif attempts >= MAX_ALERT_ATTEMPTS:
                    values = {"state": "failed", "attempts": attempts, "last_error": error}
                    result.alerts_failed += 1
                    log.error("sla_alert_failed", error=error, attempts=attempts)
                else:
                    values = {"attempts": attempts, "last_error": error,
                              "next_at": now + timedelta(seconds=15 * 2 ** attempts)}
                    log.warning("sla_alert_retry", error=error, attempts=attempts)
                conn.execute(sla_alerts.update().where(sla_alerts.c.id == alert_id).values(**values))

    def _post(self, settings: Settings, payload: dict[str, Any]) -> str | None:
        """POST the alert; None when the receiver took it (2xx), else what went wrong."""
        body = json.dumps(payload, ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json", "User-Agent": "autoreply-sla"}
        secret = self.webhook_secret()
        if secret:
            digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
            headers["X-Autoreply-Signature"] = f"sha256={digest}"
        assert settings.sla.webhook_url is not None
        import httpx  # only with an SLA webhook: not in every daemon's memory

        try:
            response = httpx.post(settings.sla.webhook_url, content=body, headers=headers,
                                  timeout=settings.sla.webhook_timeout_seconds)
        except httpx.HTTPError as exc:
            return f"{type(exc).__name__}: {exc}"
        if 200 <= response.status_code < 300:
            return None
        return f"HTTP {response.status_code}"


def alert_payload(row: Any, now: datetime, zone: str) -> dict[str, Any]:
    """The webhook body: the conversation and its deadline — never the buyer's words."""
    return {
        "alert": f"sla_{row.kind}",
        "conversation": row.conversation_key,
        "clock_id": row.id,
        "platform": row.platform,
        "marketplace": row.marketplace,
        "buyer_id": row.buyer_id,
        "order_id": row.order_id,
        "opened_at": _iso(row.opened_at),
        "deadline": _iso(row.deadline),
        "deadline_seller_local": to_local(row.deadline, zone).isoformat(),
        "deadline_by": row.deadline_by,
        "minutes_left": round((row.deadline - now).total_seconds() / 60, 1),
        "messages": row.messages,
    }


# --------------------------------------------------------------------------- reporting
def summary(store: Store, now: datetime, settings: Settings) -> dict[str, Any]:
    """The SLA figures ``autoreply status`` shows."""
    since = now - STATS_PERIOD
    with store.engine.connect() as conn:
        counts: dict[str, int] = {str(k): int(v) for k, v in conn.execute(
            sa.select(sla_clocks.c.status, sa.func.count()).group_by(sla_clocks.c.status)).all()}
        due_soon = conn.execute(sa.select(sa.func.count()).select_from(sla_clocks).where(
            sla_clocks.c.status == "open", sla_clocks.c.warn_at <= now)).scalar_one()
        overdue = conn.execute(sa.select(sa.func.count()).select_from(sla_clocks).where(
            sla_clocks.c.status == "open", sla_clocks.c.deadline <= now)).scalar_one()
        recent: dict[str, int] = {str(k): int(v) for k, v in conn.execute(
            sa.select(sla_clocks.c.status, sa.func.count())
            .where(sla_clocks.c.opened_at >= since, sla_clocks.c.status != "open")
            .group_by(sla_clocks.c.status)).all()}
        next_deadline = conn.execute(sa.select(sa.func.min(sla_clocks.c.deadline)).where(
            sla_clocks.c.status == "open")).scalar()
    settled = sum(int(v) for v in recent.values())
    within = int(recent.get("answered", 0))
    return {
        "enabled": settings.sla.enabled,
        "open": int(counts.get("open", 0)),
        "due_soon": int(due_soon),
        "breached": int(counts.get("breached", 0)) + int(overdue),
        "answered": int(counts.get("answered", 0)),
        "answered_late": int(counts.get("answered_late", 0)),
        "answered_within_sla_pct_7d": round(100.0 * within / settled, 1) if settled else None,
        "next_deadline": _iso(next_deadline),
    }


def list_clocks(store: Store, *, status: str | None, now: datetime, limit: int = 100) -> list[Any]:
    query = sa.select(sla_clocks).order_by(sla_clocks.c.deadline).limit(limit)
    if status == "due_soon":
        query = query.where(sla_clocks.c.status == "open", sla_clocks.c.warn_at <= now)
    elif status == "breached":
        query = query.where(sa.or_(sla_clocks.c.status == "breached",
                                   sa.and_(sla_clocks.c.status == "open",
                                           sla_clocks.c.deadline <= now)))
    elif status:
        query = query.where(sla_clocks.c.status == status)
    with store.engine.connect() as conn:
        return list(conn.execute(query).all())
