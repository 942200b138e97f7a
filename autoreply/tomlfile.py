"""Reading TOML files so that every error can name its file, line and key path.

``tomllib`` gives values without positions; :class:`KeyLines` is a light scan of the
source that maps a key path such as ``rules[2].template`` to the line it is written on.
It understands tables, arrays of tables, dotted keys and one level of inline tables,
which is all our config files use; when it cannot tell, it answers ``None`` and the
error names the key path alone.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from autoreply.errors import ConfigError, Problem

PathPart = str | int
KeyPath = tuple[PathPart, ...]

_SYNTAX_POS = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_BARE_OR_QUOTED = r'(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|\'[^\']*\')'
_KEY = re.compile(rf"^\s*({_BARE_OR_QUOTED}(?:\s*\.\s*{_BARE_OR_QUOTED})*)\s*=")
_INLINE_KEY = re.compile(rf"[{{,]\s*({_BARE_OR_QUOTED})\s*=")


def format_path(path: Sequence[PathPart]) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif re.fullmatch(r"[A-Za-z0-9_-]+", part):
            out += f".{part}" if out else part
        else:
            out += f'."{part}"' if out else f'"{part}"'
    return out


def _split_key(text: str) -> list[str]:
    parts = re.findall(_BARE_OR_QUOTED, text)
    return [p[1:-1] if p[:1] in "\"'" else p for p in parts]


class KeyLines:
    """Maps key paths of one TOML document to 1-based line numbers."""

    def __init__(self, source: str) -> None:
        self._lines: dict[KeyPath, int] = {}
        self._scan(source)

    def line_of(self, path: Sequence[PathPart]) -> int | None:
        """The line of ``path``, or of its nearest ancestor that has one."""
        key = tuple(path)
        while key:
            if key in self._lines:
                return self._lines[key]
            key = key[:-1]
        return None

    def _record(self, path: KeyPath, line: int) -> None:
        for i in range(1, len(path) + 1):
            self._lines.setdefault(path[:i], line)
        self._lines[path] = self._lines.get(path, line)

    def _scan(self, source: str) -> None:
        array_counts: dict[KeyPath, int] = {}
        current: KeyPath = ()
        in_multiline: str | None = None
        depth = 0
        for number, raw in enumerate(source.splitlines(), start=1):
            line = raw
            if in_multiline:
                if in_multiline in line:
                    in_multiline = None
                continue
            stripped = line.strip()
            if depth > 0:
                depth += stripped.count("[") - stripped.count("]")
                continue
            if not stripped or stripped.startswith("#"):
                continue
            if stripped.startswith("[["):
                name = tuple(_split_key(stripped[2 : stripped.index("]]")]))
                resolved = (*self._resolve(name[:-1], array_counts), name[-1])
                array_counts[resolved] = array_counts.get(resolved, -1) + 1
                current = (*resolved, array_counts[resolved])
                self._record(current, number)
                continue
            if stripped.startswith("["):
                name = tuple(_split_key(stripped[1 : stripped.index("]")]))
                current = self._resolve(name, array_counts)
                self._record(current, number)
                continue
            match = _KEY.match(line)
            if not match:
                continue
            path = (*current, *_split_key(match.group(1)))
            self._record(path, number)
            rest = line[match.end() :]
            for quote in ('"""', "'''"):
                if rest.count(quote) == 1:
                    in_multiline = quote
            if rest.lstrip().startswith("{"):
                for inner in _INLINE_KEY.finditer(rest):
                    self._record((*path, *_split_key(inner.group(1))), number)
            depth = rest.count("[") - rest.count("]")
            depth = max(depth, 0)

    @staticmethod
    def _resolve(name: KeyPath, array_counts: dict[KeyPath, int]) -> KeyPath:
        """Insert the current index after every prefix that is an array of tables."""
        out: list[PathPart] = []
        for part in name:
            out.append(part)
            key = tuple(out)
            if key in array_counts:
                out.append(array_counts[key])
        return tuple(out)


class TomlDocument:
    """A parsed TOML file: its data and where each key is written."""

    def __init__(self, path: Path, data: dict[str, Any], source: str) -> None:
        self.path = path
        self.data = data
        self.source = source
        self._lines: KeyLines | None = None

    @property
    def lines(self) -> KeyLines:
        if self._lines is None:
            self._lines = KeyLines(self.source)
        return self._lines

    def problem(self, path: Sequence[PathPart], message: str) -> Problem:
        return Problem(
            message=message,
            file=str(self.path),
            line=self.lines.line_of(path),
            path=format_path(path) or None,
        )


def load_toml(path: Path, *, what: str = "file") -> TomlDocument:
    """Read and parse ``path``; a missing file or a syntax error is a :class:`ConfigError`."""
    try:
        source = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError([Problem(f"{what} not found", file=str(path))]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([Problem(f"cannot read {what}: {exc}", file=str(path))]) from None
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        text = str(exc)
        match = _SYNTAX_POS.search(text)
        line = column = None
        if match:
            line, column = int(match.group(1)), int(match.group(2))
            text = text[: match.start()]
        raise ConfigError(
            [Problem(f"TOML syntax error: {text}", file=str(path), line=line, column=column)]
        ) from None
    return TomlDocument(path, data, source)
