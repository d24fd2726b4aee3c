"""One rule for ids in addresses and filters: a database id is 1 to 2**63 - 1.

Anything else cannot name a record, so it is "not found" (a URL) or a form error (a filter),
never an overflow inside the database driver.
"""

from typing import Any

from django import forms

MAX_ID = 2**63 - 1


class IdConverter:
    """`<id:pk>` in URL patterns: digits that fit a 64-bit id; others do not match (a 404)."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= MAX_ID:
            raise ValueError("not an id")  # Django treats this as "no match"
        return number

    def to_url(self, value: Any) -> str:
        return str(int(value))


class IdField(forms.IntegerField):
    """A record id in a filter or hidden field: bounded like every other id."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        kwargs.setdefault(
            "error_messages",
            {
                "invalid": "Choose a record from the list",
                "min_value": "Choose a record from the list",
                "max_value": "Choose a record from the list",
            },
        )
        super().__init__(**kwargs)


def parse_id(value: object) -> int | None:
    """An id from a query string or body, or None when it cannot be one."""
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 19:
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None
