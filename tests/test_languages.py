"""Choosing a language: the authority offers languages (VSEND_LANGUAGES); a family member picks
theirs on their account page and sees their pages in it; staff pages are unaffected."""

import shutil
import subprocess

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils.translation import trans_real

from vsend.audit.models import AuditEvent
from vsend.config import messages
from vsend.config.settings import _language, _language_name

TWO = [("en-gb", "English"), ("cy", "Cymraeg")]


@pytest.fixture
def welsh(tmp_path, settings):
    """A made-up Welsh catalogue compiled from the template, offered beside English."""
    if not shutil.which("msgfmt"):
        pytest.skip("gettext's msgfmt is not installed")
    po = tmp_path / "cy" / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True)
    header = messages.CATALOGUE.read_text(encoding="utf-8").split("\n\n")[0]
    po.write_text(
        header
        + '\n\nmsgid "Who opened or changed the record"\nmsgstr "Pwy agorodd y cofnod"\n'
        + '\nmsgid "Your account"\nmsgstr "Eich cyfrif"\n'
        + '\nmsgid "How each of us sees it"\nmsgstr "Sut mae pob un ohonom yn ei weld"\n'
        + '\nmsgid "Three views of need"\nmsgstr "Tair barn am angen"\n',
        encoding="utf-8",
    )
    subprocess.run(["msgfmt", "-o", str(po.with_suffix(".mo")), str(po)], check=True)  # noqa: S603, S607
    settings.LOCALE_PATHS = [tmp_path]
    settings.LANGUAGES = TWO
    trans_real._translations = {}
    trans_real._active = trans_real.Local()
    yield
    trans_real._translations = {}
    trans_real._active = trans_real.Local()


def test_english_only_by_default_and_no_choice_offered(world, as_user, settings):
    assert [code for code, _ in settings.LANGUAGES] == ["en-gb"]
    page = as_user("parent").get(reverse("accounts:account")).content.decode()
    assert "Language for your pages" not in page
    assert '<html lang="en-gb"' in page


def test_language_codes_are_checked_and_named_in_their_own_language():
    assert _language_name("cy") == "Cymraeg"
    assert _language_name("en-gb") == "English"
    assert _language_name("pl") == "polski"
    with pytest.raises(ImproperlyConfigured, match="xx"):
        _language_name("xx")
    # A language Django does not know is named by the deployment.
    assert _language("so:Soomaali") == ("so", "Soomaali")
    assert _language("CY") == ("cy", "Cymraeg")


def test_a_family_member_chooses_welsh_and_sees_their_pages_in_it(world, as_user, welsh):
    parent = as_user("parent")
    account = parent.get(reverse("accounts:account")).content.decode()
    assert "Language for your pages" in account and "Cymraeg" in account
    assert 'lang="cy"' in account  # each language is marked as itself for screen readers
    response = parent.post(reverse("accounts:language"), {"language": "cy"})
    assert response.status_code == 302
    user = world.users["parent"]
    user.refresh_from_db()
    assert user.language == "cy"
    assert AuditEvent.objects.filter(summary="Language set to 'cy'").count() == 1
    # The same choice again writes nothing.
    parent.post(reverse("accounts:language"), {"language": "cy"})
    assert AuditEvent.objects.filter(summary="Language set to 'cy'").count() == 1

    # Each request is in Welsh, whatever the browser asks for.
    page = parent.get(
        reverse("family:access", kwargs={"pk": world.child.pk}), HTTP_ACCEPT_LANGUAGE="en"
    )
    html = page.content.decode()
    assert "Pwy agorodd y cofnod" in html
    assert '<html lang="cy"' in html
    assert page["Content-Language"] == "cy"
    assert "Eich cyfrif" in parent.get(reverse("accounts:account")).content.decode()

    # Back to English.
    parent.post(reverse("accounts:language"), {"language": "en-gb"})
    html = parent.get(reverse("family:access", kwargs={"pk": world.child.pk})).content.decode()
    assert "Who opened or changed the record" in html


def test_a_language_not_offered_is_refused_with_a_message(world, as_user, welsh):
    page = as_user("parent").post(reverse("accounts:language"), {"language": "fr"})
    assert page.status_code == 200
    assert "Choose one of the languages listed" in page.content.decode()
    world.users["parent"].refresh_from_db()
    assert world.users["parent"].language == ""


def test_staff_pages_still_work_and_staff_are_not_offered_the_choice(world, as_user, welsh):
    sendco = as_user("sendco")
    account = sendco.get(reverse("accounts:account"))
    assert account.status_code == 200
    assert "Language for your pages" not in account.content.decode()
    # A Welsh browser on a staff page: the page still works, in the words it has.
    page = sendco.get(reverse("children:list"), HTTP_ACCEPT_LANGUAGE="cy")
    assert page.status_code == 200
    record = sendco.get(reverse("children:detail", kwargs={"pk": world.child.pk}))
    assert record.status_code == 200


def test_a_stored_language_no_longer_offered_falls_back(world, as_user, settings):
    user = world.users["parent"]
    user.language = "cy"
    user.save(update_fields=["language"])
    page = as_user("parent").get(reverse("family:access", kwargs={"pk": world.child.pk}))
    assert page.status_code == 200
    assert "Who opened or changed the record" in page.content.decode()


def test_the_familys_pdf_is_in_their_language_and_the_staff_copy_is_not(world, as_user, welsh):
    from datetime import timedelta

    from django.utils import timezone

    from tests.profile_helpers import complete_profile
    from tests.test_pdfs import run_on
    from vsend.exports import builders
    from vsend.exports.models import Export, Kind

    pk = complete_profile(as_user("sendco"), world.child)
    parent = world.users["parent"]
    parent.language = "cy"
    parent.save(update_fields=["language"])

    def text(user):
        export = Export.objects.create(
            requested_by=user,
            kind=Kind.PROFILE_PDF,
            object_id=pk,
            key=f"test-{user.pk}",
            filename="p.pdf",
            expires_at=timezone.now() + timedelta(hours=1),
        )
        return " ".join(run_on(builders.build_profile_pdf(export), "pdftotext").split())

    assert "Sut mae pob un ohonom yn ei weld" in text(parent)
    staff = text(world.users["sendco"])
    assert "Three views of need" in staff and "Tair barn" not in staff
