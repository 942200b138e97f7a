"""``rules.toml``: the ordered rules users edit, compiled into a matcher that explains itself.

A rule matches an event when every condition in its ``match`` table holds. Rules are tried
in file order; the first match wins unless it says ``continue = true``, in which case later
rules are tried too and every match produces its own message.

Condition keys are ``kind``, ``platform``, ``marketplace``, ``country`` (the buyer's),
``sku`` (glob over the order's items and the stock record) or any dotted event field such
as ``"shipment.status"``. A value is a scalar or a list (any of them); an inline table
gives an operator: ``{ not = [...] }``, ``{ glob = "A-*" }``, ``{ contains = ["refund"] }``,
``{ lt = 1 }`` / ``le`` / ``gt`` / ``ge``, ``{ exists = true }``.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from autoreply.durations import format_duration, parse_duration
from autoreply.errors import ConfigError, Problem
from autoreply.events import EVENT_FIELDS, Event
from autoreply.tomlfile import TomlDocument
from autoreply.windows import Window, WindowSpec

SHORTCUTS = {"kind": "kind", "platform": "platform", "marketplace": "marketplace",
             "country": "buyer.country", "sku": "sku"}
OPERATORS = {"not", "glob", "contains", "lt", "le", "gt", "ge", "exists"}
Scalar = str | int | float | bool


# --------------------------------------------------------------------------- schema
class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DedupeSpec(_Model):
    key: list[str] = Field(min_length=1)
    window: str = "24h"

    @field_validator("key")
    @classmethod
    def _fields(cls, value: list[str]) -> list[str]:
        for path in value:
            if path not in EVENT_FIELDS and path != "template":
                raise ValueError(f"unknown event field {path!r}")
        return value

    @field_validator("window")
    @classmethod
    def _window(cls, value: str) -> str:
        parse_duration(value)
        return value


class SupersedeSpec(_Model):
    """Messages of one *thread* (same ``thread`` name and ``key`` values) replace each other:
    a message about a newer event supersedes pending ones about older events."""

    thread: str = Field(pattern=r"^[A-Za-z0-9_.-]{1,64}$")
    key: list[str] = Field(min_length=1)

    @field_validator("key")
    @classmethod
    def _fields(cls, value: list[str]) -> list[str]:
        for path in value:
            if path not in EVENT_FIELDS:
                raise ValueError(f"unknown event field {path!r}")
        return value


class RuleSpec(_Model):
    name: str = Field(pattern=r"^[A-Za-z0-9_.-]{1,100}$")
    description: str = ""
    template: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_-]{1,100}$")
    action: Literal["send", "skip"] = "send"
    delay: str | int = "0s"
    channel: str | None = None
    message_type: str | None = Field(
        default=None, pattern=r"^[A-Za-z][A-Za-z0-9_]{0,63}$",
        description="Marketplace message type, e.g. Amazon SP-API 'unexpectedProblem'")
    continue_: bool = Field(default=False, alias="continue")
    match: dict[str, Any] = Field(default_factory=dict)
    dedupe: DedupeSpec | None = None
    # Timing (docs/TIME.md): a send window on the buyer's clock — a name from [windows] or an
    # inline table — replies sent at once, and the seller's business hours.
    window: Any = None
    reply_at_once: bool = False
    reply_at_once_max_age: str | None = None
    business_hours: bool = False

    @field_validator("reply_at_once_max_age")
    @classmethod
    def _max_age(cls, value: str | None) -> str | None:
        if value is not None:
            parse_duration(value)
        return value
    supersede: SupersedeSpec | None = None

    @field_validator("delay")
    @classmethod
    def _delay(cls, value: str | int) -> str | int:
        parse_duration(value)
        return value


class RulesFile(_Model):
    rules: list[RuleSpec] = Field(default_factory=list)
    windows: dict[str, Any] = Field(default_factory=dict)


# --------------------------------------------------------------------------- matching
@dataclass(frozen=True)
class Check:
    """One condition's outcome, for explanations."""

    field: str
    ok: bool
    detail: str


#: the types of an event's plain fields, tested as they are (neither sequences nor dates)
_SCALARS = frozenset({str, int, float, bool})


