"""``autoreply sla list|answer|deadline``: response-time clocks (docs/TIME.md)."""

from __future__ import annotations

from typing import Any

import click

from autoreply.cli import State, emit_json
from autoreply.errors import InputError, Problem

STATUSES = ("open", "due_soon", "breached", "answered", "answered_late")


def _store(state: State) -> Any:
    import autoreply.sla  # noqa: F401  (defines the SLA tables before migrate)
    from autoreply.store import Store

    settings = state.settings
    store = Store(settings.database_url, sqlite_synchronous=settings.store.sqlite_synchronous)
    store.migrate()
    return store


def _now(state: State, text: str | None = None) -> Any:
    from autoreply.clock import parse_instant
    from autoreply.daemon import clock_from

    if text:
        try:
            return parse_instant(text)
        except ValueError as exc:
            raise InputError([Problem(f"bad instant: {exc}", path="--at")]) from None
    return clock_from(state.settings).now()


@click.group()
def sla() -> None:
    """Response-time SLAs: open, due soon, breached and answered conversations."""


@sla.command("list")
@click.option("--status", type=click.Choice(STATUSES), help="Only these (default: all).")
@click.option("--limit", default=100, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def sla_list(state: State, status: str | None, limit: int, as_json: bool) -> None:
    """Conversations with an SLA clock, soonest deadline first."""
    from autoreply.localtime import to_local
    from autoreply.sla import list_clocks, seller_zone

    store = _store(state)
    now = _now(state)
    try:
        rows = list_clocks(store, status=status, now=now, limit=limit)
    finally:
        store.close()
    zone = seller_zone(state.settings)
    if as_json:
        emit_json([{k: (v.isoformat().replace("+00:00", "Z") if hasattr(v, "isoformat") else v)
                    for k, v in dict(r._mapping).items()} for r in rows])
        return
    if not rows:
        click.echo("no conversations")
        return
    click.echo(f"{'ID':>5}  {'STATUS':<13}  {'DEADLINE (' + zone + ')':<28}  {'LEFT':>8}  CONVERSATION")
    for r in rows:
        left = (r.deadline - now).total_seconds() / 60
        shown = f"{left:.0f}m" if r.status in ("open", "breached") else "-"
        click.echo(f"{r.id:>5}  {r.status:<13}  {to_local(r.deadline, zone).strftime('%a %Y-%m-%d %H:%M'):<28}"
                   f"  {shown:>8}  {r.conversation_key}")


@sla.command("answer")
@click.argument("conversation")
@click.option("--by", default="cli", show_default=True, help="Who answered.")
@click.option("--at", "at_text", metavar="ISO", help="When (default: now).")
@click.pass_obj
def sla_answer(state: State, conversation: str, by: str, at_text: str | None) -> None:
    """Mark CONVERSATION (its key, e.g. aliexpress:buyer:b-77, or a clock id) answered by a person."""
    from autoreply.sla import SlaTracker

    store = _store(state)
    now = _now(state)
    try:
        closed = SlaTracker(lambda: state.settings).answer(
            store, conversation, at=_now(state, at_text) if at_text else now, by=by, now=now)
    finally:
        store.close()
    if not closed:
        raise InputError([Problem(f"no open conversation {conversation!r}")])
    click.echo(f"{conversation}: answered ({closed} clock(s) stopped)")


@sla.command("deadline")
@click.option("--at", "at_text", metavar="ISO", required=True, help="When the buyer wrote.")
@click.option("--platform", default="aliexpress", show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def sla_deadline(state: State, at_text: str, platform: str, as_json: bool) -> None:
    """The deadline the configured rule gives a buyer message written --at ISO."""
    from autoreply.sla import deadline_for, seller_zone

    due = deadline_for(_now(state, at_text), state.settings, platform)
    out = due.as_dict(seller_zone(state.settings))
    if as_json:
        emit_json(out)
        return
    for key in ("opened_at", "business_due_at", "hard_due_at", "deadline", "warn_at"):
        value = out[key]
        click.echo(f"{key:<16} {value['seller_local'] if value else '-'}")
    click.echo(f"{'deadline_by':<16} {out['deadline_by']}")
    click.echo(f"{'rule':<16} {out['rule']}")


def register(group: click.Group) -> None:
    group.add_command(sla)
