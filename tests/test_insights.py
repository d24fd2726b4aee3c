"""The dashboards' figures on a small hand-made data set, and who may see what."""

import csv
import io
import re
from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from vsend.children.models import Child, Enrolment
from vsend.frameworks import registry
from vsend.frameworks.loader import DOMAIN_KEYS
from vsend.insights import dashboards, published
from vsend.insights.exports import safe_cell
from vsend.insights.queries import Filters
from vsend.insights.suppression import HIDDEN, NOTE
from vsend.profiles.models import DomainRating, Profile, Status

AS_AT = date(2026, 11, 22)


def make_profile(
    child,
    number,
    assessed,
    need,
    readiness=None,
    confidence=None,
    *,
    status=Status.FINALISED,
    previous=None,
    review=None,
    by=None,
):
    fw = registry.current("5_to_25")
    if previous is not None and status == Status.FINALISED:
        Profile.objects.filter(pk=previous.pk).update(superseded_on=assessed)
    p = Profile.objects.create(
        child=child,
        number=number,
        previous=previous,
        status=status,
        framework_id=fw.id,
        framework_version=fw.version,
        framework_checksum=fw.checksum,
        age_band="5_to_25",
        assessment_date=assessed,
        review_date=review,
        created_by=by,
    )
    readiness, confidence = readiness or need, confidence or need
    DomainRating.objects.bulk_create(
        [
            DomainRating(profile=p, domain=k, need_level=n, readiness_level=r, confidence_level=c)
            for k, n, r, c in zip(DOMAIN_KEYS, need, readiness, confidence, strict=True)
        ]
    )
    return p


@pytest.fixture
def data(world):
    by = world.users["sendco"]
    v1 = make_profile(world.child, 1, date(2026, 3, 10), [2, 1, 1, 0, 1], by=by)
    make_profile(
        world.child,
        2,
        date(2026, 10, 5),
        [3, 1, 2, 0, 1],
        [2, 1, 2, 0, 1],
        [1, 1, 2, 0, 1],
        previous=v1,
        review=date(2026, 11, 1),
        by=by,
    )
    make_profile(
        world.classmate,
        1,
        date(2026, 5, 1),
        [0, 3, 3, 3, 0],
        [0, 3, 2, 3, 0],
        [0, 2, 3, 3, 0],
        review=date(2026, 12, 10),
        by=by,
    )
    make_profile(
        world.young_person_child, 1, date(2026, 11, 1), [4, 4, 4, 4, 4], status=Status.DRAFT, by=by
    )
    evie = Child.objects.create(
        authority=world.authority,
        first_name="Evie",
        last_name="Test",
        sex="F",
        date_of_birth=date(2018, 2, 2),
        sen_provision="K",
        primary_need="SLCN",
    )
    Enrolment.objects.create(
        child=evie, setting=world.setting, year_group=world.year3, started_on=date(2025, 9, 1)
    )
    return world


def table(dashboard, key):
    return {t.key: t for t in dashboard.tables}[key]


def column(t, name):
    i = t.columns.index(name)
    return [row[i] for row in t.rows]


def test_the_setting_figures_are_right(data):
    d = dashboards.setting_dashboard(data.users["sendco"], data.setting, Filters(), AS_AT)
    assert not d.suppressed
    children = dict(table(d, "children").rows)
    assert children == {
        "On roll": 4,
        "With SEN": 2,
        "SEN support": 2,
        "EHC plan": 0,
        "With a current profile": 2,
        "With SEN but no profile": 1,
        "Reviews overdue": 1,
        "Reviews due in the next 4 weeks": 1,
    }
    levels = {row[0]: row[1:] for row in table(d, "need_levels").rows}
    assert levels["Communication and interaction"] == [
        1,
        0,
        0,
        1,
        0,
        2,
    ]  # Amelia 3 (v2, not v1), Bella 0
    assert levels["Social, emotional and mental health"] == [0, 0, 1, 1, 0, 2]
    assert column(table(d, "significant"), "Children") == [1, 1, 1, 1, 0]
    assert column(table(d, "complexity"), "Children") == [0, 1, 0, 1, 0, 0, 2]
    gaps = {row[0]: row[1] for row in table(d, "readiness_gaps").rows}
    assert gaps == {
        "Communication and interaction": 1,
        "Social, emotional and mental health": 1,
        "Cognition and learning": 0,
        "Physical and sensory": 0,
        "Independence": 0,
    }
    home = {row[0]: row[1] for row in table(d, "confidence_gaps").rows}
    assert home["Communication and interaction"] == 1 and home["Cognition and learning"] == 1
    # Since last term (as at 31 August): Amelia was reassessed; communication and SEMH rose by 1.
    change = {row[0]: row[1:] for row in table(d, "change_term").rows}
    assert change["Communication and interaction"] == [0, 0, 1, 1, 1.0]
    assert change["Cognition and learning"] == [0, 1, 0, 1, 0.0]
    assert change["Social, emotional and mental health"] == [0, 0, 1, 1, 1.0]
    assert (
        column(table(d, "change_year"), "Children compared") == [0] * 5
    )  # nobody had a profile a year ago


