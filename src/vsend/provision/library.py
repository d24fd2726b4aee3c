"""The optional starter library of common provisions (data/library.yaml, in our own words)."""

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from vsend.frameworks.loader import DOMAIN_KEYS
from vsend.provision.models import CostBasis, Kind

PATH = Path(__file__).resolve().parent / "data" / "library.yaml"
REQUIRED = ("key", "name", "description", "areas", "kind", "sessions_per_week", "session_minutes")


@cache
def library() -> tuple[dict[str, Any], ...]:
    """The entries, checked on load: a bad file fails loudly, never half-loads."""
    data = yaml.safe_load(PATH.read_text(encoding="utf-8"))
    entries = tuple(data["provisions"])
    keys = set()
    for e in entries:
        missing = [k for k in REQUIRED if k not in e]
        if missing:
            raise ValueError(f"library entry {e.get('key')} lacks {missing}")
        if not set(e["areas"]) <= set(DOMAIN_KEYS) or not e["areas"]:
            raise ValueError(f"library entry {e['key']} has unknown areas")
        if e["kind"] not in Kind.values or e["cost_basis"] not in CostBasis.values:
            raise ValueError(f"library entry {e['key']} has an unknown kind or cost basis")
        if e["cost_basis"] == "staff_hour" and not e.get("staff_role"):
            raise ValueError(f"library entry {e['key']} costs by staff hour but names no role")
        if e["key"] in keys:
            raise ValueError(f"library entry {e['key']} appears twice")
        keys.add(e["key"])
    return entries


def library_entry(key: str) -> dict[str, Any] | None:
    return next((e for e in library() if e["key"] == key), None)
