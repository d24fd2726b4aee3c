"""From rows of text cells and a column mapping to children's records, with every problem by
row and column in plain words.

A record is a plain dict (kept as JSON between preview and confirmation) holding the fields
whose columns are mapped; a field without a column is left as vsend holds it.
"""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError

from vsend.children.validators import validate_upn
from vsend.exchange import columns
from vsend.exchange.columns import BY_FIELD, BadValue

MAX_PROBLEMS = 500


def _label(field: str) -> str:
    return BY_FIELD[field].header


def read_rows(
    rows: list[Any], headers: list[str], mapping: dict[str, str], *, today: date
) -> tuple[list[dict[str, Any]], list[str]]:
    index = {field: headers.index(h) for field, h in mapping.items() if h in headers}
    records: list[dict[str, Any]] = []
    problems: list[str] = []
    seen_upns: dict[str, int] = {}

    for number, cells in rows:
        record: dict[str, Any] = {"row": number}
        row_problems: list[str] = []

        def say(
            field: str, message: str, number: int = number, out: list[str] = row_problems
        ) -> None:
            out.append(f"Row {number}, {_label(field)}: {message}")

        for field, i in index.items():
            value = cells[i] if i < len(cells) else ""
            if value.startswith(("=", "+", "@")) and len(value) > 1 and not value[1:].isdigit():
                say(field, "the cell holds a formula, not a value: save the register as values")
                continue
            try:
                record[field] = _value(field, value, today)
            except BadValue as exc:
                say(field, str(exc))
        for field in columns.REQUIRED:
            if field in index and field in record and not record[field]:
                say(field, "it is empty")
        _check_upn(record, say, seen_upns, number)
        _check_sen(record, say)
        born = record.get("date_of_birth")
        start = record.get("sen_start")
        if born and start and start < born:
            say("sen_start", "it is before the child's date of birth")
        for key in ("date_of_birth", "sen_start"):
            if isinstance(record.get(key), date):
                record[key] = record[key].isoformat()
        if row_problems:
            problems.extend(row_problems)
        else:
            records.append(record)
        if len(problems) > MAX_PROBLEMS:
            problems.append("vsend stopped checking here: there are too many problems")
            break
    return records, problems


def _value(field: str, value: str, today: date) -> Any:
    if field == "upn":
        return columns.upn(value)
    if field in ("date_of_birth", "sen_start"):
        return columns.a_date(value, today=today)
    if field == "sex":
        return columns.sex(value) if value else ""
    if field == "sen_provision":
        return columns.provision(value)
    if field in ("primary_need", "secondary_need"):
        return columns.need(value)
    if field == "year_group":
        return columns.year_group(value)
    limit = 50 if field == "reg_group" else 100
    text = " ".join(value.split())
    if len(text) > limit:
        raise BadValue(f"it is longer than {limit} characters")
    return text


def _check_upn(record: dict[str, Any], say: Any, seen: dict[str, int], number: int) -> None:
    upn = record.get("upn")
    if not upn:
        return
    try:
        validate_upn(upn)
    except ValidationError as exc:
        say("upn", f"{upn[:13]}: {exc.messages[0]}")
        record["upn"] = ""
        return
    if upn in seen:
        say("upn", f"{upn} is also on row {seen[upn]}")
        return
    seen[upn] = number


def _check_sen(record: dict[str, Any], say: Any) -> None:
    provision = record.get("sen_provision")
    primary = record.get("primary_need", "")
    secondary = record.get("secondary_need", "")
    if provision is None:
        return
    if provision == "N" and (primary or secondary):
        say("primary_need", "a type of need is given but SEN provision is N (no SEN)")
    if "NSA" in (primary, secondary) and provision != "K":
        field = "primary_need" if primary == "NSA" else "secondary_need"
        say(field, "NSA (no specialist assessment of need) is used only with SEN provision K")
    if secondary and not primary:
        say("secondary_need", "a secondary need is given without a primary need")
    if secondary and secondary == primary:
        say("secondary_need", "it is the same as the primary need")
