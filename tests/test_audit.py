import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from vsend.audit.models import Action, AuditEvent, AuditImmutable


def test_it_writes_one_audit_row_per_view_of_a_record(world, as_user):
    client = as_user("sendco")
    url = reverse("children:detail", kwargs={"pk": world.child.pk})
    before = AuditEvent.objects.filter(child_id=world.child.pk, action=Action.VIEW).count()
    client.get(url)
    client.get(url)
    views = AuditEvent.objects.filter(child_id=world.child.pk, action=Action.VIEW)
    assert views.count() == before + 2
    event = views.first()
    assert event.actor == world.users["sendco"]
    assert event.object_type == "child" and event.object_id == str(world.child.pk)
    assert event.ip_address == "127.0.0.1"
    assert event.at.tzinfo is not None


def test_it_audits_api_views_as_api(world, as_user):
    as_user("sendco").get(reverse("api:child", kwargs={"pk": world.child.pk}))
    event = AuditEvent.objects.get(child_id=world.child.pk, action=Action.VIEW)
    assert event.channel == "api"


@pytest.mark.parametrize("via", ["page", "api"])
def test_another_settings_sendco_gets_404_and_the_attempt_is_audited(world, as_user, via):
    name = "children:detail" if via == "page" else "api:child"
    response = as_user("other_setting").get(reverse(name, kwargs={"pk": world.child.pk}))
    assert response.status_code == 404
    refused = AuditEvent.objects.get(action=Action.ACCESS_REFUSED, child_id=world.child.pk)
    assert refused.actor == world.users["other_setting"]
    assert refused.summary == "Child not in the user's scope"
    # The page says nothing of the child.
    assert world.child.first_name not in response.content.decode()


def test_it_audits_refusal_within_scope(world, as_user):
    response = as_user("teacher").get(reverse("children:edit", kwargs={"pk": world.child.pk}))
    assert response.status_code == 403
    assert AuditEvent.objects.filter(action=Action.ACCESS_REFUSED, child_id=world.child.pk).exists()


def _event():
    return AuditEvent.objects.create(action=Action.VIEW, object_type="child", object_id="1")


def test_the_application_cannot_change_an_audit_row(db):
    event = _event()
    event.summary = "tampered"
    with pytest.raises(AuditImmutable):
        event.save()
    with pytest.raises(AuditImmutable):
        AuditEvent.objects.filter(pk=event.pk).update(summary="tampered")
    with pytest.raises(AuditImmutable), transaction.atomic():
        AuditEvent.objects.bulk_update([event], ["summary"])
    assert AuditEvent.objects.get(pk=event.pk).summary == ""


def test_the_application_cannot_delete_an_audit_row(db):
    event = _event()
    with pytest.raises(AuditImmutable):
        event.delete()
    with pytest.raises(AuditImmutable):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_database_refuses_updates_to_audit_rows_even_in_raw_sql(db):
    event = _event()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET summary = 'x' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).summary == ""


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row DELETE trigger is PostgreSQL's")
def test_postgresql_refuses_raw_deletes_of_audit_rows(db):
    event = _event()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_access_history_shows_who_opened_the_record(world, as_user):
    as_user("teacher").get(reverse("children:detail", kwargs={"pk": world.child.pk}))
    page = as_user("sendco").get(reverse("children:access", kwargs={"pk": world.child.pk}))
    assert page.status_code == 200
    assert "teacher@example.org" in page.content.decode()