def test_as_at_an_earlier_date_uses_the_version_current_then(data):
    d = dashboards.setting_dashboard(
        data.users["sendco"], data.setting, Filters(), date(2026, 6, 1)
    )
    levels = {row[0]: row[1:] for row in table(d, "need_levels").rows}
    assert levels["Communication and interaction"] == [
        1,
        0,
        1,
        0,
        0,
        2,
    ]  # Amelia's first profile: 2
    trend = table(d, "trend")
    assert trend.rows[-1][0] == "Summer 2026" and trend.rows[-1][1] == 2


def test_filters_narrow_the_cohort(data):
    d = dashboards.setting_dashboard(
        data.users["sendco"], data.setting, Filters(sen_provision="K"), AS_AT
    )
    children = dict(table(d, "children").rows)
    assert children["On roll"] == 2 and children["With a current profile"] == 1


def test_a_teacher_sees_only_their_classes(data):
    d = dashboards.setting_dashboard(data.users["teacher"], data.setting, Filters(), AS_AT)
    assert dict(table(d, "children").rows)["On roll"] == 1  # Amelia, in 3X


def test_query_counts_do_not_grow_with_the_number_of_children(data):
    def count() -> int:
        cache.clear()  # measure the computation, not the cache
        with CaptureQueriesContext(connection) as queries:
            dashboards.setting_dashboard(data.users["sendco"], data.setting, Filters(), AS_AT)
            dashboards.authority_dashboard(data.users["la_admin"], data.authority, Filters(), AS_AT)
        return len(queries)

    count()  # the first call fills per-user caches
    before = count()
    for i in range(12):
        child = Child.objects.create(
            authority=data.authority,
            first_name=f"C{i}",
            last_name="Extra",
            sex="M",
            date_of_birth=date(2017, 1, 1),
            sen_provision="E",
            primary_need="ASD",
        )
        Enrolment.objects.create(child=child, setting=data.setting, started_on=date(2025, 9, 1))
        make_profile(child, 1, date(2026, 9, 20), [3, 2, 2, 1, 3], by=data.users["sendco"])
    assert count() == before


def test_la_officers_and_governors_see_suppressed_figures_without_names(data, as_user):
    for persona, url in (
        ("la_officer", reverse("insights:authority")),
        ("governor", reverse("insights:setting", kwargs={"pk": data.setting.pk})),
    ):
        page = as_user(persona).get(url).content.decode()
        assert "rounded to the nearest 5" in page
        for child in Child.objects.all():
            assert child.first_name not in page and child.last_name not in page
        assert "/children/" not in page
        d = dashboards.setting_dashboard(data.users[persona], data.setting, Filters(), AS_AT)
        assert d.suppressed


def test_suppression_holds_in_csv_excel_pdf_and_api(data, as_user):
    officer = as_user("la_officer")
    rows = list(
        csv.reader(
            io.StringIO(
                officer.get(
                    reverse("insights:authority-export", kwargs={"fmt": "csv"})
                ).content.decode()
            )
        )
    )
    cells = [c for r in rows for c in r]
    assert NOTE in cells
    assert not any(c.isdigit() and 0 < int(c) < 10 for r in rows[4:] for c in r[1:])
    book = load_workbook(
        io.BytesIO(
            officer.get(reverse("insights:authority-export", kwargs={"fmt": "xlsx"})).content
        )
    )
    values = []
    for ws in book.worksheets[1:]:
        rows_ = list(ws.iter_rows(values_only=True))
        counts = [
            i
            for i, name in enumerate(rows_[1])
            if i and not str(name).startswith(("%", "Mean")) and "%" not in str(name)
        ]
        values += [row[i] for row in rows_[2:] for i in counts if i < len(row)]
    assert [v for v in values if isinstance(v, int) and (0 < v < 10 or v % 5)] == []
    api = officer.get(reverse("api:authority-insight")).json()
    assert api["suppressed"] is True
    numbers = [
        v
        for t in api["tables"]
        if t["key"] != "trend"
        for r in t["rows"]
        for v in r[1:]
        if isinstance(v, int)
    ]
    assert not any(0 < v < 10 or v % 5 for v in numbers)
    assert api["disclosure"]["hidden_label"] == HIDDEN
    assert not re.search(
        r'"(first_name|last_name|upn|child)"',
        officer.get(reverse("api:authority-insight")).content.decode(),
    )
    # The governors' summary is suppressed whoever downloads it, SENDCo included.
    pdf = as_user("sendco").get(
        reverse("insights:governors", kwargs={"pk": data.setting.pk}), follow=True
    )
    from pypdf import PdfReader

    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "rounded to the nearest 5" in text and "Amelia" not in text


def test_anonymous_figures_are_as_at_a_term_end_whatever_date_is_asked(data, as_user):
    d = dashboards.authority_dashboard(data.users["la_officer"], data.authority, Filters(), AS_AT)
    assert d.as_at == published.as_at_term_end(AS_AT) and d.as_at.month in (3, 8, 12)
    api = as_user("governor").get(
        reverse("api:setting-insight", kwargs={"pk": data.setting.pk}), {"as_at": "2026-09-07"}
    )
    assert api.json()["as_at"] == "2026-08-31"


