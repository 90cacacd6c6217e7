"""The OpenAPI document at /api/v1/openapi.json is a valid OpenAPI 3 document (issue 15, "Done when")."""

from __future__ import annotations

import pytest
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db


def test_the_openapi_document_validates_as_openapi_3(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    validate(document)


def test_the_public_endpoints_are_documented_without_a_token(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ("/api/v1/iki/", "/api/v1/iki/{period}", "/api/v1/statistics/", "/api/v1/statistics/{period}",
                 "/api/v1/sdmx/data/DF_IKI", "/api/v1/sdmx/structure/DF_INDUSTRI"):  # fmt: skip
        operation = paths[path]["get"]
        assert operation["summary"]
        assert not operation.get("security"), path
