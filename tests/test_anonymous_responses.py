"""What anonymous viewers (LA officers, governors, the governors' summary whoever asks) are sent
has passed through disclosure control: no child's name, no link to or id of a child, and no
count from 1 to 4, on every page, export and API response they can reach.

A coarse check across everything, beside the finer suppression tests: a response that skipped
disclosure control altogether shows small counts in a world this small.
"""

import csv
import html
import io
import json
import re
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from vsend.children.models import Child

SMALL = {1, 2, 3, 4}
NUMERIC_CELL = re.compile(
    r'<td class="govuk-table__cell govuk-table__cell--numeric"[^>]*>(.*?)</td>', re.S
)
CHILD_LINK = re.compile(r"/children/|[?&](child|pk)=\d")


def _small_in_html(page: str) -> list[str]:
    cells = [html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in NUMERIC_CELL.findall(page)]
    return [c for c in cells if c.isdigit() and int(c) in SMALL]


def _small_in_rows(rows: list[list[Any]]) -> list[Any]:
    """Counts after each row's label: ints (from JSON or Excel) or whole-number text (CSV)."""
    found = []
    for row in rows:
        for value in row[1:]:
            if isinstance(value, bool):
                continue
            if isinstance(value, int) and value in SMALL:
                found.append(value)
            elif isinstance(value, str) and value.strip().isdigit() and int(value) in SMALL:
                found.append(value)
    return found


def _text(response: Any) -> tuple[str, list[list[Any]] | None]:
    """The response as text, and its table rows where it has them."""
    kind = response.headers["Content-Type"]
    body = response.content
    if kind.startswith("application/json"):
        data = json.loads(body)
        return body.decode(), [row for t in data["tables"] for row in t["rows"]]
    if kind.startswith("text/csv"):
        text = body.decode()
        return text, list(csv.reader(io.StringIO(text)))
    if "spreadsheetml" in kind:
        book = load_workbook(io.BytesIO(body))
        rows = [list(r) for ws in book.worksheets for r in ws.iter_rows(values_only=True)]
        return "\n".join(" ".join(str(v) for v in r if v is not None) for r in rows), rows
    if kind.startswith("application/pdf"):
        return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages), None
    return body.decode(), None


def _leaks(response: Any, names: list[str]) -> list[str]:
    assert response.status_code == 200, response.status_code
    text, rows = _text(response)
    problems = [f"name {n}" for n in names if re.search(rf"\b{re.escape(n)}\b", text)]
    if CHILD_LINK.search(text):
        problems.append(f"child link {CHILD_LINK.search(text).group(0)}")  # type: ignore[union-attr]
    if rows is not None:
        problems += [f"count {v}" for v in _small_in_rows(rows)]
    elif response.headers["Content-Type"].startswith("text/html"):
        problems += [f"count {v}" for v in _small_in_html(text)]
    return problems


