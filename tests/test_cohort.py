"""A figure and the children listed behind its link are the same children, for every filter
(one cohort definition: vsend/children/cohort.py)."""

from datetime import date, timedelta
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.utils import timezone

from tests.test_insights import make_profile
from vsend.accounts.policy import access_policy
from vsend.accounts.roles import Perm
from vsend.children import selectors
from vsend.children.forms import ChildFilterForm
from vsend.children.models import Child, Enrolment
from vsend.insights import dashboards
from vsend.insights.queries import Filters
from vsend.organisations.models import SchoolClass


@pytest.fixture
def school(world):
    today = timezone.localdate()
    by = world.users["sendco"]
    kinds = [("F", "E", "ASD"), ("M", "K", "SLCN"), ("F", "K", "SLCN"), ("M", "E", "SEMH")]
    for i in range(12):
        sex, provision, need = kinds[i % 4]
        child = Child.objects.create(
            authority=world.authority,
            first_name=f"Pupil{i}",
            last_name="Cohort",
            sex=sex,
            date_of_birth=date(2018, 1 + i % 12, 3),
            sen_provision=provision,
            primary_need=need,
            secondary_need="SLCN" if need != "SLCN" and i % 3 == 0 else "",
        )
        Enrolment.objects.create(
            child=child,
            setting=world.setting,
            year_group=world.year3,
            school_class=world.class_3x if i % 2 else world.class_3y,
            started_on=date(2025, 9, 1),
        )
        if i % 5:
            make_profile(
                child,
                1,
                today - timedelta(days=20 + i),
                [i % 5, (i + 1) % 5, (i + 2) % 5, 4 - i % 5, 2],
                review=today - timedelta(days=1) if i % 3 == 0 else today + timedelta(days=60),
                by=by,
            )
    return world


FILTERS = [
    Filters(),
    Filters(year="3"),
    Filters(sen_provision="K"),
    Filters(sen_provision="E"),
    Filters(need="SLCN"),
    Filters(need="ASD"),
    Filters(sex="F"),
    Filters(sex="M"),
]


def listed(user, href):
    query = dict(parse_qsl(urlsplit(href).query))
    classes = list(SchoolClass.objects.all())
    form = ChildFilterForm(query, classes=classes)
    assert form.is_valid(), (href, form.errors)
    filters = selectors.ChildFilters(
        **{k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    )
    return selectors.filter_children(access_policy(user).children(Perm.VIEW_CHILD), filters).count()


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: str(f.as_query()) or "none")
def test_every_linked_figure_lists_the_same_children(school, filters):
    user = school.users["sendco"]
    checked = 0
    for f in (filters, Filters(**{**filters.__dict__, "school_class": school.class_3x.pk})):
        dashboard = dashboards.setting_dashboard(user, school.setting, f, timezone.localdate())
        for table in dashboard.tables:
            for row, links in zip(table.rows, table.links or [], strict=False):
                for value, href in zip(row, links, strict=True):
                    if href and isinstance(value, int) and value:
                        assert listed(user, href) == value, (table.key, row[0], href)
                        checked += 1
    assert checked >= 5  # the test compares figures, not nothing


def test_the_sendco_home_see_all_link_lists_every_child_with_sen(school, as_user):
    for i in range(25):  # more than the home page shows
        child = Child.objects.create(
            authority=school.authority,
            first_name=f"Extra{i}",
            last_name="Cohort",
            sex="M",
            date_of_birth=date(2017, 5, 5),
            sen_provision="E" if i % 2 else "K",
            primary_need="MLD",
        )
        Enrolment.objects.create(child=child, setting=school.setting, started_on=date(2025, 9, 1))
    response = as_user("sendco").get("/")
    html = response.content.decode()
    assert "sen_provision=with_sen" in html
    with_sen = Child.objects.filter(
        enrolments__setting=school.setting, sen_provision__in=["K", "E"]
    ).count()
    assert f"See all {with_sen}" in html
    href = html.split("sen_provision=with_sen")[0].rsplit('href="', 1)[1] + "sen_provision=with_sen"
    href += html.split("sen_provision=with_sen")[1].split('"')[0]
    assert listed(school.users["sendco"], href.replace("&amp;", "&")) == with_sen


@pytest.mark.parametrize("persona", ["governor", "la_officer"])
def test_anonymous_views_offer_no_filter_and_say_the_figures_are_whole(school, as_user, persona):
    url = (
        f"/insight/settings/{school.setting.pk}/?year=3&sex=F&need=ASD"
        if persona == "governor"
        else "/insight/authority/?year=3&sex=F&need=ASD"
    )
    html = as_user(persona).get(url).content.decode()
    for name in ("year", "sex", "need", "school_class", "sen_provision"):
        assert f'name="{name}"' not in html, name
    whole = "whole setting" if persona == "governor" else "whole authority"
    assert f"Figures are for every child in the {whole}" in html
    assert "cannot be narrowed to a year group" in html
