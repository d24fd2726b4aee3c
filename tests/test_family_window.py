"""The family's window: the home for each child and who opened or changed the record."""

import re
from datetime import date

import pytest
from django.urls import reverse

from tests.profile_helpers import complete_profile, step_data
from vsend.audit.models import AuditEvent
from vsend.children.models import Enrolment, FamilyLink
from vsend.family import access_log
from vsend.family.selectors import change_words
from vsend.profiles.models import Profile

REVIEW = {
    "assessment_date-day": "20",
    "assessment_date-month": "11",
    "assessment_date-year": "2026",
}


def _log_ids(client, child) -> list[int]:
    """Every event id the family's access log shows, across all its pages."""
    ids: list[int] = []
    url = reverse("family:access", kwargs={"pk": child.pk})
    page = 1
    while True:
        html = client.get(url, {"page": page}).content.decode()
        ids += [int(x) for x in re.findall(r'data-event="(\d+)"', html)]
        if f"page={page + 1}" not in html:
            return ids
        page += 1


def _review(client, first: int) -> int:
    outcome = Profile.objects.get(pk=first).outcomes.get()
    client.post(reverse("profiles:review", kwargs={"pk": first}))
    second = Profile.objects.get(previous_id=first)
    for step in ("about", "needs", "readiness", "home", "plan"):
        extra: dict[str, str] = REVIEW if step == "about" else {}
        if step == "needs":
            extra = {"need__communication_interaction": "1", "need__semh": "2"}
        if step == "plan":
            extra = {f"review__{outcome.pk}": "partly"}
        r = client.post(
            reverse("profiles:step", kwargs={"pk": second.pk, "step": step}),
            step_data(step, second.pk, **extra),
        )
        assert r.status_code == 302, r.content.decode()[:2000]
    lock = str(Profile.objects.get(pk=second.pk).lock_version)
    client.post(reverse("profiles:finalise", kwargs={"pk": second.pk}), {"lock_version": lock})
    return second.pk


def test_the_home_lists_each_child_and_leads_to_their_window(world, as_user):
    html = as_user("parent").get(reverse("home")).content.decode()
    assert reverse("family:home", kwargs={"pk": world.child.pk}) in html


def test_the_window_shows_the_picture_what_changed_and_the_next_date(world, as_user):
    sendco = as_user("sendco")
    first = complete_profile(sendco, world.child)
    second = _review(sendco, first)
    latest = Profile.objects.get(pk=second)
    assert latest.status == "finalised"
    html = as_user("parent").get(reverse("family:home", kwargs={"pk": world.child.pk}))
    assert html.status_code == 200
    text = html.content.decode()
    assert "Less need than last time" in text and "More need than last time" in text
    assert "The same as last time" in text
    assert "The next review of the profile is due by" in text
    assert reverse("profiles:pdf", kwargs={"pk": second}) in text
    assert reverse("family:access", kwargs={"pk": world.child.pk}) in text
    assert "<svg" in text  # the chart
    # The family's words, never the staff descriptors.
    domain = latest.ratings.get(domain="semh")
    from vsend.profiles.selectors import profile_view

    view = profile_view(latest)
    d = next(x for x in view.domains if x.domain.key == "semh")
    assert d.domain.family_descriptor(domain.need_level) in text


def test_the_window_with_no_profile_says_so(world, as_user):
    text = as_user("parent").get(reverse("family:home", kwargs={"pk": world.child.pk}))
    assert "There is no finished profile yet" in text.content.decode()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("sendco", 403), ("teacher", 403), ("la_admin", 403), ("other_setting", 404)],
)
def test_staff_cannot_open_a_window(world, as_user, persona, status):
    # Staff who reach the child are refused (their page is the record); others: not found.
    for name in ("family:home", "family:access"):
        response = as_user(persona).get(reverse(name, kwargs={"pk": world.child.pk}))
        assert response.status_code == status


def test_a_parent_cannot_open_another_childs_window(world, as_user):
    for name in ("family:home", "family:access"):
        response = as_user("parent").get(reverse(name, kwargs={"pk": world.classmate.pk}))
        assert response.status_code == 404


def test_the_log_matches_the_childs_audit_rows_exactly_and_no_one_elses(world, as_user):
    # A sibling (another child of the same parent) and a classmate at the same setting, each
    # with their own events; and enough events for the child to need more than one page.
    sibling = world.other_setting_child
    FamilyLink.objects.create(child=sibling, user=world.users["parent"], relationship="mother")
    sendco, parent = as_user("sendco"), as_user("parent")
    complete_profile(sendco, world.child)
    for _ in range(access_log.PAGE_SIZE):
        sendco.get(reverse("children:detail", kwargs={"pk": world.child.pk}))
    sendco.get(reverse("children:detail", kwargs={"pk": world.classmate.pk}))
    as_user("other_setting").get(reverse("children:detail", kwargs={"pk": sibling.pk}))
    parent.get(reverse("family:home", kwargs={"pk": sibling.pk}))
    shown = _log_ids(parent, world.child)
    rows = list(AuditEvent.objects.filter(child_id=world.child.pk).values_list("pk", flat=True))
    # Each page visit adds its own row first (newest first, so a later page may show one row
    # of the page before again); every row of the trail is shown, and nothing else.
    assert set(shown) == set(rows) - _later_visits(rows, shown)
    assert len(set(shown)) > access_log.PAGE_SIZE
    others = set(AuditEvent.objects.exclude(child_id=world.child.pk).values_list("pk", flat=True))
    assert not set(shown) & others
    sibling_rows = AuditEvent.objects.filter(child_id=sibling.pk)
    assert sibling_rows.exists()
    assert set(_log_ids(parent, sibling)) <= set(
        AuditEvent.objects.filter(child_id=sibling.pk).values_list("pk", flat=True)
    )


