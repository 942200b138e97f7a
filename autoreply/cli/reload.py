"""``autoreply reload``: make the running daemon re-read settings, rules and templates.

The daemon's card (``<state_dir>/daemon.json``, :mod:`autoreply.runtime`) names its pid; the
command sends it SIGHUP (what ``systemctl reload autoreply`` does) and waits for the card to
report the outcome. Exit 0 when the new config is in use; 1 when it was refused (each problem
is printed with file:line; the daemon keeps running the old config) or no daemon runs.
"""

from __future__ import annotations

import os
import signal
import time

import click

from autoreply.cli import State
from autoreply.errors import InputError, Problem


@click.command()
@click.option("--timeout", default=30.0, show_default=True, help="Seconds to wait for the outcome.")
@click.pass_obj
def reload(state: State, timeout: float) -> None:
    """Reload the running daemon's config; print the outcome (exit 1 if it was refused)."""
    from autoreply.runtime import read_runtime, runtime_path

    settings = state.settings
    card = read_runtime(settings.state_path)
    if card is None:
        raise InputError(
            [Problem("no running daemon found", file=str(runtime_path(settings.state_path)))]
        )
    before = int(card.get("reload", {}).get("generation", 0))
    pid = int(card["pid"])
    os.kill(pid, signal.SIGHUP)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        time.sleep(0.1)
        card = read_runtime(settings.state_path)
        if card is None:
            raise InputError([Problem(f"the daemon (pid {pid}) went away during the reload")])
        outcome = card.get("reload", {})
        if int(outcome.get("generation", 0)) > before:
            if outcome.get("ok"):
                click.echo(f"reloaded: daemon pid {pid} uses the new config")
                return
            for line in outcome.get("problems") or ["unknown problem"]:
                click.secho(f"error: {line}", fg="red", err=True)
            click.secho("reload refused: the daemon keeps running the previous config", err=True)
            raise SystemExit(1)
    raise InputError([Problem(f"no answer from daemon pid {pid} within {timeout:g}s")])


def register(group: click.Group) -> None:
    group.add_command(reload)
