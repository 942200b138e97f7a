"""``autoreply`` command line. One module per command group; this one holds the group, the
shared options and the error handling (a user error is one clear message and exit 1)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from autoreply.errors import AutoreplyError, Problem
from autoreply.logs import configure


class State:
    """Lazily loaded settings shared by the commands of one invocation."""

    def __init__(self, config_file: Path | None) -> None:
        self.config_file = config_file
        self._settings: Any = None

    @property
    def settings(self) -> Any:
        if self._settings is None:
            from autoreply.settings import load_settings

            self._settings = load_settings(self.config_file)
            configure(self._settings.log.level, self._settings.log.format)
        return self._settings


class Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except AutoreplyError as exc:
            for line in str(exc).splitlines() or [type(exc).__name__]:
                click.secho(f"error: {line}", fg="red", err=True)
            ctx.exit(exc.exit_code)


@click.group(cls=Group, context_settings={"auto_envvar_prefix": "AUTOREPLY",
                                          "help_option_names": ["-h", "--help"]})
@click.option("--config", "config_file", type=click.Path(path_type=Path), envvar="AUTOREPLY_CONFIG",
              default=None, help="Settings file [env AUTOREPLY_CONFIG; default config/autoreply.toml].")
@click.version_option(package_name="autoreply")
@click.pass_context
def cli(ctx: click.Context, config_file: Path | None) -> None:
    """Answer and notify marketplace buyers: right language, right local time, compliant, once."""
    configure("warning", "auto")
    ctx.obj = State(config_file)


def emit_json(data: Any) -> None:
    import json

    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def read_input(path: str) -> tuple[str, str]:
    """The text of ``path`` (``-`` is standard input) and a name for it in errors."""
    from autoreply.errors import InputError, Problem

    if path == "-":
        return sys.stdin.read(), "<stdin>"
    try:
        return Path(path).read_text(encoding="utf-8"), path
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError([Problem(f"cannot read: {exc}", file=path)]) from None


def read_jsonl(path: str) -> tuple[list[tuple[int, dict[str, Any]]], str, list[Problem]]:
    """The JSON objects of a JSON-lines file (``-`` is standard input), each with its line
    number, the file's name for errors, and a problem for each line that is not a JSON object
    (blank lines are skipped). Callers add their own field problems and raise them together."""
    import json

    text, source = read_input(path)
    rows: list[tuple[int, dict[str, Any]]] = []
    problems: list[Problem] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(Problem(f"invalid JSON: {exc.msg}", file=source, line=number, column=exc.colno))
            continue
        if not isinstance(data, dict):
            problems.append(Problem("each line must be a JSON object", file=source, line=number))
            continue
        rows.append((number, data))
    return rows, source, problems


def _register() -> None:
    from autoreply.cli import check, compliance, lang, preview, queue, reload, run, simulate, sla, submit, tz

    for module in (run, check, preview, submit, queue, reload, lang, compliance, tz, sla, simulate):
        module.register(cli)


_register()


def main() -> None:
    cli(prog_name="autoreply")
