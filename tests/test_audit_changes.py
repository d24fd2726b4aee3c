"""A change's audit row keeps the old and new values; the system's rows carry a batch."""

from django.urls import reverse

from tests.profile_helpers import lock, start_profile, step_data
from vsend.audit.models import Action, AuditEvent
from vsend.audit.services import SYSTEM, record


def _last_update(**filters) -> AuditEvent:
    return AuditEvent.objects.filter(action=Action.UPDATE, **filters).latest("pk")


def test_a_profile_rating_change_keeps_old_and_new_values(world, as_user):
    client = as_user("sendco")
    pk = start_profile(client, world.child)
    client.patch(
        reverse("api:profile", kwargs={"pk": pk}),
        {"lock_version": int(lock(pk)), "ratings": {"semh": {"need_level": 2}}},
        content_type="application/json",
    )
    first = _last_update(object_id=str(pk))
    assert first.detail["changes"] == {"semh.need_level": {"old": None, "new": 2}}
    client.patch(
        reverse("api:profile", kwargs={"pk": pk}),
        {"lock_version": int(lock(pk)), "ratings": {"semh": {"need_level": 3}}},
        content_type="application/json",
    )
    assert _last_update(object_id=str(pk)).detail["changes"] == {
        "semh.need_level": {"old": 2, "new": 3}
    }


def test_a_profile_step_keeps_old_and_new_values(world, as_user):
    client = as_user("sendco")
    pk = start_profile(client, world.child)
    url = reverse("profiles:step", kwargs={"pk": pk, "step": "about"})
    assert client.post(url, step_data("about", pk)).status_code == 302
    changes = _last_update(object_id=str(pk)).detail["changes"]
    assert changes["strengths"] == {"old": "", "new": "Loves drawing and trains"}
    assert "assessment_date" not in changes  # unchanged fields are not repeated


def test_values_are_bounded_and_secrets_never_kept():
    from vsend.audit.changes import MAX_TEXT, NOT_RECORDED, diff

    changes = diff(
        {"note": "", "password": "old-secret", "same": 1},
        {"note": "x" * 5000, "password": "new-secret", "same": 1},
    )
    assert set(changes) == {"note", "password"}
    assert len(changes["note"]["new"]) == MAX_TEXT
    assert changes["password"] == {"old": NOT_RECORDED, "new": NOT_RECORDED}


def test_a_system_job_labels_its_rows_with_one_batch(db):
    from vsend.audit.services import system_actor

    job = system_actor("census import")
    first = record(job, Action.CREATE, summary="one")
    second = record(job, Action.CREATE, summary="two")
    assert first.actor is None and first.channel == "system"
    assert first.detail["batch"] == second.detail["batch"] == job.batch
    assert first.detail["job"] == "census import"
    assert first.actor_label == f"System (batch {job.batch})"


def test_the_system_with_no_job_still_gets_a_batch(db):
    row = record(SYSTEM, Action.CREATE, summary="anonymous before")
    assert row.detail["batch"] and row.actor_label == f"System (batch {row.detail['batch']})"