class Predicate:
    """A compiled condition: ``predicate(event)`` is the :class:`Check` with its explanation;
    ``predicate.test(event)`` only the yes/no (the daemon's path: no text is built)."""

    __slots__ = ("_describe", "_ok", "_one", "_parts", "key", "path")

    def __init__(self, key: str, path: str, ok: Callable[[list[Any]], bool],
                 describe: Callable[[list[Any], bool], str],
                 one: Callable[[Any], bool] | None = None) -> None:
        self.key, self.path, self._ok, self._describe = key, path, ok, describe
        self._one = one  # ``ok([value])`` for one value, where it is cheaper asked so
        self._parts = tuple(path.split("."))  # Event.field's walk, split once

    def __call__(self, event: Event) -> Check:
        values = _values_of(event, self.path)
        ok = self._ok(values)
        return Check(self.key, ok, self._describe(values, ok))

    def test_value(self, value: str) -> bool:
        """``self.test(event)`` for an event whose field at ``self.path`` is the string ``value``."""
        return self._ok([value])

    def test(self, event: Event) -> bool:
        """``self(event).ok`` without the explanation (what ``_values_of`` reads, inlined)."""
        if self.path == "sku":
            return self._ok(list(event.skus()))
        value: Any = event
        for part in self._parts:
            if value is None:
                break
            value = value.get(part) if isinstance(value, dict) else getattr(value, part, None)
        if type(value) in _SCALARS:  # most fields: no list, no isoformat to look for
            one = self._one
            return one(value) if one is not None else self._ok([value])
        if value is None:
            return self._ok([])
        if isinstance(value, list | tuple):
            return self._ok(list(value))
        if hasattr(value, "isoformat"):
            return self._ok([value.isoformat()])
        return self._ok([value])


