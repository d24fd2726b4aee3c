"""Reading a portable record file: bounded, checked against the published JSON Schema, then
against what this vsend knows (frameworks, domains, codes). Every problem is said in plain
words, and nothing is written until the whole file is right."""

import json
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError as SchemaError

from vsend.children.census import NeedType
from vsend.children.validators import validate_upn
from vsend.frameworks import registry
from vsend.records.selectors import FORMAT, VERSION

SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "child-record-v1.json"
MAX_BYTES = 2 * 1024 * 1024  # a child's whole history is a few hundred kilobytes at most
MAX_DEPTH = 12  # the format nests 6 deep
MAX_PROBLEMS = 10


class RecordInvalid(Exception):
    """The file cannot be imported; problems says why, each in plain words."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@cache
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text())


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def _depth(text: str) -> int:
    """How deeply arrays and objects nest, counted before parsing (so a file nested a million
    deep is refused without the parser recursing into it)."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > MAX_DEPTH:
                    return deepest
        elif ch in "]}":
            depth -= 1
    return deepest


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number JSON allows")


def _where(error: SchemaError) -> str:
    path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
    return path.lstrip(".") or "the file"


def _say(error: SchemaError) -> str:
    where = _where(error)
    match error.validator:
        case "required":
            return f"{where}: {error.message.split(' is a required')[0]} is missing"
        case "additionalProperties":
            return f"{where}: {error.message.replace('Additional properties', 'fields')}"
        case "type":
            return f"{where}: must be {error.validator_value}, not {type(error.instance).__name__}"
        case "maxLength" | "maxItems" | "maximum" | "minimum" | "minLength":
            return f"{where}: too long or out of range ({error.validator} {error.validator_value})"
        case "enum" | "const":
            return f"{where}: {str(error.instance)[:40]!r} is not one of the allowed values"
        case "format" | "pattern":
            return f"{where}: {str(error.instance)[:40]!r} is not in the right form"
    return f"{where}: {error.message[:200]}"


def parse(data: bytes) -> dict[str, Any]:
    """The record in a file, or RecordInvalid with what is wrong."""
    if len(data) > MAX_BYTES:
        raise RecordInvalid(
            [
                f"The file is {len(data) // 1024} KB: a portable record can be up to "
                f"{MAX_BYTES // 1024 // 1024} MB"
            ]
        )
    if not data.strip():
        raise RecordInvalid(["The file is empty"])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RecordInvalid(["The file is not a portable record: it is not UTF-8 text"]) from None
    if _depth(text) > MAX_DEPTH:
        raise RecordInvalid(
            ["The file is not a portable record: it is nested more deeply than the format allows"]
        )
    try:
        doc = json.loads(text, parse_constant=_no_constant)
    except (ValueError, RecursionError) as exc:
        raise RecordInvalid([f"The file is not valid JSON ({str(exc)[:120]})"]) from None
    if not isinstance(doc, dict) or doc.get("record_format") != FORMAT:
        raise RecordInvalid(["The file is not a vsend portable record (record_format is missing)"])
    version = doc.get("version")
    if version != VERSION:
        raise RecordInvalid(
            [
                f"The file is version {str(version)[:10]} of the portable record; this vsend reads "
                f"version {VERSION}. Export it again from a vsend that writes version {VERSION}"
            ]
        )
    errors = sorted(_validator().iter_errors(doc), key=lambda e: list(e.absolute_path))
    if errors:
        problems = [_say(e) for e in errors[:MAX_PROBLEMS]]
        if len(errors) > MAX_PROBLEMS:
            problems.append(f"and {len(errors) - MAX_PROBLEMS} more problems")
        raise RecordInvalid(problems)
    problems = _meaning(doc)
    if problems:
        raise RecordInvalid(problems[:MAX_PROBLEMS])
    return doc


def _meaning(doc: dict[str, Any]) -> list[str]:
    """What the schema cannot say: known frameworks and codes, numbering, dates in order."""
    problems: list[str] = []
    child, census = doc["child"], doc["census"]
    if child.get("upn"):
        try:
            validate_upn(child["upn"])
        except ValidationError as exc:
            problems.append(f"child.upn: {exc.messages[0]}")
    if date.fromisoformat(child["date_of_birth"]) > timezone.localdate():
        problems.append("child.date_of_birth: is in the future")
    for key in ("primary_need", "secondary_need"):
        code = census.get(key, "")
        if code and code not in NeedType.values:
            problems.append(f"census.{key}: this vsend does not record the need type {code}")
    numbers = [p["number"] for p in doc["profiles"]]
    if numbers != list(range(1, len(numbers) + 1)):
        problems.append("profiles: must be numbered 1, 2, 3 and so on, oldest first")
    for i, p in enumerate(doc["profiles"]):
        fw = p["framework"]
        framework = registry.get(fw["id"], fw["version"], fw["age_band"])
        where = f"profiles[{i}]"
        if framework is None:
            problems.append(
                f"{where}.framework: this vsend does not have the framework {fw['id'][:50]} "
                f"version {fw['version'][:20]} for age band {fw['age_band'][:10]}"
            )
            continue
        if fw.get("checksum") and fw["checksum"] != framework.checksum:
            problems.append(
                f"{where}.framework: the file was made with different wording of "
                f"{fw['id']} version {fw['version']} (checksums differ)"
            )
        domains = {d.key for d in framework.domains}
        for j, r in enumerate(p["ratings"]):
            if r["domain"] not in domains:
                problems.append(f"{where}.ratings[{j}].domain: {r['domain']!r} is not a domain")
            for level in ("need_level", "readiness_level", "confidence_level"):
                value = r.get(level)
                if value is not None and value > framework.max_level:
                    problems.append(
                        f"{where}.ratings[{j}].{level}: {value} is above the framework's "
                        f"highest level, {framework.max_level}"
                    )
        if len({r["domain"] for r in p["ratings"]}) != len(p["ratings"]):
            problems.append(f"{where}.ratings: a domain is rated twice")
        earlier = doc["profiles"][i - 1] if i else None
        for j, rv in enumerate(p.get("review", [])):
            if earlier is None or rv["outcome"] >= len(earlier["plan"]["outcomes"]):
                problems.append(f"{where}.review[{j}]: no such outcome in the profile before")
        if earlier and earlier["assessment_date"] >= p["assessment_date"]:
            problems.append(f"{where}.assessment_date: must be after the profile before's")
    return problems
