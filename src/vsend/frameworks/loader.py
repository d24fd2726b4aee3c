"""Reading and validating a needs framework file (YAML, checked against framework.schema.json)."""

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from django.core.exceptions import ImproperlyConfigured

DATA_DIR = Path(__file__).resolve().parent / "data"
SCHEMA_PATH = DATA_DIR / "framework.schema.json"
DOMAIN_KEYS = (
    "communication_interaction",
    "cognition_learning",
    "semh",
    "physical_sensory",
    "independence",
)
AGE_BANDS = {"under_5": "Under 5", "5_to_25": "5 to 25"}
# Family descriptors speak of the child as "they"; a young person reads them as "you".
YOU = {
    "They": "You",
    "they": "you",
    "Their": "Your",
    "their": "your",
    "them": "you",
    "themselves": "yourself",
}
SECOND_PERSON = re.compile(r"\b(" + "|".join(sorted(YOU, key=len, reverse=True)) + r")\b")


class FrameworkError(ImproperlyConfigured):
    """A framework file that cannot be used, with where and why."""


@dataclass(frozen=True)
class Level:
    level: int
    need: str
    readiness: str
    confidence: str


@dataclass(frozen=True)
class Prompt:
    id: str
    text: str


@dataclass(frozen=True)
class Domain:
    key: str
    name: str
    short_name: str
    description: str
    family_description: str
    sub_areas: tuple[str, ...]
    descriptors: tuple[str, ...]
    readiness_prompts: tuple[Prompt, ...]
    confidence_prompts: tuple[Prompt, ...]
    planning_prompts: tuple[tuple[str, ...], ...]
    # For families (reading age 9 or below); files before version 1.1 may have none.
    family_descriptors: tuple[str, ...] = ()

    def family_descriptor(self, level: int, *, to_reader: bool = False) -> str:
        """What a level means, in the words families read (the staff words if none given).
        to_reader: for a young person reading about themselves ("you", not "they")."""
        if level >= len(self.family_descriptors):
            return self.descriptors[level]
        text = self.family_descriptors[level]
        if to_reader:
            text = SECOND_PERSON.sub(lambda m: YOU[m.group(0)], text)
        return text


@dataclass(frozen=True)
class Framework:
    id: str
    version: str
    name: str
    age_band: str
    licence: str
    introduction: str
    scale: tuple[Level, ...]
    domains: tuple[Domain, ...]
    checksum: str
    path: str
    significant_from: int = 0  # set from the file, or the default, by load_framework

    @property
    def levels(self) -> int:
        return len(self.scale)

    @property
    def scale_key(self) -> tuple[int, int]:
        """Two frameworks' ratings may be counted together only if this is the same."""
        return (self.levels, self.significant_from)

    @property
    def max_level(self) -> int:
        return self.scale[-1].level

    @property
    def age_band_label(self) -> str:
        return AGE_BANDS[self.age_band]

    def domain(self, key: str) -> Domain:
        for d in self.domains:
            if d.key == key:
                return d
        raise KeyError(key)

    def level(self, value: int) -> Level:
        return self.scale[value]


@cache
def _schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text())


def _place(path: Any) -> str:
    parts = [f"[{p}]" if isinstance(p, int) else f".{p}" for p in path]
    return "".join(parts).lstrip(".") or "the top level"


def _check(data: dict[str, Any], where: str) -> None:
    validator = jsonschema.Draft202012Validator(_schema())
    error = jsonschema.exceptions.best_match(validator.iter_errors(data))
    if error is not None:
        raise FrameworkError(
            f"Framework file {where}: at {_place(error.absolute_path)}: {error.message}"
        )
    levels = [lv["level"] for lv in data["scale"]]
    if levels != list(range(len(levels))):
        raise FrameworkError(
            f"Framework file {where}: at scale: levels must be 0, 1, 2... in order, not {levels}"
        )
    significant = data.get("significant_from")
    if significant is not None and significant >= len(levels):
        raise FrameworkError(
            f"Framework file {where}: at significant_from: must be a level on the scale "
            f"(0 to {len(levels) - 1}), not {significant}"
        )
    keys = [d["key"] for d in data["domains"]]
    if sorted(keys) != sorted(DOMAIN_KEYS):
        raise FrameworkError(
            f"Framework file {where}: at domains: each of the five domains must appear once, not {keys}"
        )
    for i, d in enumerate(data["domains"]):
        for field in ("descriptors", "planning_prompts", "family_descriptors"):
            if field in d and len(d[field]) != len(levels):
                raise FrameworkError(
                    f"Framework file {where}: at domains[{i}].{field}: needs one entry per scale level "
                    f"({len(levels)}), found {len(d[field])}"
                )
        for field in ("readiness_prompts", "confidence_prompts"):
            ids = [p["id"] for p in d[field]]
            if len(ids) != len(set(ids)):
                raise FrameworkError(
                    f"Framework file {where}: at domains[{i}].{field}: prompt ids must be unique"
                )


def load_framework(path: Path | str) -> Framework:
    path = Path(path)
    where = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise FrameworkError(f"Framework file {where}: cannot be read ({exc.strerror})") from None
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        place = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "somewhere"
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise FrameworkError(f"Framework file {where}: at {place}: {problem}") from None
    if not isinstance(data, dict):
        raise FrameworkError(
            f"Framework file {where}: at the top level: expected a mapping of fields"
        )
    _check(data, where)
    order = {key: i for i, key in enumerate(DOMAIN_KEYS)}
    domains = sorted(data["domains"], key=lambda d: order[d["key"]])
    return Framework(
        id=data["id"],
        version=data["version"],
        name=data["name"],
        age_band=data["age_band"],
        licence=data["licence"],
        introduction=data.get("introduction", ""),
        scale=tuple(Level(**lv) for lv in data["scale"]),
        domains=tuple(
            Domain(
                key=d["key"],
                name=d["name"],
                short_name=d["short_name"],
                description=d["description"],
                family_description=d["family_description"],
                sub_areas=tuple(d["sub_areas"]),
                descriptors=tuple(d["descriptors"]),
                readiness_prompts=tuple(Prompt(**p) for p in d["readiness_prompts"]),
                confidence_prompts=tuple(Prompt(**p) for p in d["confidence_prompts"]),
                planning_prompts=tuple(tuple(p) for p in d["planning_prompts"]),
                family_descriptors=tuple(d.get("family_descriptors", ())),
            )
            for d in domains
        ),
        checksum=hashlib.sha256(raw).hexdigest(),
        path=where,
        significant_from=data.get("significant_from") or default_significant(len(data["scale"])),
    )


def family_texts(path: Path | str) -> Iterator[str]:
    """The texts of a framework file that families read, for the translators' catalogue
    (config/messages.py): its name, the scale's labels, each area's names and family
    description, its descriptors as families get them (family_descriptor: the family words,
    for the young person too, else the usual words) and the prompts shown to families (home
    confidence on their questions, readiness "in place" in their copy of the PDF)."""
    fw = load_framework(path)
    yield fw.name
    for lv in fw.scale:
        yield from (lv.need, lv.readiness, lv.confidence)
    for d in fw.domains:
        yield from (d.name, d.short_name, d.family_description)
        for level in range(fw.levels):
            yield d.family_descriptor(level)
            yield d.family_descriptor(level, to_reader=True)
        yield from (p.text for p in d.confidence_prompts)
        yield from (p.text for p in d.readiness_prompts)


def default_significant(levels: int) -> int:
    """Three fifths of the way up the scale: 3 on 0-4, 2 on 0-3, 3 on 0-6."""
    return max(1, (3 * levels) // 5)
