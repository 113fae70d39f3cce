#!/usr/bin/env python3
"""Writes Sources/ControlPlane/API/Generated/OpenAPIDocument.swift from docs/openapi.json (make openapi)."""
from pathlib import Path

root = Path(__file__).resolve().parents[1]
text = (root / "docs" / "openapi.json").read_text()
swift = ('/// The OpenAPI 3 document of the API, served at `GET /openapi.json`. Generated from docs/openapi.json by\n'
         '/// `make openapi`; a test checks the two are the same and that every route is documented.\n'
         'enum OpenAPIDocument {\n    static let json = #"""\n' + text + '\n"""#\n}\n')
(root / "Sources" / "ControlPlane" / "API" / "Generated" / "OpenAPIDocument.swift").write_text(swift)
