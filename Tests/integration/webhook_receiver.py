"""A real webhook receiver for the tests: appends every POST (path, event id, signature, body) as one JSON
line to a file and answers 200.   python3 webhook_receiver.py PORT FILE"""

import json
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with open(sys.argv[2], "a") as out:
            out.write(json.dumps({"path": self.path, "eventId": self.headers.get("X-Siprecd-Event-Id"),
                                  "signature": self.headers.get("X-Siprecd-Signature"),
                                  "body": body.decode()}) + "\n")
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