def test_a_sendco_cannot_open_another_settings_dashboard(data, as_user):
    assert (
        as_user("sendco")
        .get(reverse("insights:setting", kwargs={"pk": data.other_setting.pk}))
        .status_code
        == 404
    )
    assert (
        as_user("sendco")
        .get(reverse("api:setting-insight", kwargs={"pk": data.other_setting.pk}))
        .status_code
        == 404
    )
    assert as_user("sendco").get(reverse("insights:authority")).status_code == 403


def test_identifiable_viewers_get_links_to_the_children_behind_figures(data, as_user):
    page = (
        as_user("sendco")
        .get(reverse("insights:setting", kwargs={"pk": data.setting.pk}))
        .content.decode()
    )
    assert f'href="/children/?setting={data.setting.pk}' in page


def test_cells_that_could_run_as_formulas_are_neutralised():
    assert safe_cell('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert (
        safe_cell("+1") == "'+1"
        and safe_cell("@SUM(A1)") == "'@SUM(A1)"
        and safe_cell("-2") == "'-2"
    )
    assert safe_cell(3) == 3 and safe_cell(None) == "" and safe_cell("Brookside") == "Brookside"


def test_a_setting_named_like_a_formula_is_exported_safely(data, as_user):
    data.setting.name = "=cmd|' /C calc'!A0"
    data.setting.save()
    body = as_user("sendco").get(
        reverse("insights:setting-export", kwargs={"pk": data.setting.pk, "fmt": "csv"})
    )
    first = next(csv.reader(io.StringIO(body.content.decode())))
    assert first[0].startswith("'=")


def test_the_children_behind_a_figure_are_listed(data, as_user, settings):
    client = as_user("sendco")

    def names(**q):
        page = client.get(reverse("children:list"), q).content.decode()
        return {n for n in ("Amelia", "Bella", "Dana", "Evie") if f">{n} Test<" in page}

    # As at today (the test data is dated 2026): significant need in communication is Amelia.
    assert names(setting=data.setting.pk, domain="communication_interaction", min_level=3) == {
        "Amelia"
    }
    assert names(setting=data.setting.pk, domain="semh", gap="readiness") == {"Bella"}
    assert names(setting=data.setting.pk, profile="none") == {"Evie"}
    assert names(setting=data.setting.pk, profile="current") == {"Amelia", "Bella"}


def test_cached_figures_change_as_soon_as_a_profile_is_finalised(data, as_user):
    from tests.profile_helpers import complete_profile

    before = dashboards.setting_dashboard(data.users["sendco"], data.setting, Filters(), AS_AT)
    assert dict(table(before, "children").rows)["With SEN but no profile"] == 1
    evie = Child.objects.get(first_name="Evie")
    complete_profile(as_user("sendco"), evie)
    Profile.objects.filter(child=evie).update(assessment_date=date(2026, 11, 2))
    after = dashboards.setting_dashboard(data.users["sendco"], data.setting, Filters(), AS_AT)
    assert dict(table(after, "children").rows)["With SEN but no profile"] == 0


def test_mixed_roles_never_unlock_more_than_one_role_allows(data):
    from vsend.accounts.models import Membership
    from vsend.accounts.roles import Role

    officer = data.users["la_officer"]
    Membership.objects.create(user=officer, role=Role.PARENT, authority=data.authority)
    officer._memberships_cache = None
    assert dashboards.authority_dashboard(officer, data.authority, Filters(), AS_AT).suppressed

    teacher = data.users["teacher"]
    Membership.objects.create(
        user=teacher, role=Role.GOVERNOR, authority=data.authority, setting=data.setting
    )
    teacher._memberships_cache = None
    d = dashboards.setting_dashboard(teacher, data.setting, Filters(), AS_AT)
    assert not d.suppressed and dict(table(d, "children").rows)["On roll"] == 1  # their class only


def test_anonymous_viewers_get_no_narrowed_views(data, as_user):
    d = dashboards.setting_dashboard(
        data.users["governor"], data.setting, Filters(sen_provision="K", sex="F"), AS_AT
    )
    assert d.filters == Filters()
    api = as_user("la_officer").get(reverse("api:authority-insight"), {"sen_provision": "K"}).json()
    assert api["filters"] == {}


def test_anonymous_tables_carry_no_means(data):
    d = dashboards.setting_dashboard(data.users["governor"], data.setting, Filters(), AS_AT)
    for t in d.tables:
        assert not any("Mean" in c for c in t.columns), t.key


def test_bad_dates_and_unknown_authorities_are_refused_cleanly(data, as_user):
    officer = as_user("la_officer")
    assert officer.get(reverse("api:authority-insight"), {"as_at": "9999-12-31"}).status_code == 400
    assert officer.get(reverse("api:authority-insight"), {"as_at": "0001-01-01"}).status_code == 400
    assert officer.get(reverse("api:authority-insight"), {"authority": "999999"}).status_code == 404
    assert (
        officer.get(
            reverse("insights:authority"), {"authority": str(data.other_authority.pk)}
        ).status_code
        == 404
    )
