"""The systemd notify protocol, read from a real datagram socket given as NOTIFY_SOCKET (sd_notify(3)):
READY=1 only once SIP and the API answer, STATUS= with the calls, WATCHDOG=1 while the data plane runs —
and not once the capture thread stalls — and STOPPING=1 on SIGTERM."""

from __future__ import annotations

import socket
import threading
import time
import urllib.request
from pathlib import Path

import sipraw
from conftest import Daemon


class NotifySocket:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(str(path))
        self.sock.settimeout(0.2)
        self.messages: list[tuple[float, str]] = []
        self.running = True
        self.on_ready = None
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        while self.running:
            try:
                data = self.sock.recv(4096).decode()
            except socket.timeout:
                continue
            except OSError:
                return
            if "READY=1" in data and self.on_ready:
                self.on_ready()
            self.messages.append((time.monotonic(), data))

    def with_line(self, prefix: str) -> list[tuple[float, str]]:
        return [(t, m) for t, m in self.messages if any(line.startswith(prefix) for line in m.split("\n"))]

    def close(self) -> None:
        self.running = False
        self.sock.close()


def test_ready_status_watchdog_and_stopping(tmp_path):
    notify = NotifySocket(tmp_path / "notify.sock")
    daemon = Daemon(tmp_path / "siprecd", '[media]\ncapture = "socket"\n')
    daemon.env = {"NOTIFY_SOCKET": str(notify.path), "WATCHDOG_USEC": "1000000"}
    checked: dict[str, object] = {}

    def at_ready() -> None:
        # The instant READY=1 arrives, SIP and the API must already answer.
        checked["sip"] = sipraw.udp_request(daemon.sip_port, "OPTIONS", timeout=2)
        with urllib.request.urlopen(f"http://127.0.0.1:{daemon.api_port}/healthz", timeout=2) as r:
            checked["api"] = r.status

    notify.on_ready = at_ready
    try:
        daemon.start()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and "api" not in checked:
            time.sleep(0.1)
        assert checked.get("api") == 200 and checked.get("sip") and checked["sip"][0] == 200, checked
        time.sleep(3.0)
        ready = notify.with_line("READY=1")
        assert len(ready) == 1, notify.messages
        watchdog = [t for t, _ in notify.with_line("WATCHDOG=1") if t > ready[0][0]]
        assert len(watchdog) >= 4, f"{len(watchdog)} WATCHDOG=1 in 3 s with WatchdogSec=1s: {notify.messages}"
        status = notify.with_line("STATUS=")[-1][1]
        assert "active recordings" in status and "started in the last minute" in status, status
        daemon.stop()
        time.sleep(0.3)
        assert notify.with_line("STOPPING=1"), notify.messages
    finally:
        notify.close()
        daemon.stop()


def test_a_stalled_capture_thread_stops_the_watchdog(tmp_path):
    notify = NotifySocket(tmp_path / "notify.sock")
    daemon = Daemon(tmp_path / "siprecd", '[media]\ncapture = "socket"\n')
    daemon.env = {"NOTIFY_SOCKET": str(notify.path), "WATCHDOG_USEC": "600000", "SIPRECD_FAULT_STALL_CAPTURE_MS": "2000"}
    try:
        daemon.start()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not notify.with_line("READY=1"):
            time.sleep(0.05)
        ready = notify.with_line("READY=1")[0][0]        # capture started before READY; it stalls 2 s after that
        time.sleep(6.0)
        beats = [t - ready for t, _ in notify.with_line("WATCHDOG=1")]
        assert beats and beats[0] < 1.5, beats                       # alive at first
        assert not [b for b in beats if b > 3.5], f"WATCHDOG=1 went on after the capture thread stalled: {beats}"
        assert "data plane stalled: capture thread" in daemon.log()
    finally:
        notify.close()
        daemon.stop()
