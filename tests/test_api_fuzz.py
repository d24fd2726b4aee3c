"""Schemathesis over the API's own OpenAPI schema, against the WSGI app, as a demo SENDCo with
their demo API token: every check, valid and invalid input, then stateful sequences.

Any server error or any answer the schema does not describe fails the test."""

import os

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.stateful import run_state_machine_as_test
from schemathesis.config import SchemathesisConfig

from vsend.demo.loader import load_demo

EXAMPLES = int(os.environ.get("VSEND_FUZZ_EXAMPLES", "25"))
STATEFUL_STEPS = int(os.environ.get("VSEND_FUZZ_STEPS", "15"))

CONFIG = SchemathesisConfig.from_dict(
    {
        "generation": {"mode": "all", "max-examples": EXAMPLES},
        "checks": {"enabled": True},
        "operations": [
            {
                # Filters take the id of a class, setting or authority the user can see: a
                # well-formed id of any other is refused with 400, as the schema says.
                "include-path-regex": "^/api/v1/(children/|insight/authority/|insight/settings/{id}/)$",
                "checks": {
                    "positive_data_acceptance": {
                        "expected-statuses": ["2xx", "3xx", "400", "401", "403", "404", "409"]
                    }
                },
            }
        ],
    }
)
HYPOTHESIS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


class Counter:
    requests = 0


def _schema(token: str):
    raw = SchemaGenerator().get_schema(request=None, public=True)
    schema = schemathesis.openapi.from_dict(raw, config=CONFIG)
    schema.app = get_wsgi_application()
    schema.config.headers = {"Authorization": f"Bearer {token}"}
    return schema


@pytest.fixture
def demo_token(db, settings):
    settings.ALLOWED_HOSTS = ["*"]
    accounts = load_demo("demo-password-for-tests")
    # The real WSGI handler closes "old" connections around each request, which would close
    # the test's own connection (inside its transaction) on PostgreSQL; Django's test client
    # does the same as this.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield next(a.api_token for a in accounts if a.role == "sendco")
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_the_api_holds_to_its_schema_under_fuzzing(demo_token):
    Counter.requests = 0
    schema = _schema(demo_token)
    headers = {"Authorization": f"Bearer {demo_token}"}
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @HYPOTHESIS
        @given(case=operation.as_strategy())
        def check(case):
            Counter.requests += 1
            case.call_and_validate(headers=headers)

        try:
            check()
        except Exception as exc:  # noqa: BLE001 - every operation is fuzzed before failing
            failures.append(f"{operation.label}: {exc}")
    print(f"schemathesis: {Counter.requests} requests")  # noqa: T201
    assert not failures, "\n\n".join(failures)


def test_the_api_holds_to_its_schema_in_stateful_sequences(demo_token):
    Counter.requests = 0
    schema = _schema(demo_token)
    headers = {"Authorization": f"Bearer {demo_token}"}
    machine = schema.as_state_machine()

    class Sequences(machine):  # type: ignore[misc,valid-type]
        def get_call_kwargs(self, case):
            Counter.requests += 1
            return {"headers": headers}

    run_state_machine_as_test(
        Sequences,
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=STATEFUL_STEPS,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
    print(f"schemathesis stateful: {Counter.requests} requests")  # noqa: T201


@pytest.mark.django_db
def test_an_id_past_64_bits_is_not_found(world, as_user):
    client = as_user("sendco")
    for path in ("children", "profiles"):
        response = client.get(f"/api/v1/{path}/{2**63}/")
        assert response.status_code == 404, path
