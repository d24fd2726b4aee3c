"""PDFs made in the background: progress without JavaScript, one job however often the button
is pressed, the file checked and audited at download, and gone once expired."""

import html
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_q.conf import Conf
from django_q.models import OrmQ, Task

from tests.profile_helpers import complete_profile
from vsend.audit.models import Action, AuditEvent
from vsend.exports import services
from vsend.exports.models import Export, Status
from vsend.jobs import queue


@pytest.fixture
def queued(monkeypatch):
    """Jobs wait in the queue, as they do with a real worker, until run_queue() is called."""
    monkeypatch.setattr(Conf, "SYNC", False)

    def run_queue() -> int:
        from django_q.signing import SignedPackage

        ran = 0
        for row in OrmQ.objects.all():
            task = SignedPackage.loads(row.payload)
            queue.run(*task["args"])
            row.delete()
            ran += 1
        return ran

    return run_queue


def test_the_pdf_is_made_in_the_background_with_a_progress_page(world, as_user, queued):
    client = as_user("sendco")
    pk = complete_profile(client, world.child)
    asked = client.get(reverse("profiles:pdf", kwargs={"pk": pk}))
    export = Export.objects.get()
    assert asked.status_code == 302 and asked.url == reverse("exports:detail", args=[export.pk])
    page = client.get(asked.url)
    text = html.unescape(page.content.decode())
    assert page.status_code == 200 and "Your file is being made" in text
    assert '<meta http-equiv="refresh" content="2">' in text  # works without JavaScript
    assert f'href="{asked.url}">Check again' in text
    assert not AuditEvent.objects.filter(summary="PDF downloaded").exists()

    assert queued() == 1
    ready = client.get(asked.url)
    assert ready.status_code == 302 and ready.url == reverse("exports:file", args=[export.pk])
    pdf = client.get(ready.url)
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert "no-store" in pdf["Cache-Control"]
    assert f'filename="profile-{world.child.pk}-1.pdf"' in pdf["Content-Disposition"]
    event = AuditEvent.objects.get(summary="PDF downloaded")
    assert event.actor == world.users["sendco"] and event.object_id == str(pk)


def test_pressing_again_and_again_makes_one_job(world, as_user, queued):
    client = as_user("sendco")
    pk = complete_profile(client, world.child)
    for _ in range(5):
        client.get(reverse("profiles:pdf", kwargs={"pk": pk}))
        client.get(reverse("api:profile-pdf", kwargs={"pk": pk}))
    assert Export.objects.count() == 1 and OrmQ.objects.count() == 1
    assert queued() == 1
    client.get(reverse("profiles:pdf", kwargs={"pk": pk}))
    assert Export.objects.count() == 1 and OrmQ.objects.count() == 0


def test_the_api_answers_202_then_303_to_the_file(world, as_user, queued):
    client = as_user("sendco")
    pk = complete_profile(client, world.child)
    accepted = client.get(reverse("api:profile-pdf", kwargs={"pk": pk}))
    export = Export.objects.get()
    poll = reverse("api:export", args=[export.pk])
    assert accepted.status_code == 202 and accepted["Location"] == poll
    assert accepted.json()["status"] == "queued" and accepted["Retry-After"] == "2"
    waiting = client.get(poll)
    assert waiting.status_code == 200 and waiting.json()["file"] is None
    early = client.get(reverse("api:export-file", args=[export.pk]))
    assert early.status_code == 409 and early["Content-Type"] == "application/problem+json"
    queued()
    done = client.get(poll)
    assert done.status_code == 303 and done["Location"] == reverse(
        "api:export-file", args=[export.pk]
    )
    assert done.json()["status"] == "ready"
    pdf = client.get(done["Location"])
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_only_the_person_who_asked_may_download_and_only_while_they_still_may_see_it(
    world, as_user
):
    client = as_user("sendco")
    pk = complete_profile(client, world.child)
    client.get(reverse("profiles:pdf", kwargs={"pk": pk}))
    export = Export.objects.get(status=Status.READY)
    file_url = reverse("exports:file", args=[export.pk])
    for persona in ("teacher", "other_setting", "la_admin"):
        assert as_user(persona).get(file_url).status_code == 404, persona
        assert as_user(persona).get(reverse("api:export-file", args=[export.pk])).status_code == 404
    # The SENDCo loses the child's setting: the file made earlier is refused too.
    world.users["sendco"].memberships.update(setting=world.far_setting)
    assert client.get(file_url).status_code == 404
    assert AuditEvent.objects.filter(
        actor=world.users["sendco"], action=Action.ACCESS_REFUSED, object_id=str(pk)
    ).exists()


