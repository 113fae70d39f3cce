"""A real HTTP receiver process for siprecd's webhooks (webhook_receiver.py, or decision_server.py for
newCall) and what it logged: every POST as {path, eventId, signature, body}."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import netutil

HERE = Path(__file__).resolve().parent


class Hooks:
    def __init__(self, workdir: Path, script: str = "webhook_receiver.py") -> None:
        self.port = netutil.free_port("tcp")
        self.log = workdir / f"{Path(script).stem}.jsonl"
        self.script = script
        self.start()

    def start(self) -> None:
        """(Again) on the same port, appending to the same log."""
        self.proc = subprocess.Popen([sys.executable, str(HERE / self.script), str(self.port), str(self.log)])

    def url(self, path: str = "/hooks") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def entries(self) -> list[dict]:
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text().splitlines() if line.strip()]

    def bodies(self, suffix: str = "") -> list[dict]:
        """Bodies of the POSTs whose path ends with `suffix`, in order."""
        return [json.loads(e["body"]) for e in self.entries() if e["path"].endswith(suffix)]

    def wait(self, predicate, timeout: float = 30.0) -> dict:
        """The first body that satisfies `predicate`, waiting for it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for body in self.bodies():
                if predicate(body):
                    return body
            time.sleep(0.2)
        raise AssertionError(f"no such POST; got {[b.get('event') or b.get('type') for b in self.bodies()]}")

    def wait_listening(self, timeout: float = 10.0) -> None:
        import socket
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise AssertionError(f"the webhook receiver did not listen on {self.port}")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)
