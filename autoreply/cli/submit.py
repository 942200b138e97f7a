"""``autoreply submit``: persist events into the inbox (the daemon picks them up)."""

from __future__ import annotations

import click

from autoreply.cli import State, emit_json, read_input


@click.command()
@click.argument("files", nargs=-1, required=True, metavar="EVENT.json|-...")
@click.option("--json", "as_json", is_flag=True, help="Print the accepted and duplicate ids as JSON.")
@click.pass_obj
def submit(state: State, files: tuple[str, ...], as_json: bool) -> None:
    """Persist events (one object, an array, or JSON lines per file) into the inbox.

    Every file is validated first; if any event is invalid, nothing is stored and each
    problem is printed with its file and field path (exit 1). Repeated ids are stored once.
    """
    from autoreply.errors import InputError
    from autoreply.events import Event, parse_events
    from autoreply.store import Store

    events: list[Event] = []
    problems = []
    for path in files:
        text, source = read_input(path)
        try:
            events.extend(parse_events(text, source=source))
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    settings = state.settings
    from autoreply.daemon import clock_from

    store = Store(settings.database_url, sqlite_synchronous=settings.store.sqlite_synchronous)
    try:
        store.migrate()
        new = store.add_events([(e.id, e.kind, e.platform, e.to_json()) for e in events],
                               source="cli", now=clock_from(settings).now())
    finally:
        store.close()
    fresh = set(new)
    duplicates = sorted({e.id for e in events} - fresh)
    if as_json:
        emit_json({"accepted": [e.id for e in events], "new": new, "duplicates": duplicates})
    else:
        click.echo(f"accepted {len(events)} event(s): {len(new)} new, {len(duplicates)} already in the inbox")


def register(group: click.Group) -> None:
    group.add_command(submit)
