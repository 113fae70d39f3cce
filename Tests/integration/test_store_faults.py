"""A storage bucket that is unreachable rather than refusing (issue 7), while calls go on:
- `silent`: accepts the TCP connection and never answers;
- `blackhole`: a listener whose accept queue is full, so SYNs go unanswered (a host that is gone);
- `drip`: answers one byte a second, forever (each read succeeds, so only a deadline for the whole
  request ends it).
Each STORE fails with STORERECORDINGFAILED naming the time-out after `timeout` (3 s here), a STORE to a
healthy bucket issued after them is not held up by them, and a call recorded meanwhile is bit for bit."""

from __future__ import annotations

import socket
import threading
import time

from calls import record_call
from hooks import Hooks


class Unreachable:
    """The three kinds of dead endpoint, on loopback ports."""

    def __init__(self):
        self.closed = False
        self.held: list[socket.socket] = []
        self.silent = self._listen(16)
        self.drip = self._listen(16)
        self.blackhole = self._listen(0)
        filler = socket.create_connection(("127.0.0.1", self.port(self.blackhole)))   # fills the accept queue
        self.held.append(filler)
        threading.Thread(target=self._accept, args=(self.silent, False), daemon=True).start()
        threading.Thread(target=self._accept, args=(self.drip, True), daemon=True).start()

    def _listen(self, backlog: int) -> socket.socket:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        sock.listen(backlog)
        self.held.append(sock)
        return sock

    @staticmethod
    def port(sock: socket.socket) -> int:
        return sock.getsockname()[1]

    def _accept(self, listener: socket.socket, drip: bool) -> None:
        listener.settimeout(0.5)
        while not self.closed:
            try:
                conn, _ = listener.accept()
            except (socket.timeout, OSError):
                continue
            self.held.append(conn)
            if drip:
                threading.Thread(target=self._drip, args=(conn,), daemon=True).start()

    def _drip(self, conn: socket.socket) -> None:
        for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 10_000:
            if self.closed:
                return
            try:
                conn.send(bytes([byte]))
            except OSError:
                return
            time.sleep(1)

    def close(self) -> None:
        self.closed = True
        for sock in self.held:
            sock.close()


def s3_bucket(name: str, port: int) -> str:
    return (f'[buckets.{name}]\ntype = "s3"\nendpoint = "http://127.0.0.1:{port}"\nbucket = "recordings"\n'
            f'accessKeyId = "testing"\nsecretAccessKey = "testing"\ntimeout = "3s"\n')


def test_unreachable_buckets_fail_in_time_and_harm_nothing_else(daemon_factory, clips, tmp_path):
    dead = Unreachable()
    hooks = Hooks(tmp_path)
    archive = tmp_path / "archive"
    archive.mkdir()
    try:
        daemon = daemon_factory(
            f'[media]\ncapture = "socket"\n[webhooks]\nbase = "{hooks.url()}"\nsecret = "k"\n'
            f'[buckets.archive]\ntype = "dir"\npath = "{archive}"\n'
            + s3_bucket("silent", dead.port(dead.silent)) + s3_bucket("blackhole", dead.port(dead.blackhole))
            + s3_bucket("drip", dead.port(dead.drip)))
        rec, *_ = record_call(daemon, clips, tmp_path / "first", 100)
        rec_id = rec["recordingId"]
        ready = hooks.wait(lambda b: b.get("event") == "RECORDINGREADY" and b["recordingId"] == rec_id)
        command = {"method": "STORERECORDING", "recordingId": rec_id, "replyId": ready["replyId"], "fileName": "call.wav"}
        issued = time.monotonic()
        for bucket in ("silent", "blackhole", "drip", "archive"):
            r = daemon.api_post("/srs.example.com/storerecording", {**command, "destinationBucket": bucket})
            assert r.status == 200, r.body
        # The healthy bucket's store does not wait for the dead ones.
        stored = hooks.wait(lambda b: b.get("event") == "RECORDINGSTORED" and b["destinationBucket"] == "archive")
        assert not [b for b in hooks.bodies() if b.get("event") == "STORERECORDINGFAILED"], \
            "the dir bucket's store waited for the unreachable buckets"
        assert (archive / "call.wav").stat().st_size > 44 and stored["recordingId"] == rec_id
        # A call recorded while the stores hang: bit for bit.
        record_call(daemon, clips, tmp_path / "second", 100)
        for bucket in ("silent", "blackhole", "drip"):
            failed = hooks.wait(lambda b: b.get("event") == "STORERECORDINGFAILED"
                                and b.get("reason", "").startswith(f"bucket '{bucket}': "), timeout=30)
            assert "within 3000 ms (timed out)" in failed["reason"] and failed["recordingId"] == rec_id, failed
        elapsed = time.monotonic() - issued
        assert elapsed < 25, f"the stores took {elapsed:.0f} s to fail with a 3 s timeout"
        assert daemon.api_json(f"/api/v1/recordings/{rec_id}")["state"] == "stored"
        assert daemon.alive()
    finally:
        hooks.stop()
        dead.close()

