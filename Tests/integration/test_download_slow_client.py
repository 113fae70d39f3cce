"""A long recording downloaded by a client that reads slower than siprecd writes, over a connection that
closes after the response (HTTP/1.1 `Connection: close`, or HTTP/1.0), arrives whole. siprecd used to
close the connection as soon as it had queued the last bytes, and SwiftNIO dropped what it still held
(swift-nio issue 2795): a 10-minute master came 272,764 bytes short in a load run."""

from __future__ import annotations

import dataclasses
import socket
import subprocess
import time

import numpy as np

from conftest import SIPRECD_BIN
from replay_scenario import Scenario


def slow_get(port: int, path: str, version: str) -> tuple[int, dict, bytes]:
    """GET, then read 64 KB at a time with a pause after each, until the server closes."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
    sock.connect(("127.0.0.1", port))
    close = "Connection: close\r\n" if version == "HTTP/1.1" else ""
    sock.sendall(f"GET {path} {version}\r\nHost: 127.0.0.1\r\n{close}\r\n".encode())
    time.sleep(0.2)
    sock.settimeout(30)
    chunks = []
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            break
        chunks.append(chunk)
        time.sleep(0.0005)
    sock.close()
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return int(lines[0].split()[1]), headers, body


def test_a_slow_client_gets_every_byte_of_a_long_recording(daemon_factory, clips, tmp_path):
    # A 5-minute call, made in a second by replaying a capture into the running daemon's data directory.
    # The capture is dated 2025: a long retention keeps the temporary store's sweep off it.
    daemon = daemon_factory('[storage]\ntempRetention = "87600h"\n')
    long_clips = {name: dataclasses.replace(clip, encoded=clip.encoded * 40, decoded=np.tile(clip.decoded, 40))
                  for name, clip in clips.items()}
    capture = Scenario(packets=15_000).write(long_clips, tmp_path / "call.pcap")
    made = subprocess.run([str(SIPRECD_BIN), "replay", str(capture), "--out", str(daemon.data_dir), "--json"],
                          capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    rec = [r for r in daemon.recordings() if r["state"] == "ready"][0]
    expected = daemon.api_get(f"/api/v1/recordings/{rec['recordingId']}/audio?format=wav", timeout=60).body
    assert len(expected) > 9_000_000
    for attempt in range(3):
        for version in ("HTTP/1.1", "HTTP/1.0"):
            status, headers, body = slow_get(daemon.api_port, f"/api/v1/recordings/{rec['recordingId']}/audio?format=wav", version)
            assert status == 200
            assert int(headers["content-length"]) == len(expected)
            assert len(body) == len(expected), f"{version}, download {attempt + 1}: {len(expected) - len(body)} bytes missing"
            assert body == expected