def _show(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(_show(v) for v in value) or "(none)"
    return repr(value)


def _norm(value: Any) -> Any:
    return value.casefold() if isinstance(value, str) else value


def _values_of(event: Event, path: str) -> list[Any]:
    if path == "sku":
        return list(event.skus())
    value = event.field(path)
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return list(value)
    if hasattr(value, "isoformat"):
        return [value.isoformat()]
    return [value]


def _compile_condition(key: str, spec: Any) -> Predicate:
    path = SHORTCUTS.get(key, key)
    glob_field = path == "sku"

    def check(test: Callable[[list[Any]], bool], describe: Callable[[list[Any], bool], str],
              one: Callable[[Any], bool] | None = None) -> Predicate:
        return Predicate(key, path, test, describe, one)

    def shown(values: list[Any]) -> str:
        return _show(values[0]) if len(values) == 1 else f"[{_show(values)}]" if values else "absent"

    if isinstance(spec, dict):
        (op, arg), = spec.items()
        if op == "not":
            wanted = {_norm(v) for v in (arg if isinstance(arg, list) else [arg])}
            return check(
                lambda vs: not any(_norm(v) in wanted for v in vs),
                lambda vs, ok: f"{shown(vs)} {'is not' if ok else 'is'} one of {_show(arg)}",
                lambda v: _norm(v) not in wanted,
            )
        if op == "glob":
            patterns = arg if isinstance(arg, list) else [arg]
            return check(
                lambda vs: any(fnmatch.fnmatchcase(str(v), p) for v in vs for p in patterns),
                lambda vs, ok: f"{shown(vs)} {'matches' if ok else 'does not match'} {_show(patterns)}",
            )
        if op == "contains":
            needles = [n.casefold() for n in (arg if isinstance(arg, list) else [arg])]
            return check(
                lambda vs: any(n in str(v).casefold() for v in vs for n in needles),
                lambda vs, ok: f"{'contains' if ok else 'does not contain'} any of {_show(arg)}",
            )
        if op == "exists":
            return check(
                lambda vs: bool(vs) == bool(arg),
                lambda vs, ok: "present" if vs else "absent",
            )
        compare = {"lt": float.__lt__, "le": float.__le__, "gt": float.__gt__, "ge": float.__ge__}[op]
        sign = {"lt": "<", "le": "<=", "gt": ">", "ge": ">="}[op]
        return check(
            lambda vs: any(
                isinstance(v, int | float) and not isinstance(v, bool) and compare(float(v), float(arg))
                for v in vs
            ),
            lambda vs, ok: f"{shown(vs)} {'' if ok else 'not '}{sign} {arg}",
        )

    wanted_list = spec if isinstance(spec, list) else [spec]
    if glob_field:
        return check(
            lambda vs: any(fnmatch.fnmatchcase(str(v), p) for v in vs for p in wanted_list),
            lambda vs, ok: f"{shown(vs)} {'matches' if ok else 'does not match'} {_show(wanted_list)}",
        )
    wanted = {_norm(v) for v in wanted_list}
    return check(
        lambda vs: any(_norm(v) in wanted for v in vs),
        lambda vs, ok: (
            f"{shown(vs)} {'is' if ok else 'is not'} "
            f"{_show(wanted_list[0]) if len(wanted_list) == 1 else 'one of ' + _show(wanted_list)}"
        ),
        lambda v: _norm(v) in wanted,
    )


@dataclass(frozen=True)
class Rule:
    """A compiled rule."""

    name: str
    index: int
    template: str | None
    action: str
    delay: timedelta
    channel: str | None
    continue_: bool
    match: dict[str, Any]
    message_type: str | None
    dedupe_key: tuple[str, ...] | None
    dedupe_window: timedelta | None
    description: str = ""
    line: int | None = None
    conditions: tuple[Predicate, ...] = field(default=(), repr=False)
    window: Window | None = None
    reply_at_once: bool = False
    reply_at_once_max_age: timedelta | None = None
    business_hours: bool = False
    thread: str | None = None
    thread_key: tuple[str, ...] | None = None

    def evaluate(self, event: Event) -> list[Check]:
        return [condition(event) for condition in self.conditions]

    def matches(self, event: Event) -> bool:
        """Whether every condition holds (stops at the first that does not; no explanations)."""
        return all(condition.test(event) for condition in self.conditions)

    def dedupe_value(self, event: Event) -> str | None:
        if not self.dedupe_key:
            return None
        parts = [self.template or "" if p == "template" else str(event.field(p) or "")
                 for p in self.dedupe_key]
        return f"{self.name}|" + "|".join(parts)

    def supersede_value(self, event: Event) -> str | None:
        """The event's thread key ``thread|v1|v2``, or None when a key field is absent.

        For a ``skip`` rule (one that only closes a thread, e.g. a restock) absent trailing
        fields widen the key: ``stock|aliexpress|SKU-1|*`` closes that SKU for every buyer."""
        if not self.thread or not self.thread_key:
            return None
        values = [event.field(p) for p in self.thread_key]
        present = [v for v in values if v is not None and v != ""]
        if len(present) == len(values):
            return f"{self.thread}|" + "|".join(str(v) for v in values)
        head = values[:len(present)]
        if self.action != "skip" or head != present or any(values[len(present):]):
            return None
        return "|".join([self.thread, *(str(v) for v in present), "*"])

    def summary(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "template": self.template,
            "action": self.action,
            "delay": format_duration(self.delay),
            "continue": self.continue_,
            "match": self.match,
            "window": self.window.as_dict() if self.window else None,
            "reply_at_once": self.reply_at_once,
            "business_hours": self.business_hours,
        }


@dataclass(frozen=True)
class Explanation:
    """Why one rule matched or not for one event."""

    rule: str
    status: Literal["matched", "no_match", "not_reached"]
    checks: list[Check]

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "matched": self.status == "matched",
            "status": self.status,
            "checks": [{"field": c.field, "ok": c.ok, "detail": c.detail} for c in self.checks],
        }


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    source: str = "rules.toml"
    # by event kind: each rule whose ``kind`` conditions hold for it, with its other conditions
    _by_kind: dict[str, list[tuple[Rule, tuple[Predicate, ...]]]] = field(
        default_factory=dict, init=False, repr=False, compare=False)

    def _for_kind(self, kind: str) -> list[tuple[Rule, tuple[Predicate, ...]]]:
        """The rules that can fire for an event of ``kind``, in order, each with the conditions left
        to test. A ``kind`` condition reads the event's kind alone (a string: ``Predicate.test`` asks
        its test of ``[kind]``), so it is decided once per kind, not once per event."""
        found = self._by_kind.get(kind)
        if found is None:
            found = self._by_kind[kind] = [
                (rule, tuple(c for c in rule.conditions if c.path != "kind")) for rule in self.rules
                if all(c.test_value(kind) for c in rule.conditions if c.path == "kind")]
        return found

    def route(self, event: Event, *, explain: bool = True) -> tuple[list[Rule], list[Explanation]]:
        """The rules that fire for ``event`` (in order) and an explanation for every rule.

        ``explain=False`` (the daemon): the same rules fire, but no explanation is built,
        conditions stop at the first that fails and rules after a stopping match are not
        evaluated; the explanations come back empty."""
        if not explain:
            chosen: list[Rule] = []
            for rule, conditions in self._for_kind(event.kind):
                if all(condition.test(event) for condition in conditions):
                    chosen.append(rule)
                    if not rule.continue_:
                        break
            return chosen, []
        fired: list[Rule] = []
        explained: list[Explanation] = []
        stopped = False
        for rule in self.rules:
            checks = rule.evaluate(event)
            if stopped:
                explained.append(Explanation(rule.name, "not_reached", checks))
                continue
            ok = all(c.ok for c in checks)
            explained.append(Explanation(rule.name, "matched" if ok else "no_match", checks))
            if ok:
                fired.append(rule)
                if not rule.continue_:
                    stopped = True
        return fired, explained

    def names(self) -> list[str]:
        return [r.name for r in self.rules]


