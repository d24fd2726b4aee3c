"""A parent downloads their child's profile as a PDF from the profile page: the family copy uses
the framework's family words for each need and leaves out the notes staff keep for their work.
The text is read back with pypdf; the pages are kept as PNG to look at."""

import io
import shutil
import subprocess

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from tests.browser.conftest import ARTIFACTS
from tests.conftest import PASSWORD
from tests.profile_helpers import NEEDS, lock, start_profile, step_data
from vsend.profiles.models import Profile

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EVIDENCE = "Staff observation: reluctant in assemblies"
READINESS_NOTE = "Staff only: cover for the TA is thin on Fridays"
HOME_NOTE = "Bedtime is the hardest part"


def _finalised_profile(world) -> Profile:
    client = Client()
    client.force_login(world.users["sendco"])
    pk = start_profile(client, world.child)
    extras = {
        "about": {},
        "needs": {"evidence__semh": EVIDENCE},
        "readiness": {"rnote__semh": READINESS_NOTE},
        "home": {"cnote__semh": HOME_NOTE},
        "plan": {},
    }
    for step, extra in extras.items():
        response = client.post(
            reverse("profiles:step", kwargs={"pk": pk, "step": step}),
            step_data(step, pk, **extra),
        )
        assert response.status_code == 302, step
    response = client.post(
        reverse("profiles:finalise", kwargs={"pk": pk}), {"lock_version": lock(pk)}
    )
    assert response.status_code == 302
    return Profile.objects.get(pk=pk)


def _text(pdf: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(text.split())


def test_a_parent_downloads_the_family_copy_with_family_words_and_no_staff_notes(page, world):
    from vsend.profiles.services import framework_of

    profile = _finalised_profile(world)
    framework = framework_of(profile)
    page.goto(f"/sign-in/?next=/profiles/{profile.pk}/")
    page.fill("#id_username", "parent@example.org")
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url(f"**/profiles/{profile.pk}/")
    href = page.get_attribute("a:has-text('Download as PDF')", "href")
    response = page.request.get(href)  # the link the parent sees, with their session
    assert response.ok and response.headers["content-type"] == "application/pdf"
    pdf = response.body()
    (ARTIFACTS / "family-copy.pdf").write_bytes(pdf)

    text = _text(pdf)
    assert "(family copy)" in (PdfReader(io.BytesIO(pdf)).metadata.title or "")
    assert "This copy is for the family" in text
    for d in framework.domains:
        family_words = " ".join(d.family_descriptors[NEEDS[d.key]].split())
        staff_words = " ".join(d.descriptors[NEEDS[d.key]].split())
        assert family_words in text, d.key
        assert staff_words not in text, d.key
    assert EVIDENCE not in text and "Evidence:" not in text
    assert READINESS_NOTE not in text
    assert HOME_NOTE in text  # the family's own words stay
    assert "School or setting" in text and "SEN provision" not in text

    pdfinfo = shutil.which("pdfinfo")
    if pdfinfo:
        info = subprocess.run([pdfinfo, str(ARTIFACTS / "family-copy.pdf")], capture_output=True)
        assert b"Tagged:" in info.stdout and b"yes" in info.stdout.split(b"Tagged:")[1][:20]
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm:
        subprocess.run(
            [
                pdftoppm,
                "-png",
                "-r",
                "70",
                str(ARTIFACTS / "family-copy.pdf"),
                str(ARTIFACTS / "family-copy"),
            ],
            check=True,
        )

    # The same profile asked for by staff keeps the staff words and notes.
    staff = Client()
    staff.force_login(world.users["sendco"])
    response = staff.get(reverse("profiles:pdf", kwargs={"pk": profile.pk}), follow=True)
    staff_text = _text(
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    assert EVIDENCE in staff_text and READINESS_NOTE in staff_text
    assert "family copy" not in staff_text
