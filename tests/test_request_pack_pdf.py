"""The request pack as a tagged PDF: the profile and its chart, the costed provision over three
terms, the assess-plan-do-review cycles and everyone's own words; scoped and audited."""

import io
import os
from pathlib import Path

from django.urls import reverse
from pypdf import PdfReader

from vsend.audit.models import Action, AuditEvent
from vsend.audit.services import Actor
from vsend.statutory import services


def _pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_pack_pdf_holds_profile_provision_cycles_and_views(world, as_user):
    from tests.profile_helpers import complete_profile
    from tests.provision_helpers import world_group

    complete_profile(as_user("sendco"), world.child, finalise=True)
    group = world_group(world)
    case = services.request_assessment(
        actor=Actor(user=world.users["parent"]),
        child=world.child,
        requester="parent",
        reasons="Reading is still very hard after two terms of support.",
        family_views="We want help at home with reading.",
        child_views="I like Lego and trains.",
    )
    response = as_user("caseworker").get(reverse("statutory:pack-pdf", kwargs={"pk": case.pk}))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    if out := os.environ.get("VSEND_ARTIFACTS"):
        Path(out).mkdir(parents=True, exist_ok=True)
        (Path(out) / "request-pack.pdf").write_bytes(response.content)
    reader = PdfReader(io.BytesIO(response.content))
    assert "EHC needs assessment" in (reader.metadata.title or "")
    text = " ".join(_pdf_text(response.content).split())
    for expected in (
        "Request for an EHC needs assessment",
        world.child.full_name,
        "Reading is still very hard",
        "I like Lego and trains.",
        "We want help at home with reading.",
        "Current Valuing SEND profile",
        "Costed provision over three terms",
        group.provision.name,
        "Assess, plan, do, review",
        "Outcomes planned",
        "Page 1 of",
    ):
        assert expected in text, expected
    assert AuditEvent.objects.filter(
        action=Action.VIEW, summary="Request pack downloaded (PDF)", child_id=world.child.pk
    ).exists()


def test_a_pack_without_a_profile_or_provision_says_so(world, as_user):
    case = services.request_assessment(
        actor=Actor(user=world.users["parent"]),
        child=world.child,
        requester="parent",
        reasons="Reading",
    )
    text = _pdf_text(
        as_user("parent").get(reverse("statutory:pack-pdf", kwargs={"pk": case.pk})).content
    )
    assert "No finalised profile yet." in text and "No provision is recorded" in text
    assert (
        as_user("teacher").get(reverse("statutory:pack-pdf", kwargs={"pk": case.pk})).status_code
        == 403
    )
