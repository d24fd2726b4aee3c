import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from vsend.accounts.models import Membership, User
from vsend.accounts.roles import Role


@pytest.mark.django_db
def test_createsuperuser_makes_a_platform_administrator(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-long-admin-password-1")
    call_command(
        "createsuperuser", "--no-input", "--email", "Admin@Example.org", "--full_name", "Ada"
    )
    user = User.objects.get(email="admin@example.org")
    assert user.roles == {Role.PLATFORM_ADMIN}


def test_memberships_are_checked_for_the_right_organisation(world):
    with pytest.raises(ValidationError, match="Choose the setting"):
        Membership(
            user=world.users["sendco"], role=Role.SENDCO, authority=world.authority
        ).full_clean()
    with pytest.raises(ValidationError, match="same local authority"):
        Membership(
            user=world.users["sendco"],
            role=Role.SENDCO,
            authority=world.other_authority,
            setting=world.setting,
        ).full_clean()
    with pytest.raises(ValidationError, match="from age 16"):
        Membership(
            user=world.users["parent"],
            role=Role.YOUNG_PERSON,
            authority=world.authority,
            child=world.child,
        ).full_clean()


def test_the_error_pages_render_without_a_database_or_a_signed_in_user(db):
    from django.test import RequestFactory

    from vsend.config.views import page_not_found, server_error

    request = RequestFactory().get("/anything/")
    response = server_error(request)
    assert response.status_code == 500
    assert b"Sorry, there is a problem with the service" in response.content
    assert b"Traceback" not in response.content
    assert page_not_found(RequestFactory().get("/api/v1/nothing/")).status_code == 404


def test_an_la_officer_sees_small_counts_suppressed_and_no_names(world, as_user):
    page = as_user("la_officer").get("/").content.decode()
    assert "rounded to the nearest 5" in page and "as at" in page
    assert world.child.first_name not in page
    admin_page = as_user("la_admin").get("/").content.decode()
    assert "rounded to the nearest 5" not in admin_page
