"""Every PDF is tagged for screen readers (poppler's pdfinfo says "Tagged: yes"), the profile's
says where the child is and who completed it, a family's copy uses the family's words where the
framework has them, and the governors' summary has the change since last term and home
confidence, with no page left empty."""

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.profile_helpers import complete_profile
from tests.test_insights import data, make_profile  # noqa: F401 - data is a fixture
from vsend.children.models import Child, Enrolment
from vsend.exports import builders
from vsend.exports.models import Export, Kind
from vsend.insights import dashboards
from vsend.insights.exports import governors_pdf
from vsend.insights.queries import Filters
from vsend.profiles import selectors
from vsend.profiles.models import Profile
from vsend.profiles.pdf import descriptor, is_family_copy, profile_pdf


def _poppler(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        if os.environ.get("VSEND_REQUIRE_BROWSER"):  # set in CI, which installs poppler-utils
            pytest.fail(f"{tool} (poppler-utils) is required in CI but was not found")
        pytest.skip(f"{tool} is not installed: apt-get install poppler-utils")
    return path


def run_on(pdf: bytes, *command: str) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        out = subprocess.run(
            [
                _poppler(command[0]),
                *command[1:],
                f.name,
                *(["-"] if command[0] == "pdftotext" else []),
            ],
            capture_output=True,
            check=True,
            text=True,
        )
    return out.stdout


def info(pdf: bytes) -> dict[str, str]:
    lines = run_on(pdf, "pdfinfo").splitlines()
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in lines)}


def pages_text(pdf: bytes) -> list[str]:
    return run_on(pdf, "pdftotext", "-layout").split("\f")[:-1]


def test_the_profile_pdf_is_tagged_and_gives_the_childs_details(world, as_user):
    pk = complete_profile(as_user("sendco"), world.child)
    profile = Profile.objects.get(pk=pk)
    pdf = profile_pdf(selectors.profile_view(profile))
    meta = info(pdf)
    assert meta["Tagged"] == "yes"
    assert meta["Title"] == f"Valuing SEND profile 1: {world.child.full_name}"
    text = " ".join(" ".join(pages_text(pdf)).split())
    for expected in (
        "Setting Setting A1",
        "Year group Year 3, class 3X",
        "SEN provision SEN support",
        f"Completed by {world.users['sendco'].full_name}, finalised",
        "What each level means",
        "Needs at the last profile" if profile.previous_id else "Home confidence",
    ):
        assert expected in text, expected


@dataclass(frozen=True)
class FamilyDomain:
    descriptors: tuple[str, ...]
    family_descriptors: tuple[str, ...]


def test_a_family_copy_uses_the_family_words_when_the_framework_has_them():
    plain = FamilyDomain(("Staff words 0", "Staff words 1"), ("Family words 0", ""))
    assert descriptor(plain, 0, family=True) == "Family words 0"
    assert descriptor(plain, 1, family=True) == "Staff words 1"  # none given: the usual words
    assert descriptor(plain, 0, family=False) == "Staff words 0"


def test_who_gets_the_family_copy(world, as_user):
    assert is_family_copy(world.users["parent"], world.child.pk)
    assert not is_family_copy(world.users["sendco"], world.child.pk)
    assert not is_family_copy(world.users["caseworker"], world.child.pk)
    pk = complete_profile(as_user("sendco"), world.child)
    export = Export.objects.create(
        requested_by=world.users["parent"],
        kind=Kind.PROFILE_PDF,
        object_id=pk,
        key="test",
        filename="p.pdf",
        expires_at=timezone.now() + timedelta(hours=1),
    )
    pdf = builders.build_profile_pdf(export)
    assert info(pdf)["Tagged"] == "yes"
    assert "(family copy)" in info(pdf)["Title"]


@pytest.fixture
def setting_with_history(data):  # noqa: F811
    """Twelve more children profiled in the spring and again in the summer, so the setting's
    anonymous figures are detailed and show a change since last term."""
    by = data.users["sendco"]
    for i in range(12):
        child = Child.objects.create(
            authority=data.authority,
            first_name=f"C{i}",
            last_name="Extra",
            sex="M",
            date_of_birth=date(2017, 1, 1),
            sen_provision="K",
            primary_need="ASD",
        )
        Enrolment.objects.create(child=child, setting=data.setting, started_on=date(2025, 9, 1))
        first = make_profile(child, 1, date(2026, 2, 2), [3, 2, 2, 1, 3], by=by)
        make_profile(child, 2, date(2026, 6, 1), [2, 2, 3, 1, 3], previous=first, by=by)
    return data


def test_the_governors_pdf_is_tagged_with_change_and_home_confidence_and_no_empty_page(
    setting_with_history,
):
    world = setting_with_history
    d = dashboards.setting_dashboard(
        world.users["governor"], world.setting, Filters(), timezone.localdate(), anonymous=True
    )
    pdf = governors_pdf(d)
    assert info(pdf)["Tagged"] == "yes"
    pages = pages_text(pdf)
    text = " ".join(" ".join(pages).split())
    assert "Change in need since last term" in text
    assert "Home confidence: need above the family's confidence" in text
    for number, page in enumerate(pages, 1):
        body = [
            line
            for line in page.splitlines()
            if line.strip() and "SEN summary for governors" not in line and "Page " not in line
        ]
        assert len(body) > 3, f"page {number} of {len(pages)} is empty: {page!r}"
