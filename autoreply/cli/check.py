"""``autoreply check``: validate settings, rules and every template before shipping a change.

Renders every rule × language with sample data shaped for the rule and runs compliance on
the result for each platform the rule serves; prints OK/FAILED per file, with file:line.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import click

from autoreply.cli import State
from autoreply.errors import ConfigError, Problem


def _print(results: dict[str, list[Problem]], files: list[str], quiet: bool) -> bool:
    ok_all = True
    for name in files:
        problems = results.get(name, [])
        if problems:
            ok_all = False
            click.echo(f"{click.style('FAILED', fg='red', bold=True)}  {name}")
            for p in problems:
                click.echo(f"        {p}")
        elif not quiet:
            click.echo(f"{click.style('OK', fg='green')}      {name}")
    return ok_all


def render_problems(config: object) -> dict[str, list[Problem]]:
    """Render each rule × template language with sample data and check compliance."""
    from autoreply.config import Config
    from autoreply.pipeline import Engine
    from autoreply.render import RenderError
    from autoreply.samples import SAMPLE_NOW, rule_platforms, sample_for

    assert isinstance(config, Config)
    engine = Engine(config, None)
    found: dict[str, list[Problem]] = defaultdict(list)
    for rule in config.rules.rules:
        if not rule.template:
            continue
        for lang in sorted(config.templates.languages(rule.template)):
            path = str(config.templates.path_of(rule.template, lang))
            for platform in rule_platforms(rule):
                event = sample_for(rule, lang=lang, platform=platform)
                if event is None:
                    continue
                language = engine.choose_language(event, config.templates.languages(rule.template))
                zone = engine.resolve_zone(event)
                ctx = engine.context(event, language, zone, SAMPLE_NOW)
                try:
                    rendered = config.templates.render(rule.template, lang, ctx)
                except RenderError as exc:
                    found[path].append(exc.problem)
                    break
                verdict = engine.check_compliance(event, rendered, message_type=rule.message_type,
                                                  send_at_utc=SAMPLE_NOW, send_at_local=SAMPLE_NOW,
                                                  now=SAMPLE_NOW)
                for f in verdict.findings:
                    if f.severity == "block":
                        found[path].append(Problem(
                            f"rule {rule.name!r} on {platform}: compliance would block it: "
                            f"{f.check} {f.excerpt!r} ({f.message})", file=path))
    return found


@click.command()
@click.option("-q", "--quiet", is_flag=True, help="Print only what failed.")
@click.pass_obj
def check(state: State, quiet: bool) -> None:
    """Validate settings, rules and every template; exit 0 when all is good, 1 otherwise."""
    from autoreply.config import load_config

    try:
        settings = state.settings
    except ConfigError as exc:
        name = str(state.config_file or "config/autoreply.toml")
        _print({name: exc.problems}, [name], quiet)
        raise SystemExit(1) from None

    files = [str(settings.config_file), str(settings.rules_path)]
    templates_dir = settings.templates_path
    if templates_dir.is_dir():
        files += [str(p) for p in sorted(templates_dir.glob("[!_.]*/*.j2"))]
    results: dict[str, list[Problem]] = defaultdict(list)
    try:
        config = load_config(settings)
    except ConfigError as exc:
        for problem in exc.problems:
            key = problem.file or str(settings.config_file)
            results[key].append(problem)
            if key not in files:
                files.append(key)
        _print(results, files, quiet)
        raise SystemExit(1) from None
    for path, problems in render_problems(config).items():
        results[path].extend(problems)
    ok = _print(results, files, quiet)
    total = len(files)
    bad = sum(1 for f in files if results.get(f))
    click.echo(f"{total - bad}/{total} files OK" + ("" if ok else f", {bad} FAILED"))
    raise SystemExit(0 if ok else 1)


def register(group: click.Group) -> None:
    group.add_command(check)


__all__ = ["Path", "check", "register", "render_problems"]
