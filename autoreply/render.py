"""Message templates: ``templates/<name>/<lang>.j2``, each defining ``subject`` and ``body`` blocks.

Templates render in Jinja's :class:`SandboxedEnvironment` with :class:`StrictUndefined`, so a
misspelt variable is an error, not an empty string, and templates cannot reach Python
internals. Buyer-supplied text only ever arrives as *data* in the context, never as template
source. Every template is compiled at load; errors name the file and line.

Names starting with ``_`` (e.g. ``templates/_macros/``) are helpers for ``{% import %}``,
not message templates.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2
from jinja2 import StrictUndefined, TemplateSyntaxError
from jinja2.runtime import new_context
from jinja2.sandbox import SandboxedEnvironment

from autoreply.errors import AutoreplyError, ConfigError, Problem

LANG_FILE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
REQUIRED_BLOCKS = ("subject", "body")


class RenderError(AutoreplyError):
    """A template failed while rendering (undefined variable, sandbox violation, …)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str


class _Sandbox(SandboxedEnvironment):
    """A sandbox where ``order.items`` means the key, not ``dict.items``."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict or isinstance(obj, Mapping):  # the context's dicts: no ABC check
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


def _clean(text: str) -> str:
    lines = [line.rstrip() for line in text.strip("\n").splitlines()]
    return "\n".join(lines).strip()


def _template_line(tb: TracebackType | None, filename: str) -> int | None:
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


class TemplateSet:
    """All message templates under one directory, compiled."""

    def __init__(self, root: Path, filters: Mapping[str, Callable[..., Any]] | None = None) -> None:
        self.root = root
        self.env = _Sandbox(
            loader=jinja2.FileSystemLoader(str(root)),
            undefined=StrictUndefined,
            autoescape=False,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
            auto_reload=False,
        )
        if filters:
            self.env.filters.update(filters)
        self._templates: dict[tuple[str, str], jinja2.Template] = {}
        # each template's globals (a ChainMap of its own and the environment's) as one dict,
        # read once: Jinja would walk the ChainMap twice per render to build the context
        self._globals: dict[tuple[str, str], dict[str, Any]] = {}
        self._languages: dict[str, set[str]] = {}
        self._load()

    # -- loading ---------------------------------------------------------------------
    def _load(self) -> None:
        problems: list[Problem] = []
        if not self.root.is_dir():
            raise ConfigError([Problem("templates directory not found", file=str(self.root))])
        for directory in sorted(p for p in self.root.iterdir() if p.is_dir()):
            if directory.name.startswith(("_", ".")):
                continue
            for path in sorted(directory.glob("*.j2")):
                lang = path.stem
                if not LANG_FILE.match(lang):
                    problems.append(Problem(
                        "template file names are a language code such as en.j2 or pt-BR.j2",
                        file=str(path)))
                    continue
                relative = f"{directory.name}/{path.name}"
                try:
                    template = self.env.get_template(relative)
                except TemplateSyntaxError as exc:
                    problems.append(Problem(f"template syntax error: {exc.message}",
                                            file=str(path), line=exc.lineno))
                    continue
                except UnicodeDecodeError as exc:
                    problems.append(Problem(f"not UTF-8: {exc}", file=str(path)))
                    continue
                missing = [b for b in REQUIRED_BLOCKS if b not in template.blocks]
                if missing:
                    problems.append(Problem(
                        "missing block(s) " + ", ".join(missing)
                        + " (write {% block subject %}…{% endblock %} and {% block body %}…{% endblock %})",
                        file=str(path)))
                    continue
                self._templates[(directory.name, lang)] = template
                self._globals[(directory.name, lang)] = dict(template.globals)
                self._languages.setdefault(directory.name, set()).add(lang)
        if problems:
            raise ConfigError(problems)

    # -- queries ---------------------------------------------------------------------
    def names(self) -> list[str]:
        return sorted(self._languages)

    def languages(self, name: str) -> set[str]:
        return set(self._languages.get(name, set()))

    def all_languages(self) -> set[str]:
        return set().union(*self._languages.values()) if self._languages else set()

    def resolve(self, name: str, lang: str) -> str | None:
        """The template language to use for ``lang``: exact (``pt-BR``), then its base (``pt``)."""
        have = self._languages.get(name, set())
        if lang in have:
            return lang
        base = lang.split("-")[0]
        if base in have:
            return base
        return None

    def path_of(self, name: str, lang: str) -> Path:
        return self.root / name / f"{lang}.j2"

    # -- rendering -------------------------------------------------------------------
    def render(self, name: str, lang: str, context: Mapping[str, Any]) -> Rendered:
        template = self._templates[(name, lang)]
        filename = template.filename or str(self.path_of(name, lang))
        try:
            # what template.new_context(context) builds: the globals, then the context over them
            flat = self._globals[(name, lang)]
            parent = flat.copy()
            parent.update(context)
            ctx = new_context(template.environment, template.name, template.blocks, parent,
                              shared=True, globals=flat)
            subject = "".join(template.blocks["subject"](ctx))
            body = "".join(template.blocks["body"](ctx))
        except jinja2.TemplateError as exc:
            raise RenderError(Problem(f"{type(exc).__name__}: {exc}", file=str(self.path_of(name, lang)),
                                      line=_template_line(exc.__traceback__, filename))) from None
        except Exception as exc:  # a filter raising on bad data, a sandbox refusal, …
            raise RenderError(Problem(f"{type(exc).__name__}: {exc}", file=str(self.path_of(name, lang)),
                                      line=_template_line(exc.__traceback__, filename))) from None
        return Rendered(subject=" ".join(_clean(subject).split()), body=_clean(body))
