"""Views and the API read children's data only through scoped selectors."""

import re
from pathlib import Path

import vsend

SRC = Path(vsend.__file__).parent
CHILD_DATA = (
    r"\b(Child|Enrolment|FamilyLink|CaseAssignment|Profile|DomainRating|SupportOutcome|SupportAction"
    r"|OutcomeReview)\.objects\b"
)


def test_no_view_or_api_module_touches_child_data_directly():
    modules = [p for p in SRC.rglob("*.py") if p.name.startswith("views") or "api" in p.parts]
    assert modules
    offenders = [
        f"{p.relative_to(SRC)}:{n}: {line.strip()}"
        for p in modules
        for n, line in enumerate(p.read_text().splitlines(), 1)
        if re.search(CHILD_DATA, line)
    ]
    assert offenders == [], "read children through vsend.children.selectors"


def test_the_lint_would_catch_bare_access(tmp_path):
    assert re.search(CHILD_DATA, "qs = Child.objects.all()")
