"""``autoreply compliance check``: run the compliance engine on raw text.

    autoreply compliance check --platform amazon [--subject S] [--message-type T] [--json] [FILE|-]
    autoreply compliance check --jsonl FILE|-     # {"id","platform","subject"?,"message_type"?,"text"} per line

Exit status: 0 pass or warn, 3 when anything is blocked, 1 bad input.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from autoreply.cli import State, emit_json, read_input, read_jsonl

EXIT_BLOCK = 3


def _engine(state: State) -> Any:
    """The engine with the seller's policy file when a settings file is there, else the shipped packs."""
    from autoreply.compliance import ComplianceEngine, load_seller_policy

    config_file = state.config_file
    try:
        settings = state.settings
    except Exception:  # no settings file: the shipped packs alone
        if config_file is not None:
            raise
        return ComplianceEngine()
    return ComplianceEngine(load_seller_policy(settings.compliance_policy_path))


def highlight(text: str, findings: list[dict[str, Any]]) -> str:
    """The text with each finding's span marked (red on a terminal, »…« otherwise)."""
    spans = sorted({(f["start"], f["end"]) for f in findings if f["end"] > f["start"]})
    out: list[str] = []
    pos = 0
    for a, b in spans:
        if a < pos:
            continue
        out.append(text[pos:a])
        out.append(click.style(text[a:b], fg="red", bold=True, underline=True)
                   if sys.stdout.isatty() else f"»{text[a:b]}«")
        pos = b
    out.append(text[pos:])
    return "".join(out)


def print_human(verdict: dict[str, Any], subject: str | None, body: str) -> None:
    colour = {"pass": "green", "warn": "yellow"}.get(verdict["verdict"], "red")
    click.echo(f"verdict  {click.style(verdict['verdict'], fg=colour, bold=True)}")
    for f in verdict["findings"]:
        text = subject if f["field"] == "subject" else body
        line = (text or "").count("\n", 0, f["start"]) + 1
        click.echo(f"  {f['severity']:<5} {f['check']:<20} {f['field']}:{line} [{f['start']}:{f['end']}] "
                   f"{f['excerpt']!r}")
        click.echo(f"        {f['message']}")
        if f.get("source"):
            click.echo(f"        source: {f['source']}")
    body_findings = [f for f in verdict["findings"] if f["field"] == "body"]
    if body_findings:
        click.echo("text")
        for shown in highlight(body, body_findings).splitlines() or [""]:
            click.echo(f"  │ {shown}")


@click.group()
def compliance() -> None:
    """Check text against the marketplaces' messaging rules."""


@compliance.command("check")
@click.argument("file", required=False, default=None, metavar="[FILE|-]")
@click.option("--platform", "-p", help="amazon, aliexpress, taobao (others: the generic pack).")
@click.option("--subject", "-s", default=None, help="The message's subject line.")
@click.option("--message-type", "-t", "message_type", default=None,
              help="Amazon SP-API message type (e.g. confirmDeliveryDetails): "
                   "decides whether '[Important]' is allowed.")
@click.option("--json", "as_json", is_flag=True, help="Print the verdict as JSON.")
@click.option("--jsonl", "jsonl", default=None, metavar="FILE|-",
              help='Batch: {"id","platform","subject"?,"message_type"?,"text"} per line → {"id","verdict","findings"}.')
@click.pass_obj
def check(state: State, file: str | None, platform: str | None, subject: str | None, message_type: str | None,
          as_json: bool, jsonl: str | None) -> None:
    """Check FILE ('-' or nothing: standard input); exit 0 pass/warn, 3 block, 1 bad input."""
    from autoreply.errors import InputError, Problem

    engine = _engine(state)
    if jsonl is not None:
        lines, source, problems = read_jsonl(jsonl)
        items: list[dict[str, Any]] = []
        for number, item in lines:
            if not isinstance(item.get("text"), str):
                problems.append(Problem('each line needs "text" (a string)', file=source, line=number))
                continue
            if item.get("message_type") is not None and not isinstance(item["message_type"], str):
                problems.append(Problem('"message_type" must be a string', file=source, line=number))
                continue
            p = item.get("platform") or platform
            if not isinstance(p, str) or not p:
                problems.append(Problem('no "platform" on this line and no --platform', file=source, line=number))
                continue
            items.append({**item, "platform": p, "_line": number})
        if problems:
            raise InputError(problems)
        blocked = False
        for item in items:
            verdict = engine.check(platform=item["platform"], subject=item.get("subject"), body=item["text"],
                                   message_type=item.get("message_type") or message_type)
            blocked |= verdict.verdict == "block"
            click.echo(json.dumps({"id": item.get("id", item["_line"]), **verdict.as_dict()},
                                  ensure_ascii=False))
        raise SystemExit(EXIT_BLOCK if blocked else 0)
    if not platform:
        raise InputError([Problem("--platform is required (or use --jsonl with a platform per line)",
                                  path="--platform")])
    body, _ = read_input(file or "-")
    verdict = engine.check(platform=platform, subject=subject, body=body, message_type=message_type)
    data = verdict.as_dict()
    if as_json:
        emit_json(data)
    else:
        print_human(data, subject, body)
    raise SystemExit(EXIT_BLOCK if verdict.verdict == "block" else 0)


def register(group: click.Group) -> None:
    group.add_command(compliance)