def _reachable(world) -> dict[str, list[str]]:
    """Every page, export and API response each anonymous viewer can open."""
    a1, a2 = world.setting.pk, world.other_setting.pk
    terms = ["", "term=summer-2026", "term=spring-2026"]
    setting_urls = []
    for pk in (a1,):
        for q in terms:
            suffix = f"?{q}" if q else ""
            setting_urls += [
                reverse("insights:setting", kwargs={"pk": pk}) + suffix,
                reverse("insights:setting-export", kwargs={"pk": pk, "fmt": "csv"}) + suffix,
                reverse("insights:setting-export", kwargs={"pk": pk, "fmt": "xlsx"}) + suffix,
                reverse("insights:governors", kwargs={"pk": pk}) + suffix,
                reverse("api:setting-insight", kwargs={"pk": pk}) + suffix,
            ]
    # Filters are ignored for anonymous viewers: asking for narrowed figures must not leak.
    narrowed = "sen_provision=K&sex=F&year=3"
    setting_urls += [
        reverse("insights:setting", kwargs={"pk": a1}) + f"?{narrowed}",
        reverse("api:setting-insight", kwargs={"pk": a1}) + f"?{narrowed}",
    ]
    authority_urls = []
    for q in [*terms, narrowed, f"setting={a2}"]:
        suffix = f"?{q}" if q else ""
        authority_urls += [
            reverse("insights:authority") + suffix,
            reverse("insights:authority-export", kwargs={"fmt": "csv"}) + suffix,
            reverse("insights:authority-export", kwargs={"fmt": "xlsx"}) + suffix,
            reverse("api:authority-insight") + suffix,
        ]
    for q in terms:
        suffix = f"?{q}" if q else ""
        authority_urls += [
            reverse("provision:authority") + suffix,
            reverse("provision:authority-xlsx") + suffix,
            reverse("api:provision-authority") + suffix,
        ]
    officer_settings = [
        reverse("insights:setting", kwargs={"pk": a2}),
        reverse("api:setting-insight", kwargs={"pk": a2}),
        reverse("insights:governors", kwargs={"pk": a2}),
    ]
    return {
        "la_officer": ["/", *setting_urls, *authority_urls, *officer_settings],
        "governor": ["/", *setting_urls],
        # The governors' summary is anonymous whoever downloads it.
        "sendco": [reverse("insights:governors", kwargs={"pk": a1})],
        "la_admin": [reverse("insights:governors", kwargs={"pk": a2})],
    }


@pytest.mark.parametrize("persona", ["la_officer", "governor", "sendco", "la_admin"])
def test_anonymous_viewers_get_no_names_links_or_small_counts(world, as_user, persona):
    names = [n for c in Child.objects.all() for n in (c.first_name, c.full_name)]
    client = as_user(persona)
    problems = {}
    for url in _reachable(world)[persona]:
        found = _leaks(client.get(url, follow=True), names)
        if found:
            problems[url] = found
    assert problems == {}


def test_the_check_finds_what_it_looks_for(world, as_user):
    """An identifiable viewer's dashboard, which has not passed through disclosure control,
    fails the same check: names in the links' targets aside, its counts of 1 to 4 show."""
    names = [c.first_name for c in Child.objects.all()]
    admin = as_user("la_admin")
    for url in (
        reverse("insights:setting", kwargs={"pk": world.setting.pk}),
        reverse("insights:setting-export", kwargs={"pk": world.setting.pk, "fmt": "csv"}),
        reverse("insights:setting-export", kwargs={"pk": world.setting.pk, "fmt": "xlsx"}),
        reverse("api:setting-insight", kwargs={"pk": world.setting.pk}),
        reverse("insights:authority"),
    ):
        assert any(p.startswith("count") for p in _leaks(admin.get(url, follow=True), names)), url
    page = admin.get(reverse("insights:setting", kwargs={"pk": world.setting.pk}))
    assert "/children/" in page.content.decode()
    child_page = admin.get(reverse("children:detail", kwargs={"pk": world.child.pk}))
    assert any(p.startswith("name") for p in _leaks(child_page, names))


def test_a_viewer_wrongly_let_identify_children_would_be_caught(world, as_user, monkeypatch):
    """If the policy let governors identify children, their responses would fail the check."""
    from vsend.accounts.policy import AccessPolicy, Disclosure, SettingDisclosure

    monkeypatch.setattr(
        AccessPolicy,
        "setting_disclosure",
        lambda self, setting: SettingDisclosure(Disclosure.IDENTIFIABLE),
    )
    names = [c.first_name for c in Child.objects.all()]
    client = as_user("governor")
    for url in (
        reverse("insights:setting", kwargs={"pk": world.setting.pk}),
        reverse("insights:setting-export", kwargs={"pk": world.setting.pk, "fmt": "csv"}),
        reverse("api:setting-insight", kwargs={"pk": world.setting.pk}),
    ):
        assert _leaks(client.get(url, follow=True), names), url
