"""``autoreply lang detect``: the language of a text, how sure, and why.

The detector is the daemon's own (same languages — those the installed templates cover — and
the same accuracy setting), loaded once per run, so a whole file is evaluated in one process.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from autoreply.cli import State, emit_json, read_input, read_jsonl
from autoreply.errors import ConfigError, InputError, Problem


def _languages(state: State, explicit: str | None) -> tuple[list[str], Any]:
    """The languages to detect among, and the settings (``None`` when there is no config)."""
    from autoreply.langdetect import DEFAULT_LANGUAGES

    settings = None
    try:
        settings = state.settings
    except ConfigError:
        if state.config_file is not None and Path(state.config_file).exists():
            raise
    if explicit:
        return [code.strip() for code in explicit.split(",") if code.strip()], settings
    if settings is not None and settings.templates_path.is_dir():
        found = sorted({p.stem.split("-")[0] for p in settings.templates_path.glob("[!_.]*/*.j2")})
        if found:
            return found, settings
    return list(DEFAULT_LANGUAGES), settings


def _read_jsonl(path: str) -> list[tuple[Any, str]]:
    lines, source, problems = read_jsonl(path)
    rows: list[tuple[Any, str]] = []
    for number, data in lines:
        if not isinstance(data.get("text"), str):
            problems.append(Problem('expected an object with a string "text"', file=source, line=number,
                                    path="text"))
            continue
        rows.append((data.get("id"), data["text"]))
    if problems:
        raise InputError(problems)
    return rows


@click.group()
def lang() -> None:
    """Language detection, as the pipeline sees it."""


@lang.command()
@click.argument("text", nargs=-1)
@click.option("--jsonl", "jsonl", metavar="FILE",
              help='Read {"id","text"} lines (\'-\' for stdin); write {"id","language","confidence"} lines.')
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object for scripts.")
@click.option("--accuracy", type=click.Choice(["high", "low"]), default=None,
              help="high (~450 MB) or low memory [default: setting language.accuracy, "
                   "env AUTOREPLY_LANGUAGE__ACCURACY].")
@click.option("--languages", metavar="CODES",
              help="Comma-separated ISO 639-1 codes [default: the languages the templates cover].")
@click.pass_obj
def detect(state: State, text: tuple[str, ...], jsonl: str | None, as_json: bool,
           accuracy: str | None, languages: str | None) -> None:
    """The language of TEXT ('-' reads stdin), its confidence and the reason; exit 0."""
    from autoreply.langdetect import Accuracy, build
    from autoreply.settings import Settings

    if not text and not jsonl:
        raise InputError([Problem("give a TEXT, '-' for standard input, or --jsonl FILE")])
    codes, settings = _languages(state, languages)
    mode: Accuracy = accuracy or (settings or Settings()).language.accuracy  # type: ignore[assignment]
    detector = build(codes, mode)
    unknown = sorted({c.split("-")[0].lower() for c in codes} - detector.languages)
    if languages and unknown:
        raise InputError([Problem(f"unknown language code(s): {', '.join(unknown)}", path="--languages")])

    if jsonl:
        for row_id, row_text in _read_jsonl(jsonl):
            found = detector.detect(row_text)
            click.echo(json.dumps({"id": row_id, "language": found.language,
                                   "confidence": round(found.confidence, 4)}, ensure_ascii=False))
        return
    sample = read_input("-")[0] if text == ("-",) else " ".join(text)
    found = detector.detect(sample)
    if as_json:
        emit_json({"language": found.language, "confidence": round(found.confidence, 4),
                   "reason": found.reason, "variant": found.variant,
                   "candidates": [{"language": lang, "confidence": p} for lang, p in found.candidates],
                   "accuracy": mode})
        return
    shown = found.language or "und"
    if found.variant:
        shown += f" ({found.language}-{found.variant})"
    click.echo(f"{shown}  {found.confidence:.2f}  {found.reason}")


def register(group: click.Group) -> None:
    group.add_command(lang)
