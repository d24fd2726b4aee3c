"""Workflow definitions: steps with who acts and due-date rules, read from data files.

A definition is a YAML file in definitions/ (or any path given to `load`), checked when it is
read: a local protocol is a file, not code (ADR 26). Rules name what a step's due date counts
from: `start` (the workflow's own start, e.g. the request received), `asked` (the day this item
of the step was asked for, e.g. one advice request), another step (the day it was done), or
`before` another step (its planned date, else its due date). A due date may also be counted in
school terms (`terms: N`: the end of the Nth term after the anchor's, workflows/terms.py), and a
step may recur (`every: {weeks: 8}`, at most `times`): each occurrence is due that long after the
last one was done, as a transition plan's reviews are.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ImproperlyConfigured

DEFINITIONS_DIR = Path(__file__).resolve().parent / "definitions"
UNITS = ("days", "weeks", "months", "terms")
MAX_COUNT = 520  # ten years of weeks: anything longer is a mistake in the file


class DefinitionError(ImproperlyConfigured):
    """A workflow file that cannot be used, with where and why."""


@dataclass(frozen=True)
class DueRule:
    after: str = ""  # "start", "asked" or a step key
    before: str = ""  # a step key
    unit: str = "weeks"
    count: int = 0
    under_5_count: int | None = None  # another count for children under 5 (months only)


@dataclass(frozen=True)
class Step:
    key: str
    name: str
    family_name: str
    who: str
    due: DueRule
    rule: str = ""
    repeats: bool = False
    items: dict[str, str] = field(default_factory=dict)
    outcomes: dict[str, str] = field(default_factory=dict)
    when: dict[str, str] = field(default_factory=dict)  # step key -> outcome required
    unless: dict[str, str] = field(default_factory=dict)  # step key -> outcome that ends it
    every: "DueRule | None" = None  # a recurring step: each occurrence this long after the last
    times: int = 0  # a recurring step's most occurrences (0: until the workflow ends)
    for_family: bool = False  # shown to the family, in its family wording


@dataclass(frozen=True)
class ExceptionKind:
    key: str
    name: str
    steps: tuple[str, ...]
    rule: str = ""
    min_days: int = 0


@dataclass(frozen=True)
class Definition:
    id: str
    version: int
    name: str
    start: str
    start_name: str
    steps: tuple[Step, ...]
    exceptions: tuple[ExceptionKind, ...]

    def step(self, key: str) -> Step:
        for s in self.steps:
            if s.key == key:
                return s
        raise KeyError(key)

    def exception(self, key: str) -> ExceptionKind:
        for e in self.exceptions:
            if e.key == key:
                return e
        raise KeyError(key)

    @property
    def step_keys(self) -> tuple[str, ...]:
        return tuple(s.key for s in self.steps)


def _text(raw: dict[str, Any], key: str, where: str, *, required: bool = True) -> str:
    value = raw.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise DefinitionError(f"{where}: '{key}' must be some text")
    return value.strip()


def _mapping(raw: Any, where: str) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in raw.items()
    ):
        raise DefinitionError(f"{where} must map names to text")
    return dict(raw)


def _due(raw: Any, where: str, keys: set[str]) -> DueRule:
    if not isinstance(raw, dict):
        raise DefinitionError(f"{where}: 'due' must say what it counts from and how long")
    after, before = raw.get("after", ""), raw.get("before", "")
    if bool(after) == bool(before):
        raise DefinitionError(f"{where}: 'due' needs one of 'after' or 'before'")
    anchor = after or before
    if anchor not in keys | ({"start", "asked"} if after else set()):
        raise DefinitionError(f"{where}: 'due' counts from '{anchor}', which is not a step")
    units = [u for u in UNITS if u in raw]
    if len(units) != 1:
        raise DefinitionError(f"{where}: 'due' needs exactly one of {', '.join(UNITS)}")
    unit = units[0]
    if unit == "terms" and before:
        raise DefinitionError(f"{where}: a due date in terms counts forward only")
    count = raw[unit]
    under_5 = raw.get(f"under_5_{unit}")
    for n in (count, under_5):
        if n is not None and (
            not isinstance(n, int) or isinstance(n, bool) or not 0 <= n <= MAX_COUNT
        ):
            raise DefinitionError(
                f"{where}: the length must be a whole number from 0 to {MAX_COUNT}"
            )
    return DueRule(after=after, before=before, unit=unit, count=count, under_5_count=under_5)


def _every(raw: Any, where: str) -> DueRule | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or set(raw) - {"days", "weeks", "months"}:
        raise DefinitionError(f"{where}: 'every' must be a number of days, weeks or months")
    rule = _due({"after": "start", **raw}, where, set())
    if rule.count < 1:
        raise DefinitionError(f"{where}: 'every' must be at least 1")
    return rule


def _times(raw: Any, where: str) -> int:
    if not isinstance(raw, int) or isinstance(raw, bool) or not 0 <= raw <= 100:
        raise DefinitionError(f"{where}: 'times' must be a whole number from 0 to 100")
    return raw


def _flag(raw: Any, where: str, key: str) -> bool:
    if not isinstance(raw, bool):
        raise DefinitionError(f"{where}: '{key}' must be true or false")
    return raw


def parse(raw: Any, source: str = "definition") -> Definition:
    if not isinstance(raw, dict):
        raise DefinitionError(f"{source}: not a workflow definition")
    version = raw.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise DefinitionError(f"{source}: 'version' must be a whole number from 1")
    raw_steps = raw.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        raise DefinitionError(f"{source}: 'steps' must list at least one step")
    keys = [s.get("key") for s in raw_steps if isinstance(s, dict)]
    if len(keys) != len(raw_steps) or len(set(keys)) != len(keys):
        raise DefinitionError(f"{source}: every step needs a key of its own")
    known = {k for k in keys if isinstance(k, str)}
    steps = []
    for s in raw_steps:
        where = f"{source}, step {s['key']}"
        step = Step(
            key=_text(s, "key", where),
            name=_text(s, "name", where),
            family_name=_text(s, "family_name", where),
            who=_text(s, "who", where),
            due=_due(s.get("due"), where, known - {s["key"]}),
            rule=_text(s, "rule", where, required=False),
            repeats=bool(s.get("repeats", False)),
            items=_mapping(s.get("items"), f"{where}: 'items'"),
            outcomes=_mapping(s.get("outcomes"), f"{where}: 'outcomes'"),
            when=_mapping(s.get("when"), f"{where}: 'when'"),
            unless=_mapping(s.get("unless"), f"{where}: 'unless'"),
            every=_every(s.get("every"), where),
            times=_times(s.get("times", 0), where),
            for_family=_flag(s.get("for_family", False), where, "for_family"),
        )
        if step.every and step.repeats:
            raise DefinitionError(f"{where}: a step either repeats by item or recurs, not both")
        if step.due.after == "asked" and not step.repeats:
            raise DefinitionError(f"{where}: only a repeating step counts from when it was asked")
        steps.append(step)
    by_key = {s.key: s for s in steps}
    for step in steps:
        for other, outcome in {**step.when, **step.unless}.items():
            if other not in by_key or outcome not in by_key[other].outcomes:
                raise DefinitionError(
                    f"{source}, step {step.key}: '{other}' has no outcome '{outcome}'"
                )
    exceptions = []
    for e in raw.get("exceptions") or []:
        where = f"{source}, exception {e.get('key', '?') if isinstance(e, dict) else '?'}"
        if not isinstance(e, dict):
            raise DefinitionError(f"{where}: not an exception")
        named = e.get("steps") or []
        if not isinstance(named, list) or not set(named) <= known or not named:
            raise DefinitionError(f"{where}: 'steps' must name steps of this workflow")
        min_days = e.get("min_days", 0)
        if not isinstance(min_days, int) or min_days < 0:
            raise DefinitionError(f"{where}: 'min_days' must be a whole number")
        exceptions.append(
            ExceptionKind(
                key=_text(e, "key", where),
                name=_text(e, "name", where),
                steps=tuple(named),
                rule=_text(e, "rule", where, required=False),
                min_days=min_days,
            )
        )
    return Definition(
        id=_text(raw, "id", source),
        version=version,
        name=_text(raw, "name", source),
        start=_text(raw, "start", source),
        start_name=_text(raw, "start_name", source),
        steps=tuple(steps),
        exceptions=tuple(exceptions),
    )


def load_file(path: Path) -> Definition:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DefinitionError(f"{path.name}: cannot be read ({exc.__class__.__name__})") from exc
    return parse(raw, path.name)


def family_texts(path: Path) -> Iterator[str]:
    """The wording of a definition that families read, for the translators' catalogue
    (config/messages.py): each step's family name, its items and outcomes (the family's pages
    say what was decided and for which item) and the exceptions that move the dates."""
    found = load_file(path)
    for step in found.steps:
        yield step.family_name
        yield from step.items.values()
        yield from step.outcomes.values()
    for exception in found.exceptions:
        yield exception.name


@cache
def definition(workflow_id: str) -> Definition:
    """A shipped definition by its id (the file name without .yaml)."""
    path = DEFINITIONS_DIR / f"{workflow_id}.yaml"
    if not path.is_file():
        raise DefinitionError(f"No workflow called {workflow_id}")
    found = load_file(path)
    if found.id != workflow_id:
        raise DefinitionError(f"{path.name}: its id is {found.id}, not {workflow_id}")
    return found
