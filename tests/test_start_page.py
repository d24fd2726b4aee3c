"""A new authority's administrator sees what to do next, as a task list computed from the data."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD
from vsend.accounts.models import Membership, User
from vsend.accounts.roles import Role
from vsend.organisations import start
from vsend.organisations.models import LocalAuthority, Locality, Setting


@pytest.fixture
def new_authority(db):
    authority = LocalAuthority.objects.create(name="Newshire", code="999")
    admin = User.objects.create_user("admin@newshire.example", PASSWORD, full_name="Nia Admin")
    Membership.objects.create(user=admin, role=Role.LA_ADMIN, authority=authority)
    client = Client()
    client.force_login(admin)
    return authority, admin, client


def _statuses(page: str) -> dict[str, str]:
    """Each task's title and status, as the page shows them."""
    found = {}
    for item in re.findall(r'<li class="govuk-task-list__item.*?</li>', page, re.S):
        title = re.sub(r"<[^>]+>", " ", item.split("govuk-task-list__hint")[0])
        status = re.search(r"govuk-task-list__status[^>]*>(.*?)</div>\s*</li>", item, re.S)
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", status.group(1))).strip()
        found[re.sub(r"\s+", " ", title).strip(' "<>=')] = text
    return found


def _status(page: str, starts: str) -> str:
    statuses = _statuses(page)
    return next(v for k, v in statuses.items() if starts in k)


def test_an_empty_authority_shows_the_task_list(new_authority):
    authority, _, client = new_authority
    page = client.get(reverse("home")).content.decode()
    assert "Set up Newshire in" in page and "govuk-task-list" in page
    assert "You have completed 0 of 5 tasks" in page
    assert _status(page, "Load your settings") == "Not yet started"
    assert _status(page, "Add localities") == "Not yet started"
    assert _status(page, "Invite a SENDCo") == "Cannot start yet"
    assert _status(page, "Set up your authenticator app") == "Not yet started"
    assert reverse("accounts:mfa-setup") in page  # the task's own page
    assert "Newshire has no settings in" in page


def test_each_status_follows_the_data(new_authority):
    authority, admin, client = new_authority
    locality = Locality.objects.create(authority=authority, name="East")
    first = Setting.objects.create(
        authority=authority, locality=locality, name="One", urn="900001", setting_type="primary"
    )
    Setting.objects.create(
        authority=authority, locality=locality, name="Two", urn="900002", setting_type="special"
    )
    page = client.get(reverse("home")).content.decode()
    assert _status(page, "Load your settings") == "Completed"
    assert _status(page, "Add localities") == "Completed"
    assert _status(page, "Invite a SENDCo") == "Not yet started"
    assert "0 of 2 settings have a SENDCo" in page

    sendco = User.objects.create_user("s@newshire.example", PASSWORD, full_name="S")
    Membership.objects.create(user=sendco, role=Role.SENDCO, authority=authority, setting=first)
    done = start.progress(authority)
    assert (done.settings, done.settings_with_sendco, done.set_up) == (2, 1, True)
    statuses = {t.title: t.status for t in start.tasks(done, has_authenticator=False)}
    assert statuses["Invite a SENDCo for each setting"] is start.Status.IN_PROGRESS
    # Once it has settings and a SENDCo, the home page is the authority's own again.
    assert "govuk-task-list" not in client.get(reverse("home")).content.decode()


def test_an_authority_already_running_shows_no_task_list(world, as_user):
    assert "govuk-task-list" not in as_user("la_admin").get(reverse("home")).content.decode()


def test_only_administrators_see_the_task_list(new_authority):
    authority, _, _ = new_authority
    officer = User.objects.create_user("o@newshire.example", PASSWORD, full_name="O")
    Membership.objects.create(user=officer, role=Role.LA_OFFICER, authority=authority)
    client = Client()
    client.force_login(officer)
    assert "govuk-task-list" not in client.get(reverse("home")).content.decode()


def test_a_task_whose_page_is_not_installed_is_shown_without_a_link(new_authority, monkeypatch):
    authority, _, client = new_authority
    monkeypatch.setattr(start, "GIAS_UPLOAD", "nowhere:missing")
    tasks = start.tasks(start.progress(authority), has_authenticator=True)
    assert tasks[0].href is None and tasks[0].status is start.Status.NOT_STARTED
    assert tasks[-1].status is start.Status.COMPLETED
