"""``autoreply preview``: the whole pipeline on one event, nothing stored or sent."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from autoreply.cli import State, emit_json, read_input

EXIT = {"queue": 0, "blocked": 3, "skipped": 4, "no_rule": 4}


def _mark(ok: bool) -> str:
    return click.style("✓", fg="green") if ok else click.style("✗", fg="red")


def print_human(out: dict[str, Any]) -> None:
    def row(label: str, value: Any) -> None:
        click.echo(f"{label:<11}{value}")

    colour = {"queue": "green", "blocked": "red"}.get(out["decision"], "yellow")
    row("event", out["event_id"])
    row("decision", click.style(out["decision"], fg=colour, bold=True)
        + (f"  ({out['reason']})" if out.get("reason") else ""))
    row("rule", out["rule"] or "-")
    lang = out.get("language") or {}
    if lang:
        detected = (f"detected {lang['detected']} {lang['confidence']:.2f}" if lang.get("detected")
                    else "nothing detected")
        row("language", f"{lang['chosen']} ({lang['reason']}; {detected}; template {lang['template_language']})")
        if lang.get("detail"):
            row("", f"· {lang['detail']}")
    zone = out["timezone"] + f" ({out['timezone_source']}{', ambiguous' if out.get('timezone_ambiguous') else ''})"
    row("timezone", zone)
    if out.get("send_at"):
        row("send at", f"{out['send_at']} buyer local = {out['send_at_utc']}")
        for reason in out.get("send_reasons", []):
            row("", f"· {reason}")
    message = out.get("message")
    if message:
        row("channel", f"{message['channel']} → {message.get('recipient') or '-'}")
        row("subject", message["subject"])
        click.echo("body")
        for line in message["body"].splitlines() or [""]:
            click.echo(f"  │ {line}")
    verdict = out["compliance"]["verdict"]
    row("compliance", click.style(verdict, fg={"pass": "green", "warn": "yellow"}.get(verdict, "red")))
    for f in out["compliance"]["findings"]:
        row("", f"· {f['severity']} {f['check']} [{f['field']} {f['start']}:{f['end']}] "
                f"{f['excerpt']!r}: {f['message']}")
    if len(out.get("decisions", [])) > 1:
        click.echo("messages")
        for d in out["decisions"]:
            click.echo(f"  {d['rule']}: {d['decision']} ({d['language']['chosen'] if d.get('language') else '-'},"
                       f" {d['send_at'] or '-'})")
    click.echo("rules")
    width = max((len(e["rule"]) for e in out["explain"]), default=0)
    for e in out["explain"]:
        if e["status"] == "not_reached":
            click.echo(f"  - {e['rule']:<{width}}  not reached (an earlier rule matched)")
            continue
        failing = [c for c in e["checks"] if not c["ok"]]
        shown = failing or e["checks"]
        detail = "; ".join(f"{c['field']}: {c['detail']}" for c in shown) or "matches everything"
        click.echo(f"  {_mark(e['matched'])} {e['rule']:<{width}}  {detail}")


@click.command()
@click.argument("event_file", metavar="EVENT.json")
@click.option("--now", "now_text", metavar="ISO", help="Decide as if it were this instant (with offset).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object for scripts.")
@click.pass_obj
def preview(state: State, event_file: str, now_text: str | None, as_json: bool) -> None:
    """Run the whole pipeline on EVENT.json ('-' for stdin); store and send nothing.

    Exit status: 0 would be queued, 3 blocked by compliance, 4 no rule or skipped, 1 bad input.
    """
    from autoreply.clock import parse_instant
    from autoreply.config import load_config
    from autoreply.daemon import build_detector, clock_from
    from autoreply.errors import InputError, Problem
    from autoreply.events import parse_events
    from autoreply.pipeline import Engine

    text, source = read_input(event_file)
    events = parse_events(text, source=source)
    try:
        now = parse_instant(now_text) if now_text else clock_from(state.settings).now()
    except ValueError as exc:
        raise InputError([Problem(f"bad --now: {exc}", path="--now")]) from None
    config = load_config(state.settings)
    engine = Engine(config, build_detector(state.settings, config.templates.all_languages()))
    codes = []
    with _history(state.settings) as history:
        outs = [engine.decide(event, now, history=history).as_dict() for event in events]
    for index, out in enumerate(outs):
        codes.append(EXIT[out["decision"]])
        if as_json:
            emit_json(out)
        else:
            if index:
                click.echo()
            print_human(out)
    raise SystemExit(0 if 0 in codes else (3 if 3 in codes else 4))


@contextmanager
def _history(settings: Any) -> Iterator[Any]:
    """The outbox counts for the caps, read-only, when a database exists; else nothing stored."""
    from autoreply.compliance import NoHistory

    url = settings.database_url
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        yield NoHistory()
        return
    import sqlalchemy as sa

    from autoreply.compliance.history import OutboxHistory
    from autoreply.store import Store

    store = Store(url, create_dirs=False)
    try:
        try:
            conn = store.engine.connect()
            has_outbox = sa.inspect(conn).has_table("outbox")
        except sa.exc.OperationalError:
            yield NoHistory()
            return
        with conn:
            yield OutboxHistory(conn) if has_outbox else NoHistory()
    finally:
        store.close()


def register(group: click.Group) -> None:
    group.add_command(preview)
