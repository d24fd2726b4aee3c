"""Failure pages that always render, API problems, liveness and readiness (issue 8)."""

from contextlib import contextmanager
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from tests.test_api import _create_token, bearer


@contextmanager
def database_down():
    """Every query fails as it does when the database cannot be reached."""
    with mock.patch.object(
        connection, "ensure_connection", side_effect=OperationalError("connection refused")
    ):
        yield


def quiet(client: Client) -> Client:
    client.raise_request_exception = False
    return client


def test_healthz_is_liveness_and_needs_no_database(db):
    with database_down():
        response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_checks_the_database(db):
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok"}
    with database_down():
        response = quiet(Client()).get("/readyz")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json()["status"] == "unavailable"


@pytest.mark.parametrize("path", ["/children/", "/", "/account/"])
def test_a_signed_in_user_gets_a_proper_503_page_in_an_outage(world, as_user, path):
    client = quiet(as_user("sendco"))
    with database_down():
        response = client.get(path)
    assert response.status_code == 503
    page = response.content.decode()
    assert "Sorry, the service is unavailable" in page
    assert "govuk-template" in page and len(page) > 1000
    assert response["Retry-After"]


def test_an_anonymous_page_gets_a_proper_503_page_in_an_outage(db):
    with database_down():
        response = quiet(Client()).post(
            reverse("accounts:sign-in"), {"username": "a@example.org", "password": "x" * 12}
        )
    assert response.status_code == 503
    assert "Sorry, the service is unavailable" in response.content.decode()


def test_the_api_answers_a_problem_in_an_outage(world, as_user):
    token = _create_token(as_user("sendco"))
    client = quiet(Client())
    with database_down():
        response = client.get(reverse("api:children"), **bearer(token))
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 503


def test_a_500_page_needs_neither_database_nor_session(world, as_user):
    client = quiet(as_user("sendco"))
    with mock.patch("vsend.children.selectors.filter_children", side_effect=RuntimeError("a bug")):
        response = client.get(reverse("children:list"))
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()
    assert "Sign out" not in response.content.decode()  # rendered without the user


def test_an_api_500_is_a_problem(world, as_user):
    client = quiet(as_user("sendco"))
    with mock.patch("vsend.children.selectors.filter_children", side_effect=RuntimeError("a bug")):
        response = client.get(reverse("api:children"))
    assert response.status_code == 500
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Internal Server Error"


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status"),
    [
        ("get", "/api/v1/children/", {}, 401),
        ("get", "/api/v1/nowhere/", {"signed_in": True}, 404),
        ("get", "/api/v1/children/999999/", {"signed_in": True}, 404),
        ("delete", "/api/v1/children/", {"signed_in": True}, 405),
        ("get", "/api/v1/children/?sen_provision=Z", {"signed_in": True}, 400),
        ("get", "/api/v1/insight/authority/", {"signed_in": True, "persona": "teacher"}, 403),
        ("patch_text", "/api/v1/profiles/{profile}/", {"signed_in": True}, 415),
        ("patch_bad", "/api/v1/profiles/{profile}/", {"signed_in": True}, 400),
        ("patch_stale", "/api/v1/profiles/{profile}/", {"signed_in": True}, 409),
    ],
)
def test_every_api_error_is_a_problem_document(world, as_user, method, path, kwargs, status):
    from tests.profile_helpers import start_profile

    client = as_user(kwargs.get("persona", "sendco")) if kwargs.get("signed_in") else Client()
    if "{profile}" in path:
        path = path.format(profile=start_profile(as_user("sendco"), world.child))
    if method == "patch_text":
        response = client.patch(path, "hello", content_type="text/plain")
    elif method == "patch_stale":
        response = client.patch(path, {"lock_version": 999, "ratings": {}}, "application/json")
    elif method == "patch_bad":
        response = client.patch(path, "{not json", content_type="application/json")
    else:
        response = getattr(client, method)(path)
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["title"] and body["type"] == "about:blank"
