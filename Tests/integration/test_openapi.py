"""The OpenAPI document siprecd serves is valid OpenAPI 3, equals docs/openapi.json, and describes what the
server really answers."""

from __future__ import annotations

import json
from pathlib import Path

from openapi_spec_validator import validate

REPO = Path(__file__).resolve().parents[2]


def test_served_openapi_document_is_valid_and_current(daemon):
    served = daemon.api_get("/openapi.json")
    assert served.status == 200, f"GET /openapi.json answered {served.status}"
    document = served.json()
    validate(document)  # raises with the reason when the document is not valid OpenAPI 3
    assert document == json.loads((REPO / "docs" / "openapi.json").read_text()), \
        "the served document differs from docs/openapi.json (run `make openapi`)"
    for path, item in document["paths"].items():
        if "{" in path or "text/event-stream" in item["get"]["responses"].get("200", {}).get("content", {}):
            continue  # templated paths need ids; the event stream never ends (tested in test_webhooks.py)
        response = daemon.api_get(path)
        assert str(response.status) in item["get"]["responses"], \
            f"GET {path} answered {response.status}, which the document does not list"
