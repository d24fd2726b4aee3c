"""Refusals belong to the authority whose record was tried; pages show only their own events."""

from django.urls import reverse

from vsend.audit.models import Action, AuditEvent

FAR_ADDRESS = "198.51.100.23"
PARENT_ADDRESS = "203.0.113.7"
TEACHER_ADDRESS = "192.0.2.44"


def _probe(as_user, persona, pk, address="192.0.2.1"):
    url = reverse("children:detail", kwargs={"pk": pk})
    response = as_user(persona).get(url, REMOTE_ADDR=address)
    assert response.status_code == 404
    return AuditEvent.objects.filter(action=Action.ACCESS_REFUSED).order_by("-pk").first()


def test_a_refused_probe_of_an_existing_record_names_its_authority(world, as_user):
    row = _probe(as_user, "other_authority", world.child.pk)
    assert (row.child_id, row.authority_id) == (world.child.pk, world.authority.pk)
    assert row.detail["reason"] == "outside_scope"


def test_a_refused_probe_of_a_profile_names_its_child_and_authority(world, as_user):
    from tests.test_audit_reads import _profile_pk

    pk = _profile_pk(world)
    response = as_user("other_authority").get(reverse("profiles:summary", kwargs={"pk": pk}))
    assert response.status_code == 404
    row = AuditEvent.objects.filter(action=Action.ACCESS_REFUSED).latest("pk")
    assert (row.child_id, row.authority_id) == (world.child.pk, world.authority.pk)


def test_a_probe_of_an_id_that_does_not_exist_names_no_child(world, as_user):
    row = _probe(as_user, "other_authority", 987654)
    assert row.child_id is None and row.authority_id is None
    assert row.object_id == "987654"


def test_the_owning_authoritys_audit_page_shows_its_children_were_probed(world, as_user):
    _probe(as_user, "other_authority", world.child.pk, FAR_ADDRESS)
    page = as_user("la_admin").get(reverse("audit-log"), {"action": "access_refused"})
    body = page.content.decode()
    assert "Child not in the user&#39;s scope" in body or "Child not in the user's scope" in body
    # ... without the other authority's user's email or address.
    assert "Someone outside this authority" in body
    assert "la.admin.b@example.org" not in body and FAR_ADDRESS not in body


def test_a_probe_is_on_no_other_authoritys_audit_page(world, as_user):
    # B's administrator tries A's child and an id that does not exist: neither shows on B's
    # page, so the page cannot tell B which ids exist elsewhere.
    _probe(as_user, "other_authority", world.child.pk)
    _probe(as_user, "other_authority", 987654)
    page = as_user("other_authority").get(reverse("audit-log"), {"action": "access_refused"})
    assert "not in the user" not in page.content.decode()


def test_the_access_history_shows_only_that_authoritys_events(world, as_user):
    # A's parent (with A's child) tries B's child: B's access history shows that its child's
    # record was tried, but neither the parent's email nor their address.
    _probe(as_user, "parent", world.far_child.pk, PARENT_ADDRESS)
    page = as_user("other_authority").get(
        reverse("children:access", kwargs={"pk": world.far_child.pk})
    )
    body = page.content.decode()
    assert "parent@example.org" not in body and PARENT_ADDRESS not in body
    assert "Someone outside this authority" in body


def test_an_old_row_with_a_bare_child_id_is_not_in_the_access_history(world, as_user):
    # As refusals were recorded before: the bare id, no authority.
    AuditEvent.objects.create(
        action=Action.ACCESS_REFUSED,
        actor=world.users["parent"],
        actor_label="parent@example.org",
        child_id=world.far_child.pk,
        ip_address=PARENT_ADDRESS,
    )
    page = as_user("other_authority").get(
        reverse("children:access", kwargs={"pk": world.far_child.pk})
    )
    assert "parent@example.org" not in page.content.decode()


def test_families_addresses_are_not_shown_to_staff(world, as_user):
    detail = reverse("children:detail", kwargs={"pk": world.child.pk})
    as_user("parent").get(detail, REMOTE_ADDR=PARENT_ADDRESS)
    as_user("teacher").get(detail, REMOTE_ADDR=TEACHER_ADDRESS)
    for url in (reverse("children:access", kwargs={"pk": world.child.pk}), reverse("audit-log")):
        persona = "sendco" if "access" in url else "la_admin"
        body = as_user(persona).get(url).content.decode()
        assert "parent@example.org" in body and PARENT_ADDRESS not in body
        assert TEACHER_ADDRESS in body


def test_a_setting_dashboard_probe_is_recorded_for_the_owning_authority(world, as_user):
    from django.urls import reverse

    from vsend.audit.models import Action, AuditEvent

    response = as_user("other_authority").get(
        reverse("insights:setting", kwargs={"pk": world.setting.pk})
    )
    assert response.status_code == 404
    row = AuditEvent.objects.filter(action=Action.ACCESS_REFUSED, object_type="setting").latest(
        "id"
    )
    assert row.authority_id == world.setting.authority_id
