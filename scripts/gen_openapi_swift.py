#!/usr/bin/env python3
"""Writes Sources/ControlPlane/API/Generated/OpenAPIDocument.swift from docs/openapi.json (make openapi): the
same document without its indentation (half the bytes in the binary; clients parse it the same)."""
import json
from pathlib import Path

root = Path(__file__).resolve().parents[1]
document = json.loads((root / "docs" / "openapi.json").read_text())
text = json.dumps(document, separators=(",", ":"), ensure_ascii=False)
swift = ('/// The OpenAPI 3 document of the API, served at `GET /openapi.json`. Generated from docs/openapi.json by\n'
         '/// `make openapi` (without its indentation); a test checks the two are the same document and that every\n'
         '/// route is documented.\n'
         'enum OpenAPIDocument {\n    static let json = #"""\n' + text + '\n"""#\n}\n')
(root / "Sources" / "ControlPlane" / "API" / "Generated" / "OpenAPIDocument.swift").write_text(swift)
