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
        if "{" in path:
            continue  # templated paths need ids (their answers are checked in the control tests)
        for method, operation in item.items():
            if "text/event-stream" in operation["responses"].get("200", {}).get("content", {}):
                continue  # the event stream never ends (tested in test_webhooks.py)
            # A POST without a body is a bad request; the document must say so (and list what GET answers).
            response = daemon.api_request(method.upper(), path, body=b"" if method == "post" else None)
            assert str(response.status) in operation["responses"], \
                f"{method.upper()} {path} answered {response.status}, which the document does not list"
