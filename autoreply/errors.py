"""Errors that reach the user: each names where the problem is (file, line, field path)."""

from __future__ import annotations

from dataclasses import dataclass, field


class AutoreplyError(Exception):
    """Base class for errors the CLI reports as one clear message."""

    exit_code = 1


@dataclass
class Problem:
    """One problem in one place: ``file:line:column: path: message``."""

    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    path: str | None = None

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = self.file
            if self.line:
                where += f":{self.line}"
                if self.column:
                    where += f":{self.column}"
        parts = [p for p in (where, self.path) if p]
        prefix = ": ".join(parts)
        return f"{prefix}: {self.message}" if prefix else self.message


@dataclass
class ConfigError(AutoreplyError):
    """Settings, rules or templates are invalid. Carries every problem found, not just the first."""

    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


@dataclass
class InputError(AutoreplyError):
    """An event or other user input is invalid."""

    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)
