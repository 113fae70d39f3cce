"""A real application for the newCall tests: answers POST .../newCall by the called party's name
("yes" → recordCall true, "no" → false, "slow" → answers after 5 s, "broken" → HTTP 500) and logs every
POST (newCall bodies, events, alarms) as one JSON line.   python3 decision_server.py PORT FILE"""

import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with open(sys.argv[2], "a") as out:
            out.write(json.dumps({"path": self.path, "at": time.time(), "signature": self.headers.get("X-Siprecd-Signature"),
                                  "body": body.decode()}) + "\n")
        answer = b""
        status = 200
        if self.path.endswith("/newCall"):
            party = json.loads(body).get("calledParty")
            if party == "slow":
                time.sleep(5)
            if party == "broken":
                status = 500
            answer = json.dumps({"recordCall": party != "no"}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
