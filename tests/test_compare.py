"""Cross-authority benchmarking: opt-in per authority, suppressed figures only."""

from django.urls import reverse

from vsend.audit.models import AuditEvent
from vsend.insights.models import BenchmarkSharing
from vsend.insights.suppression import HIDDEN


def test_an_authority_opts_in_and_out_and_only_sharing_authorities_are_compared(world, as_user):
    compare = reverse("insights:compare")
    assert as_user("la_officer").get(compare).status_code == 403  # nobody shares yet
    page = as_user("platform_admin").get(compare).content.decode()
    assert "No authority shares its figures yet" in page

    sharing = reverse("insights:sharing", kwargs={"pk": world.authority.pk})
    assert as_user("la_officer").post(sharing, {"share": "yes"}).status_code == 403
    assert not BenchmarkSharing.objects.exists()
    assert as_user("la_admin").post(sharing, {"share": "yes"}).status_code == 302
    assert BenchmarkSharing.objects.filter(authority=world.authority).exists()
    assert AuditEvent.objects.filter(summary__contains="shared with other authorities").exists()

    page = as_user("la_officer").get(compare).content.decode()
    assert world.authority.name in page and world.other_authority.name not in page
    # Four children in authority A: the count is suppressed, never shown exactly.
    assert HIDDEN in page
    assert as_user("other_authority").get(compare).status_code == 403

    assert as_user("la_admin").post(sharing, {"share": ""}).status_code == 302
    assert not BenchmarkSharing.objects.exists()
    assert as_user("la_officer").get(compare).status_code == 403


def test_the_authority_dashboard_offers_the_choice_to_its_administrators_only(world, as_user):
    url = reverse("insights:authority")
    assert "Share our published figures" in as_user("la_admin").get(url).content.decode()
    assert "Share our published figures" not in as_user("la_officer").get(url).content.decode()
