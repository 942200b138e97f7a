"""``autoreply simulate``: the pipeline over many events (nothing stored or sent), summed up;
and ``autoreply synth``: realistic synthetic events to simulate, test or benchmark with."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from autoreply.cli import State, emit_json, read_input


@click.command()
@click.argument("events_file", metavar="EVENTS.jsonl")
@click.option("--now", "now_text", metavar="ISO",
              help="Decide every event as if it were this instant (like preview --now). "
                   "Default: each event as of its own occurred_at (a replay).")
@click.option("--html", "html_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write a self-contained HTML report with charts to this file.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object for scripts.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Processes deciding events [default: one per core].")
@click.pass_obj
def simulate(state: State, events_file: str, now_text: str | None, html_file: Path | None,
             as_json: bool, workers: int | None) -> None:
    """Run the whole pipeline over EVENTS.jsonl (JSON lines, or an array; '-' for stdin) and
    count what would happen: per rule, decision, language, compliance finding, and the hour
    messages would land for the buyer and for the seller. Nothing is stored or sent.

    The counts per rule and decision are exactly what `autoreply preview` says for each event
    at the same --now. Exit status: 0, or 1 for bad input (every bad line is named).
    """
    from autoreply.clock import parse_instant
    from autoreply.config import load_config
    from autoreply.errors import InputError, Problem
    from autoreply.simulate import run
    from autoreply.simulate_report import render_html, text

    source_text, source = read_input(events_file)
    try:
        now = parse_instant(now_text) if now_text else None
    except ValueError as exc:
        raise InputError([Problem(f"bad --now: {exc}", path="--now")]) from None
    config = load_config(state.settings)
    report = run(source_text, config=config, source=source, now=now, workers=workers)
    names = config.rules.names()
    if html_file is not None:
        try:
            html_file.write_text(render_html(report, names), encoding="utf-8")
        except OSError as exc:
            raise InputError([Problem(f"cannot write the HTML report: {exc}", file=str(html_file))]) from None
    if as_json:
        data = report.as_dict()
        data["html"] = str(html_file) if html_file else None
        emit_json(data)
    else:
        click.echo(text(report, names))
        if html_file is not None:
            click.echo(f"\nHTML report: {html_file}")


@click.command()
@click.option("-n", "--count", type=click.IntRange(min=0), default=1000, show_default=True,
              help="How many events.")
@click.option("--seed", type=int, default=1, show_default=True,
              help="The same seed gives the same events.")
@click.option("--start", "start_text", metavar="ISO", default="2026-11-23T00:00:00Z",
              show_default=True, help="When the first event occurs.")
@click.option("--hours", type=click.FloatRange(min=0.001), default=24.0, show_default=True,
              help="How long the stream lasts.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), default="-",
              show_default=True, help="JSON-lines file to write ('-' standard output).")
def synth(count: int, seed: int, start_text: str, hours: float, output: str) -> None:
    """Write COUNT realistic synthetic events as JSON lines: a cross-border seller's day on
    Amazon, AliExpress and Taobao, buyers writing in 16 languages, repeat buyers, opted-out
    Amazon buyers. Deterministic from --seed. Try rules on it with `autoreply simulate`."""
    from datetime import timedelta

    from autoreply.clock import parse_instant
    from autoreply.errors import InputError, Problem
    from autoreply.synth import write_jsonl

    try:
        start = parse_instant(start_text)
    except ValueError as exc:
        raise InputError([Problem(f"bad --start: {exc}", path="--start")]) from None
    options = {"start": start, "span": timedelta(hours=hours)}
    if output == "-":
        write_jsonl(sys.stdout, count, seed, **options)
        return
    with open(output, "w", encoding="utf-8") as fh:
        write_jsonl(fh, count, seed, **options)
    click.echo(f"wrote {count:,} events to {output}", err=True)


def register(group: click.Group) -> None:
    group.add_command(simulate)
    group.add_command(synth)