def test_a_file_expires_and_the_hourly_job_deletes_it(world, as_user):
    client = as_user("sendco")
    pk = complete_profile(client, world.child)
    client.get(reverse("profiles:pdf", kwargs={"pk": pk}))
    export = Export.objects.get()
    Export.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(reverse("exports:file", args=[export.pk])).status_code == 404
    queue.enqueue("exports.delete_expired")
    assert not Export.objects.exists()
    # Asking again makes a new one.
    again = client.get(reverse("profiles:pdf", kwargs={"pk": pk}), follow=True)
    assert again["Content-Type"] == "application/pdf"


def test_a_pdf_that_cannot_be_made_says_so_and_can_be_tried_again(
    world, as_user, monkeypatch, settings
):
    from vsend.exports import builders

    settings.VSEND_JOB_ATTEMPTS = 1

    def broken(export):
        raise RuntimeError("no fonts")

    monkeypatch.setitem(builders.BUILDERS, "profile_pdf", broken)
    client = as_user("sendco")
    pk = complete_profile(client, world.child)
    page = client.get(reverse("profiles:pdf", kwargs={"pk": pk}), follow=True)
    text = html.unescape(page.content.decode())
    assert "Your file could not be made" in text and "Try again" in text
    assert 'http-equiv="refresh"' not in text
    assert Export.objects.get().status == Status.FAILED
    monkeypatch.undo()
    monkeypatch.setattr(Conf, "SYNC", True)
    again = client.get(reverse("profiles:pdf", kwargs={"pk": pk}), follow=True)
    assert again["Content-Type"] == "application/pdf"


def test_a_lost_job_is_reported_as_failed(world, as_user, queued):
    client = as_user("sendco")
    pk = complete_profile(client, world.child)
    client.get(reverse("profiles:pdf", kwargs={"pk": pk}))
    export = Export.objects.get()
    Export.objects.update(created_at=timezone.now() - services.give_up_after())
    page = client.get(reverse("exports:detail", args=[export.pk]))
    assert "Your file could not be made" in html.unescape(page.content.decode())


def test_the_governors_pdf_is_made_in_the_background_too(world, as_user, queued):
    client = as_user("sendco")
    url = reverse("insights:governors", kwargs={"pk": world.setting.pk})
    asked = client.get(url + "?year=3&nonsense=1")
    export = Export.objects.get()
    assert export.params == {"year": ["3"]}
    assert client.get(asked.url).status_code == 200
    queued()
    pdf = client.get(asked.url, follow=True)
    assert pdf["Content-Type"] == "application/pdf"
    assert AuditEvent.objects.filter(summary="Governors' SEN summary downloaded").count() == 1
    assert Task.objects.count() == 0  # run by hand here, not by a worker


def test_the_worst_case_profile_fills_every_box_the_forms_allow(world):
    from vsend.exports import worst_case
    from vsend.profiles.forms import ACTION_ROWS

    profile = worst_case.build(world.child, world.users["sendco"])
    profile.refresh_from_db()
    assert len(profile.strengths) == len(profile.family_views) == 5000
    assert all(len(r.need_evidence) == 5000 for r in profile.ratings.all())
    assert profile.outcomes.count() == 5 and profile.actions.count() == 5 * ACTION_ROWS
    assert profile.outcome_reviews.count() == 5
