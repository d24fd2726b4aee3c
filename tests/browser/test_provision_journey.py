"""A SENDCo arranges group provision for four children from a child's plan, records a missed
session, and prints the child's costed three-term provision map."""

import shutil
import subprocess
from datetime import date
from decimal import Decimal

import pytest

from tests.browser.conftest import ARTIFACTS, assert_accessible
from tests.browser.test_profile_journey import sign_in
from tests.conftest import _child
from vsend.audit.services import Actor
from vsend.profiles.models import SupportAction
from vsend.profiles.services import start_profile
from vsend.provision import services
from vsend.provision.models import MissedSession, ProvisionGroup, StaffRole

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_group_provision_from_the_plan_a_missed_session_and_the_printed_map(page, world):
    actor = Actor(user=world.users["sendco"])
    extra = _child(world.authority, world.setting, "Nadia", date(2018, 4, 2))
    profile = start_profile(actor=actor, child=world.child, assessment_date=date(2026, 11, 2))
    SupportAction.objects.create(
        profile=profile,
        domain="communication_interaction",
        what="Small-group talk and vocabulary, twice a week",
        who="Teaching assistant",
        how_often="Twice a week",
        starts_on=date(2026, 9, 7),
    )
    ta = StaffRole.objects.create(
        setting=world.setting, name="Teaching assistant", hourly_cost=Decimal("18.00")
    )
    services.save_provision(
        actor=actor,
        setting=world.setting,
        data={
            "name": "Small-group talk",
            "areas": ["communication_interaction"],
            "kind": "group",
            "staff_role": ta,
            "sessions_per_week": Decimal(2),
            "session_minutes": 30,
            "cost_basis": "staff_hour",
        },
    )

    # From the plan, arrange provision for the action.
    sign_in(page, "sendco@example.org", f"/profiles/{profile.pk}/")
    page.click("text=Arrange provision")
    assert_accessible(page, "v01-from-action")
    page.click("button:has-text('Start provision')")
    page.wait_for_selector(".govuk-error-summary")  # the answer has arrived
    assert page.title().startswith("Error: ")
    assert "Select the provision" in page.inner_text(".govuk-error-summary")
    assert_accessible(page, "v02-from-action-error")
    page.select_option("#id_provision", label="Small-group talk")
    page.fill("#id_name", "Talk group, Year 3")
    for prefix, d in (("starts_on", date(2026, 9, 7)), ("ends_on", date(2027, 3, 26))):
        page.fill(f"#id_{prefix}-day", str(d.day))
        page.fill(f"#id_{prefix}-month", str(d.month))
        page.fill(f"#id_{prefix}-year", str(d.year))
    for child in (world.classmate, world.young_person_child, extra):
        page.check(f"input[name='children'][value='{child.pk}']")
    page.click("button:has-text('Start provision')")
    page.wait_for_url(f"**/profiles/{profile.pk}/")
    group = ProvisionGroup.objects.get(name="Talk group, Year 3")
    assert group.places.count() == 4

    # The plan links to the group; the group page records a missed session.
    page.click("text=Talk group, Year 3")
    assert_accessible(page, "v03-group")
    page.fill("#id_date-day", "6")
    page.fill("#id_date-month", "10")
    page.fill("#id_date-year", "2026")
    page.check("input[name='reason'][value='staff_absent']")
    page.fill("#id_note", "Assistant covering a class")
    page.click("button:has-text('Record missed session')")
    assert "Missed session recorded" in page.inner_text("main")
    assert MissedSession.objects.filter(group=group, child__isnull=True).count() == 1
    assert_accessible(page, "v04-group-missed")

    # The child's costed map over three terms, on screen and as a PDF.
    page.goto(f"/provision/children/{world.child.pk}/map?term=autumn-2026")
    main = page.inner_text("main")
    assert "Summer 2026" in main and "Autumn 2026" in main and "Spring 2027" in main
    assert "1.0 missed" in main
    assert_accessible(page, "v05-child-map")
    pdf = page.request.get(f"/provision/children/{world.child.pk}/map.pdf?term=autumn-2026")
    assert pdf.headers["content-type"] == "application/pdf"
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "provision-map.pdf").write_bytes(pdf.body())
    # The setting's pages: its provision, its map and what the provision achieves.
    for url, name in (
        (f"/provision/settings/{world.setting.pk}/", "v06-setting"),
        (f"/provision/settings/{world.setting.pk}/map?term=autumn-2026", "v07-setting-map"),
        (f"/provision/settings/{world.setting.pk}/achieves", "v08-achieves"),
        (f"/provision/settings/{world.setting.pk}/library", "v09-library"),
    ):
        page.goto(url)
        assert_accessible(page, name)
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm:
        subprocess.run(
            [
                pdftoppm,
                "-png",
                "-r",
                "60",
                str(ARTIFACTS / "provision-map.pdf"),
                str(ARTIFACTS / "provision-map-pdf"),
            ],
            check=True,
        )