def _validate_match(doc: TomlDocument, index: int, match: dict[str, Any]) -> list[Problem]:
    problems: list[Problem] = []
    for key, spec in match.items():
        where = ("rules", index, "match", key)
        path = SHORTCUTS.get(key, key)
        if path not in EVENT_FIELDS and path != "sku":
            problems.append(doc.problem(where, f"unknown match field {key!r} (known: "
                                        f"{', '.join(sorted(SHORTCUTS))} or an event field "
                                        "such as \"shipment.status\")"))
            continue
        if isinstance(spec, dict):
            if len(spec) != 1 or next(iter(spec)) not in OPERATORS:
                problems.append(doc.problem(where, "an operator table holds exactly one of "
                                            + ", ".join(sorted(OPERATORS))))
                continue
            (op, arg), = spec.items()
            if op in {"lt", "le", "gt", "ge"} and (isinstance(arg, bool) or not isinstance(arg, int | float)):
                problems.append(doc.problem(where, f"{op} needs a number"))
            if op in {"glob", "contains"} and not _strings(arg):
                problems.append(doc.problem(where, f"{op} needs a string or a list of strings"))
            if op == "exists" and not isinstance(arg, bool):
                problems.append(doc.problem(where, "exists needs true or false"))
            if op == "glob":
                for pattern in arg if isinstance(arg, list) else [arg]:
                    try:
                        re.compile(fnmatch.translate(pattern))
                    except re.error as exc:
                        problems.append(doc.problem(where, f"bad glob {pattern!r}: {exc}"))
        elif isinstance(spec, list):
            if not spec or not all(isinstance(v, Scalar) for v in spec):
                problems.append(doc.problem(where, "a list of values must be non-empty and hold "
                                            "strings, numbers or booleans"))
        elif not isinstance(spec, Scalar):
            problems.append(doc.problem(where, "a condition is a value, a list, or an operator table"))
    return problems


def _strings(arg: Any) -> bool:
    items = arg if isinstance(arg, list) else [arg]
    return bool(items) and all(isinstance(v, str) for v in items)


