"""Disclosure control for everything shown to people who may not see the children behind it
(LA officers, governors, and anyone downloading the governors' summary). See ADR 9.

One rule, applied to each count on its own, so that every page, file, API response and as-at
term shows the same figure for the same count:
- 0 is shown as 0;
- 1 to HIDDEN_MAX is shown as one label, HIDDEN;
- anything larger is rounded to the nearest ROUNDING.
Percentages are worked out from the published counts, never from the true ones, and no mean
is published, so nothing shown carries more than the rounded counts do. Rounding breaks the
exact sums (support + plans = with SEN, settings add up to their locality) that let a hidden
count be worked back; tests/test_disclosure_attack.py checks that it holds.
"""

ROUNDING = 5
HIDDEN_MAX = 7
HIDDEN = f"1 to {HIDDEN_MAX}"
NOTE = (
    f"To protect children's privacy, counts from 1 to {HIDDEN_MAX} are shown as "
    f"'{HIDDEN}', other counts are rounded to the nearest {ROUNDING}, and percentages are "
    "worked out from the rounded counts. No child is named."
)


def count(value: int) -> int | str:
    if value <= 0:
        return 0
    if value <= HIDDEN_MAX:
        return HIDDEN
    return ROUNDING * ((value + ROUNDING // 2) // ROUNDING)


def pct(part: int | str, whole: int | str) -> float | str | None:
    """A percentage of two published counts."""
    if isinstance(part, str) or isinstance(whole, str) or not whole:
        return None
    return round(100 * part / whole, 1)


def is_hidden(value: object) -> bool:
    return value == HIDDEN


def api_note() -> dict[str, object]:
    """What the API tells its callers about the figures, so they can read them correctly."""
    return {
        "rounding": ROUNDING,
        "hidden_label": HIDDEN,
        "hidden_max": HIDDEN_MAX,
        "percentages_from_published": True,
        "note": NOTE,
    }
