"""An authority switched on from nothing, in a real browser: the platform administrator made by
`vsend createsuperuser` adds the authority and loads its settings from the public register; a
SENDCo is invited, accepts and sets up the authenticator app, adds a class and a child, and
invites a teacher and a parent; the parent accepts and sees only their own child."""

import base64
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django_otp.oath import totp

from tests.browser.conftest import assert_accessible
from vsend.accounts.models import User
from vsend.children.models import Child
from vsend.organisations.models import LocalAuthority, Setting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GIAS = Path(__file__).resolve().parents[1] / "data" / "gias_extract_925.csv"
ADMIN_PASSWORD = "platform-admin-passphrase-42"
SENDCO_PASSWORD = "sendco-passphrase-for-northgate"
PARENT_PASSWORD = "parent-passphrase-for-home"


def sign_in(page, email: str, password: str) -> None:
    page.goto("/sign-in/")
    assert_accessible(page, "j01-sign-in")
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    page.click("button:has-text('Sign in')")
    page.wait_for_url("**/")


def invitation_link(mailoutbox, email: str) -> str:
    (message,) = [m for m in mailoutbox if m.to == [email]]
    # The link is made with the service's configured address; the path is what matters here.
    match = re.search(r"https?://[^/\s]+(/invitations/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def accept(page, link: str, password: str, name: str) -> None:
    page.goto(link)
    assert_accessible(page, name)
    page.fill("#id_password1", password)
    page.fill("#id_password2", password)
    page.click("button:has-text('Create account')")


def invite(page, setting: Setting, name: str, email: str, role: str, shot: str) -> None:
    page.goto(f"/people/settings/{setting.pk}/invite/")
    assert_accessible(page, shot)
    page.fill("#id_full_name", name)
    page.fill("#id_email", email)
    page.check(f"input[name='role'][value='{role}']")


def test_an_authority_from_an_empty_database_to_a_family(
    page, browser, live_server, mailoutbox, monkeypatch
):
    assert not User.objects.exists() and not LocalAuthority.objects.exists()
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "admin@example.org")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", ADMIN_PASSWORD)
    monkeypatch.setenv("DJANGO_SUPERUSER_FULL_NAME", "Pat Okafor")
    call_command("createsuperuser", "--no-input", verbosity=0)

    # The platform administrator adds the authority, with an error first.
    sign_in(page, "admin@example.org", ADMIN_PASSWORD)
    assert "No local authority uses" in page.inner_text("main")
    assert_accessible(page, "j02-platform-home")
    page.click("text=Add a local authority")
    assert_accessible(page, "j03-authority-new")
    page.fill("#id_name", "Exampleshire")
    page.fill("#id_code", "92")
    page.click("button:has-text('Add the local authority')")
    page.wait_for_selector(".govuk-error-summary")  # the answer has arrived
    assert page.title().startswith("Error: ")
    assert "3-digit" in page.inner_text(".govuk-error-summary")
    assert_accessible(page, "j04-authority-new-error")
    page.fill("#id_code", "925")
    page.click("button:has-text('Add the local authority')")
    page.wait_for_url("**/organisations/authorities/*/")
    authority = LocalAuthority.objects.get(code="925")
    assert_accessible(page, "j05-authority-empty")

    # A locality, then the register's extract: preview, confirm.
    page.click("text=Add a locality")
    assert_accessible(page, "j06-locality-new")
    page.fill("#id_name", "North")
    page.click("button:has-text('Add a locality')")
    assert "North" in page.inner_text("main")
    page.click("text=Load settings from Get Information about Schools")
    assert_accessible(page, "j07-import-upload")
    page.set_input_files("#id_extract", str(GIAS))
    page.select_option("#id_locality", label="North")
    page.click("main form button[type='submit']")
    page.wait_for_url("**/import/*/")
    assert "Northgate Primary School" in page.inner_text("main")
    assert_accessible(page, "j08-import-preview")
    page.click("main form button[type='submit']")
    assert_accessible(page, "j09-import-done")
    school = Setting.objects.get(authority=authority, urn=120001)
    assert school.name == "Northgate Primary School"

    # The platform administrator invites the school's SENDCo.
    invite(page, school, "Sally Ndlovu", "sendco@example.org", "sendco", "j10-invite-sendco")
    page.click("button:has-text('Send invitation')")
    assert_accessible(page, "j11-setting-people")
    link = invitation_link(mailoutbox, "sendco@example.org")

    # The SENDCo accepts in their own browser and sets up the authenticator app.
    staff = browser.new_context(
        bypass_csp=True, base_url=live_server.url, viewport={"width": 1200, "height": 900}
    )
    sendco = staff.new_page()
    accept(sendco, link, SENDCO_PASSWORD, "j12-invitation-sendco")
    sendco.wait_for_url("**/account/security/")
    assert_accessible(sendco, "j13-authenticator")
    secret = "".join((sendco.text_content(".vsend-token") or "").split())  # shown in groups
    sendco.fill("#id_code", f"{totp(base64.b32decode(secret)):06d}")
    sendco.click("button:has-text('Continue')")
    assert_accessible(sendco, "j14-recovery-codes")
    sendco.click("text=I have kept my codes")
    assert_accessible(sendco, "j15-sendco-home")

    # A class, then two children: one for the family, one they must not see.
    sendco.goto(f"/organisations/settings/{school.pk}/classes/")
    assert_accessible(sendco, "j16-classes")
    sendco.select_option("select[name$='year']", label="Year 3")
    sendco.click("button:has-text('Add year group')")
    sendco.fill("input[name='class-name']", "Oak")
    sendco.select_option("select[name='class-year_group']", label="Year 3")
    sendco.click("button:has-text('Add class')")
    assert "Oak" in sendco.inner_text("main")
    assert_accessible(sendco, "j17-classes-added")
    for first, last in (("Freya", "Stone"), ("Tom", "Hale")):
        sendco.goto("/children/new/")
        if first == "Freya":
            assert_accessible(sendco, "j18-child-new")
        sendco.fill("#id_first_name", first)
        sendco.fill("#id_last_name", last)
        sendco.fill("#id_date_of_birth-day", "4")
        sendco.fill("#id_date_of_birth-month", "5")
        sendco.fill("#id_date_of_birth-year", "2018")
        sendco.check("input[name='sex'][value='F']")
        sendco.check("input[name='sen_provision'][value='K']")
        sendco.select_option("select[name='primary_need']", "SLCN")
        sendco.select_option("select[name='year']", label="Year 3")
        oak = sendco.locator("select[name='school_class'] option", has_text="Oak")
        sendco.select_option("select[name='school_class']", oak.get_attribute("value"))
        sendco.fill("#id_started_on-day", "2")
        sendco.fill("#id_started_on-month", "9")
        sendco.fill("#id_started_on-year", "2025")
        sendco.click("main form button[type='submit']")
        sendco.wait_for_url(re.compile(r"/children/\d+/$"))
    assert_accessible(sendco, "j19-child")
    freya = Child.objects.get(first_name="Freya")
    tom = Child.objects.get(first_name="Tom")

    # The SENDCo invites a teacher for the class and a parent for Freya.
    invite(sendco, school, "Tariq Bell", "teacher@example.org", "teacher", "j20-invite-teacher")
    sendco.get_by_label("Oak").check()
    sendco.click("button:has-text('Send invitation')")
    assert_accessible(sendco, "j21-setting-people-sendco")
    assert invitation_link(mailoutbox, "teacher@example.org")
    invite(sendco, school, "Jo Stone", "parent@example.org", "parent", "j22-invite-parent")
    sendco.get_by_label(re.compile("Freya Stone")).check()
    sendco.select_option("select[name='relationship']", index=1)
    sendco.check("input[name='parental_responsibility'][value='yes']")
    sendco.click("button:has-text('Send invitation')")
    assert "Jo Stone" in sendco.inner_text("main")
    staff.close()

    # The parent accepts and sees Freya, and only Freya.
    family = browser.new_context(
        bypass_csp=True, base_url=live_server.url, viewport={"width": 400, "height": 800}
    )
    phone = family.new_page()
    accept(phone, invitation_link(mailoutbox, "parent@example.org"), PARENT_PASSWORD, "j23-parent")
    phone.wait_for_url(f"{live_server.url}/")
    assert_accessible(phone, "j24-parent-home")
    phone.goto("/children/")
    listed = phone.inner_text("main")
    assert "Freya" in listed and "Tom" not in listed
    assert_accessible(phone, "j25-parent-children")
    phone.goto(f"/children/{freya.pk}/")
    assert "Freya" in phone.inner_text("h1")
    assert_accessible(phone, "j26-parent-child")
    assert phone.goto(f"/children/{tom.pk}/").status == 404
    family.close()
