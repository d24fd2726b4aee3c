"""Old and new values for a change's audit row: bounded in size, and never a secret."""

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

MAX_TEXT = 200  # characters kept of each value
MAX_FIELDS = 60  # fields kept per row
SECRET_WORDS = ("password", "secret", "token", "otp", "key")
NOT_RECORDED = "(not recorded)"


def _value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        value = ", ".join(str(v) for v in value)
    text = str(value)
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def is_secret(name: str) -> bool:
    return any(word in name.lower() for word in SECRET_WORDS)


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """{field: {"old": ..., "new": ...}} for each field whose value changed."""
    changes: dict[str, dict[str, Any]] = {}
    for name in sorted(after):
        old, new = before.get(name), after[name]
        if old == new:
            continue
        if len(changes) >= MAX_FIELDS:
            changes["…"] = {"old": None, "new": f"more than {MAX_FIELDS} fields changed"}
            break
        if is_secret(name):
            changes[name] = {"old": NOT_RECORDED, "new": NOT_RECORDED}
        else:
            changes[name] = {"old": _value(old), "new": _value(new)}
    return changes
