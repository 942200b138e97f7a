"""schemathesis against the real intake on a real port: generated input never makes a 5xx,
responses match the documented OpenAPI, and the event routes refuse requests without the secret."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.conftest import ConfigDir
from tests.servicekit import AUTH, TOKEN, embedded, service_config

FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
# Event text is stripped of surrounding whitespace and may not contain NUL (PostgreSQL text
# cannot hold it): JSON Schema cannot say either, so some schema-valid bodies get a 422 that
# names the field. Every other check (no 5xx, documented status codes, content types,
# response schemas, enforced auth, invalid data refused) applies.
LOOSER_THAN_THE_SCHEMA = [positive_data_acceptance]
OPERATIONS = [
    ("/v1/events", "POST"),
    ("/v1/amazon/notifications", "POST"),
    ("/healthz", "GET"),
    ("/metrics", "GET"),
]


@pytest.fixture
def api_schema(cfgdir: ConfigDir, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.setenv("AUTOREPLY_INTAKE_TOKEN", TOKEN)
    service_config(cfgdir)
    with embedded(cfgdir) as (daemon, _client):
        assert daemon.intake is not None
        yield schemathesis.openapi.from_url(f"{daemon.intake.url}/openapi.json")


def test_every_operation_is_fuzzed(api_schema: Any) -> None:
    """The fuzz tests below cover every operation the OpenAPI document declares."""
    declared = {(op.ok().path, op.ok().method.upper()) for op in api_schema.get_all_operations()}
    assert declared == set(OPERATIONS)


@pytest.mark.parametrize(("path", "method"), OPERATIONS)
def test_generated_requests_never_get_a_server_error(
    api_schema: Any, path: str, method: str
) -> None:
    """With the secret, any generated request gets a documented, conformant, non-5xx answer."""

    @given(case=api_schema[path][method].as_strategy())
    @FUZZ
    def run(case: Any) -> None:
        case.call_and_validate(headers=AUTH, excluded_checks=LOOSER_THAN_THE_SCHEMA)

    run()


@pytest.mark.parametrize(("path", "method"), OPERATIONS)
def test_without_the_secret_the_event_routes_answer_401(
    api_schema: Any, path: str, method: str
) -> None:
    """Without the secret, every generated /v1/* request gets 401; open routes never fail."""

    @given(case=api_schema[path][method].as_strategy())
    @settings(FUZZ, max_examples=15)
    def run(case: Any) -> None:
        response = case.call()
        if path.startswith("/v1/"):
            assert response.status_code == 401, response.text
        else:
            assert response.status_code < 500

    run()
