"""``autoreply queue list|show|cancel|retry`` and ``autoreply status``."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import click

from autoreply.cli import State, emit_json
from autoreply.errors import InputError, Problem

STATUS_COLOURS = {"sent": "green", "scheduled": "cyan", "sending": "blue", "failed": "red",
                  "blocked": "red", "cancelled": "yellow", "superseded": "yellow",
                  "suppressed": "yellow"}


def _store(state: State) -> Any:
    from autoreply.store import Store

    settings = state.settings
    store = Store(settings.database_url, sqlite_synchronous=settings.store.sqlite_synchronous)
    store.migrate()
    return store


def _now(state: State) -> Any:
    from autoreply.daemon import clock_from

    return clock_from(state.settings).now()


def _iso(value: Any) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value is not None else None


def row_dict(row: Any) -> dict[str, Any]:
    data = dict(row._mapping)
    for key, value in list(data.items()):
        if hasattr(value, "isoformat"):
            data[key] = _iso(value)
    if data.get("details"):
        data["details"] = json.loads(data["details"])
    return data


@click.group()
def queue() -> None:
    """The outbox: what is scheduled, sent, failed or blocked."""


@queue.command("list")
@click.option("--status", type=click.Choice(["scheduled", "sending", "sent", "failed", "blocked",
                                             "cancelled", "superseded", "suppressed"]))
@click.option("--limit", default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def queue_list(state: State, status: str | None, limit: int, as_json: bool) -> None:
    """List messages, newest first."""
    store = _store(state)
    try:
        rows = store.list_messages(status=status, limit=limit)
    finally:
        store.close()
    if as_json:
        keep = ("id", "message_id", "event_id", "rule", "platform", "channel", "language",
                "timezone", "status", "status_reason", "send_at", "sent_at", "attempts",
                "last_status_code", "last_error")
        emit_json([{k: row_dict(r)[k] for k in keep} for r in rows])
        return
    if not rows:
        click.echo("no messages")
        return
    header = f"{'ID':>6}  {'STATUS':<10}  {'SEND AT (UTC)':<20}  {'RULE':<22}  {'LANG':<5}  {'EVENT'}"
    click.echo(header)
    for r in rows:
        status_text = click.style(f"{r.status:<10}", fg=STATUS_COLOURS.get(r.status))
        send_at = r.send_at.strftime("%Y-%m-%d %H:%M:%S")
        click.echo(f"{r.id:>6}  {status_text}  {send_at:<20}  {r.rule[:22]:<22}  "
                   f"{(r.language or '-'):<5}  {r.event_id}")


@queue.command("show")
@click.argument("ident")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def queue_show(state: State, ident: str, as_json: bool) -> None:
    """One message with every attempt (by id, message id or idempotency key)."""
    store = _store(state)
    try:
        row = store.get_message(ident)
        if row is None:
            raise InputError([Problem(f"no message {ident!r}")])
        tries = [row_dict(a) for a in store.attempts_of(row.id)]
    finally:
        store.close()
    data = row_dict(row)
    data["attempt_log"] = tries
    if as_json:
        emit_json(data)
        return
    for key in ("id", "message_id", "idempotency_key", "event_id", "rule", "template", "platform",
                "marketplace", "channel", "recipient", "language", "timezone", "status",
                "status_reason", "send_at", "next_attempt_at", "sent_at", "attempts",
                "last_status_code", "last_error", "created_at", "updated_at"):
        click.echo(f"{key:<16} {data.get(key) if data.get(key) is not None else '-'}")
    details = data.get("details") or {}
    if details.get("send_at_local"):
        click.echo(f"{'send_at_local':<16} {details['send_at_local']}")
    click.echo(f"{'subject':<16} {data.get('subject') or '-'}")
    click.echo("body")
    for line in (data.get("body") or "").splitlines():
        click.echo(f"  │ {line}")
    findings = (details.get("compliance") or {}).get("findings") or []
    for f in findings:
        click.echo(f"finding          {f['severity']} {f['check']} {f['excerpt']!r}: {f['message']}")
    click.echo("attempts")
    if not tries:
        click.echo("  none")
    for a in tries:
        click.echo(f"  #{a['number']} {a['started_at']} {a['outcome']:<7} {a['status_code'] or '-'} "
                   f"{a['error'] or ''}")


def _change(state: State, ident: str, *, to: str, allowed: tuple[str, ...], verb: str) -> None:
    store = _store(state)
    try:
        row = store.get_message(ident)
        if row is None:
            raise InputError([Problem(f"no message {ident!r}")])
        now = _now(state)
        ok = store.set_status(row.id, to=to, allowed_from=allowed, now=now,
                              reason=f"{verb} by user", next_attempt_at=now if to == "scheduled" else None)
    finally:
        store.close()
    if not ok:
        raise InputError([Problem(f"message {row.id} is {row.status}; only {', '.join(allowed)} "
                                  f"messages can be {verb}")])
    click.echo(f"message {row.id} {verb}")


@queue.command("cancel")
@click.argument("ident")
@click.pass_obj
def queue_cancel(state: State, ident: str) -> None:
    """Cancel a scheduled message."""
    _change(state, ident, to="cancelled", allowed=("scheduled",), verb="cancelled")


@queue.command("retry")
@click.argument("ident")
@click.pass_obj
def queue_retry(state: State, ident: str) -> None:
    """Send a failed, cancelled, superseded or suppressed message again, now (fresh attempts)."""
    _change(state, ident, to="scheduled", allowed=("failed", "cancelled", "superseded", "suppressed"),
            verb="retried")


@click.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def status(state: State, as_json: bool) -> None:
    """Counts by state, the oldest due message, the send rate, SLA figures and the last errors."""
    from autoreply.sla import summary as sla_summary

    store = _store(state)
    now = _now(state)
    try:
        counts = store.counts()
        inbox = store.inbox_counts()
        oldest = store.oldest_due(now)
        due = store.due_count(now)
        sent_hour = store.sent_since(now - timedelta(hours=1))
        sent_5m = store.sent_since(now - timedelta(minutes=5))
        tries = store.attempts_since(now - timedelta(hours=1))
        errors = [row_dict(r) for r in store.last_errors()]
        sla = sla_summary(store, now, state.settings)
    finally:
        store.close()
    data = {
        "now": _iso(now),
        "outbox": counts,
        "inbox": inbox,
        "oldest_due": _iso(oldest),
        "oldest_due_lag_seconds": round((now - oldest).total_seconds(), 1) if oldest else None,
        "due_now": due,
        "sent_last_hour": sent_hour,
        "send_rate_per_minute": round(sent_5m / 5, 1),
        "attempts_last_hour": tries,
        "last_errors": errors,
        "sla": sla,
    }
    if as_json:
        emit_json(data)
        return
    click.echo("outbox   " + ("  ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "empty"))
    click.echo("inbox    " + ("  ".join(f"{k} {v}" for k, v in sorted(inbox.items())) or "empty"))
    click.echo(f"due      {due} now" + (f", oldest due since {_iso(oldest)}" if oldest else ""))
    click.echo(f"sent     {sent_hour} in the last hour, {data['send_rate_per_minute']}/min "
               "over the last 5 minutes")
    click.echo("attempts " + ("  ".join(f"{k} {v}" for k, v in sorted(tries.items()))
                              or "none in the last hour"))
    pct = sla["answered_within_sla_pct_7d"]
    click.echo(f"sla      open {sla['open']}  due soon {sla['due_soon']}  breached {sla['breached']}"
               f"  answered within SLA (7d) {'-' if pct is None else f'{pct}%'}"
               + (f"  next deadline {sla['next_deadline']}" if sla["next_deadline"] else ""))
    for e in errors:
        click.echo(f"error    message {e['outbox_id']} {e['finished_at']} {e['outcome']} "
                   f"{e['status_code'] or '-'} {e['error'] or ''}")


def register(group: click.Group) -> None:
    group.add_command(queue)
    group.add_command(status)