def compile_rules(doc: TomlDocument) -> RuleSet:
    """Validate the whole rules document and compile it; every problem is reported at once."""
    problems: list[Problem] = []
    unknown = set(doc.data) - {"rules", "windows"}
    for key in sorted(unknown):
        problems.append(doc.problem((key,), "unknown top-level key (rules go in [[rules]] tables)"))
    try:
        parsed = RulesFile.model_validate({"rules": doc.data.get("rules", []),
                                           "windows": doc.data.get("windows", {})})
    except ValidationError as exc:
        for error in exc.errors():
            loc = tuple(error["loc"])
            loc = tuple("continue" if p == "continue_" else p for p in loc)
            msg = "unknown key" if error["type"] == "extra_forbidden" else error["msg"]
            value = error.get("input")
            if error["type"] != "extra_forbidden" and not isinstance(value, dict | list):
                msg += f" (value: {value!r})"
            problems.append(doc.problem(loc, msg))
        raise ConfigError(problems) from None

    windows = _compile_windows(doc, parsed.windows, problems)
    seen: dict[str, int] = {}
    compiled: list[Rule] = []
    for index, spec in enumerate(parsed.rules):
        if spec.name in seen:
            problems.append(doc.problem(("rules", index, "name"),
                                        f"duplicate rule name {spec.name!r} (first at rules[{seen[spec.name]}])"))
        seen.setdefault(spec.name, index)
        if spec.action == "send" and not spec.template:
            problems.append(doc.problem(("rules", index), f"rule {spec.name!r} sends but names no template"))
        match_problems = _validate_match(doc, index, spec.match)
        problems.extend(match_problems)
        window = _rule_window(doc, index, spec, windows, problems)
        if match_problems:
            continue
        compiled.append(
            Rule(
                name=spec.name,
                index=index,
                template=spec.template,
                action=spec.action,
                delay=parse_duration(spec.delay),
                channel=spec.channel,
                continue_=spec.continue_,
                message_type=spec.message_type,
                match=dict(spec.match),
                dedupe_key=tuple(spec.dedupe.key) if spec.dedupe else None,
                dedupe_window=parse_duration(spec.dedupe.window) if spec.dedupe else None,
                description=spec.description,
                line=doc.lines.line_of(("rules", index)),
                conditions=tuple(_compile_condition(k, v) for k, v in spec.match.items()),
                window=window,
                reply_at_once=spec.reply_at_once,
                reply_at_once_max_age=(parse_duration(spec.reply_at_once_max_age)
                                       if spec.reply_at_once_max_age else None),
                business_hours=spec.business_hours,
                thread=spec.supersede.thread if spec.supersede else None,
                thread_key=tuple(spec.supersede.key) if spec.supersede else None,
            )
        )
    threads: dict[str, Rule] = {}
    for rule in compiled:
        if rule.thread is None:
            continue
        first = threads.setdefault(rule.thread, rule)
        if first.thread_key != rule.thread_key:
            problems.append(doc.problem(
                ("rules", rule.index, "supersede", "key"),
                f"thread {rule.thread!r} is keyed on {list(first.thread_key or ())} by rule "
                f"{first.name!r}; every rule of a thread must use the same key"))
    if problems:
        raise ConfigError(problems)
    return RuleSet(tuple(compiled), source=str(doc.path))


_WINDOW_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,100}$")


def _window_spec(doc: TomlDocument, where: tuple[str | int, ...], data: Any, name: str,
                 problems: list[Problem]) -> Window | None:
    if not isinstance(data, dict):
        problems.append(doc.problem(where, "a window is a table: { hours = \"09:00-21:00\", "
                                    "days = \"mon-fri\", holidays = [...] }"))
        return None
    try:
        return WindowSpec.model_validate(data).compile(name)
    except ValidationError as exc:
        for error in exc.errors():
            msg = "unknown key" if error["type"] == "extra_forbidden" else error["msg"]
            msg = msg.removeprefix("Value error, ")
            problems.append(doc.problem((*where, *error["loc"]), msg))
        return None


def _compile_windows(doc: TomlDocument, specs: dict[str, Any],
                     problems: list[Problem]) -> dict[str, Window]:
    """The named windows of ``[windows.NAME]`` tables."""
    out: dict[str, Window] = {}
    for name, data in specs.items():
        if not _WINDOW_NAME.match(name):
            problems.append(doc.problem(("windows", name), "a window name uses letters, digits, "
                                        "'_', '.' and '-'"))
            continue
        window = _window_spec(doc, ("windows", name), data, name, problems)
        if window is not None:
            out[name] = window
    return out


def _rule_window(doc: TomlDocument, index: int, spec: RuleSpec, windows: dict[str, Window],
                 problems: list[Problem]) -> Window | None:
    where: tuple[str | int, ...] = ("rules", index, "window")
    if spec.reply_at_once_max_age and not spec.reply_at_once:
        problems.append(doc.problem(("rules", index, "reply_at_once_max_age"),
                                    "reply_at_once_max_age needs reply_at_once = true"))
    if spec.window is None:
        return None
    if isinstance(spec.window, str):
        if spec.window not in windows:
            known = ", ".join(sorted(windows)) or "none defined; add a [windows.NAME] table"
            if spec.window not in (doc.data.get("windows") or {}):
                problems.append(doc.problem(where, f"unknown window {spec.window!r} (known: {known})"))
            return None
        return windows[spec.window]
    return _window_spec(doc, where, spec.window, f"{spec.name}.window", problems)


def rule_problem(ruleset_doc: TomlDocument, rule: Rule, key: Sequence[str | int], message: str) -> Problem:
    return ruleset_doc.problem(("rules", rule.index, *key), message)