def _later_visits(rows: list[int], shown: list[int]) -> set[int]:
    """The rows written by the log's own later pages (page 2 onwards is read after page 1
    shows the newest rows): they are in the trail but after the first page was drawn."""
    newest_shown = max(shown)
    return {pk for pk in rows if pk > newest_shown}


def test_one_page_of_the_log_is_the_trail_exactly(world, as_user):
    sendco, parent = as_user("sendco"), as_user("parent")
    sendco.get(reverse("children:detail", kwargs={"pk": world.child.pk}))
    sendco.get(reverse("children:detail", kwargs={"pk": world.classmate.pk}))
    html = parent.get(reverse("family:access", kwargs={"pk": world.child.pk})).content.decode()
    shown = [int(x) for x in re.findall(r'data-event="(\d+)"', html)]
    rows = list(AuditEvent.objects.filter(child_id=world.child.pk).values_list("pk", flat=True))
    assert shown == rows  # same count, same events, newest first
    assert len(shown) == 2


def test_the_log_says_who_by_role_and_organisation_and_you_for_the_family(world, as_user):
    as_user("sendco").get(reverse("children:detail", kwargs={"pk": world.child.pk}))
    html = as_user("parent").get(reverse("family:access", kwargs={"pk": world.child.pk}))
    text = html.content.decode()
    assert "A SENDCo at Setting A1 looked at the record." in text
    assert "You looked at the record." in text
    assert "Sendco" not in text  # no staff names unless the authority chooses them


def test_the_authority_may_choose_to_show_staff_names(world, as_user):
    world.authority.family_log_shows_staff_names = True
    world.authority.save()
    as_user("sendco").get(reverse("children:detail", kwargs={"pk": world.child.pk}))
    text = as_user("parent").get(reverse("family:access", kwargs={"pk": world.child.pk}))
    assert "Sendco, SENDCo at Setting A1 looked at the record" in text.content.decode()


def test_a_refused_probe_reads_as_stopped(world, as_user):
    Enrolment.objects.filter(child=world.child).update(ended_on=date(2025, 9, 2))
    as_user("other_setting").get(reverse("profiles:start", kwargs={"child_pk": world.child.pk}))
    text = as_user("parent").get(reverse("family:access", kwargs={"pk": world.child.pk}))
    body = text.content.decode()
    rows = AuditEvent.objects.filter(child_id=world.child.pk)
    assert len(re.findall(r'data-event="', body)) == rows.count()


def test_the_log_page_is_bounded(world, as_user):
    response = as_user("parent").get(
        reverse("family:access", kwargs={"pk": world.child.pk}), {"page": "9" * 40}
    )
    assert response.status_code == 200


def test_change_words():
    assert change_words(None) == ""
    assert change_words(1) == "More need than last time"
    assert change_words(-2) == "Less need than last time"
    assert change_words(0) == "The same as last time"


def test_the_young_person_sees_their_own_page(world, as_user):
    response = as_user("young_person").get(
        reverse("family:home", kwargs={"pk": world.young_person_child.pk})
    )
    assert response.status_code == 200
    assert "Your page" in response.content.decode()


def test_with_an_open_case_the_next_date_is_the_statutory_step(world, as_user):
    from vsend.audit.services import Actor
    from vsend.statutory import services

    services.request_assessment(
        actor=Actor(user=world.users["sendco"]),
        child=world.child,
        requester="setting",
        setting=world.setting,
        reasons="Needs more help",
        received_on=None,
    )
    complete_profile(as_user("sendco"), world.child)
    text = as_user("parent").get(reverse("family:home", kwargs={"pk": world.child.pk}))
    body = text.content.decode()
    # The family's words for the clock (statutory/family.py), not the profile's review.
    assert "Next: " in body and "weeks left" in body
    assert "The next review of the profile" not in body
    assert "See each step and its date" in body


def test_the_authority_administrator_chooses_staff_names_and_it_is_audited(world, as_user):
    client = as_user("la_admin")
    url = reverse("family:staff-names", kwargs={"pk": world.authority.pk})
    page = client.post(url, {"show": "maybe"}).content.decode()
    assert "Choose whether families see the names of staff" in page
    for _ in range(2):  # a double click: one change, one audit row
        assert client.post(url, {"show": "yes"}).status_code == 302
    world.authority.refresh_from_db()
    assert world.authority.family_log_shows_staff_names
    rows = AuditEvent.objects.filter(detail__family_log_shows_staff_names=True)
    assert rows.count() == 1
    assert as_user("other_authority").get(url).status_code == 404
    assert as_user("sendco").get(url).status_code == 403


def test_a_role_begun_after_the_row_is_not_claimed(world, as_user):
    from datetime import timedelta

    from django.utils import timezone

    from vsend.accounts.models import Membership

    as_user("sendco").get(reverse("children:detail", kwargs={"pk": world.child.pk}))
    later = timezone.now() + timedelta(minutes=5)
    Membership.objects.filter(user=world.users["sendco"]).update(created_at=later)
    text = as_user("parent").get(reverse("family:access", kwargs={"pk": world.child.pk}))
    body = text.content.decode()
    assert "Someone at Authority A looked at the record." in body
    assert "A SENDCo" not in body
