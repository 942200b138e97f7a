"""``autoreply run``: the daemon."""

from __future__ import annotations

import click

from autoreply.cli import State


@click.command()
@click.pass_obj
def run(state: State) -> None:
    """Run the daemon until SIGTERM (SIGHUP reloads the config)."""
    from autoreply.service import run as run_service

    raise SystemExit(run_service(state.settings))


def register(group: click.Group) -> None:
    group.add_command(run)
