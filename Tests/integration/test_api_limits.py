"""The API's connection limits ([api] headerTimeout, idleTimeout, maxConnections): slow or idle clients
cannot hold sockets for ever or lock others out, while a slow reader of a recording is never cut."""

from __future__ import annotations

import os
import re
import resource
import select
import socket
import time

from calls import record_call


def open_fds(daemon) -> int:
    return len(os.listdir(f"/proc/{daemon.proc.pid}/fd"))


def metric(daemon, name: str) -> int:
    text = daemon.api_get("/metrics").body.decode()
    match = re.search(rf"^{re.escape(name)} (\d+)$", text, re.M)
    assert match, f"no {name} in /metrics"
    return int(match.group(1))


def closed_by_server(sock: socket.socket) -> bool:
    """True once the peer closed (EOF or reset); reads and drops whatever was sent before."""
    try:
        while select.select([sock], [], [], 0)[0]:
            if not sock.recv(65536):
                return True
    except OSError:
        return True
    return False


def wait_for_fds(daemon, at_most: int, timeout: float = 15.0) -> int:
    deadline = time.monotonic() + timeout
    while (count := open_fds(daemon)) > at_most and time.monotonic() < deadline:
        time.sleep(0.2)
    return count


def test_500_slow_clients_are_closed_in_time_while_a_call_is_recorded(daemon_factory, clips, tmp_path):
    """Slowloris: 500 connections trickle a request head one byte a second. Each is closed once
    headerTimeout (10 s: longer than opening 500 connections takes on a loaded CI machine) has passed, the daemon's descriptors return to where they were, the API answers
    throughout, and the call recorded meanwhile is bit-exact."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, 4096)), hard))
    daemon = daemon_factory('[api]\nheaderTimeout = "10s"\nidleTimeout = "5s"\nmaxConnections = 1000\n')

    def attack(_recording_id, _ports):
        baseline = open_fds(daemon)
        started = time.monotonic()
        slow, peak = [], 0
        for n in range(500):
            sock = socket.create_connection(("127.0.0.1", daemon.api_port), timeout=5)
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
            slow.append(sock)
            if n % 50 == 49:
                peak = max(peak, open_fds(daemon))
        opened = time.monotonic() - started
        deadline = time.monotonic() + 5
        while (count := open_fds(daemon)) < baseline + 500 and time.monotonic() < deadline:
            peak = max(peak, count)
            time.sleep(0.05)
        peak = max(peak, open_fds(daemon))
        # Accepted and held (the peak of open descriptors; the first may already be closed on a slow machine).
        assert peak >= baseline + 250, f"the slow connections were not even accepted: peak {peak}, baseline {baseline}"
        closed_at: dict[int, float] = {}
        answered = 0
        trickle = b"X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
        for tick in range(45):
            for index, sock in enumerate(slow):
                if index in closed_at:
                    continue
                if closed_by_server(sock):
                    closed_at[index] = time.monotonic() - started
                    continue
                try:
                    sock.send(trickle[tick:tick + 1])
                except OSError:
                    closed_at[index] = time.monotonic() - started
            if daemon.api_get("/healthz", timeout=5).status == 200:
                answered += 1
            if len(closed_at) == len(slow):
                break
            time.sleep(1.0)
        for sock in slow:
            sock.close()
        assert len(closed_at) == 500, f"{500 - len(closed_at)} slow connections still open after 45 s"
        # None before headerTimeout (10 s after it opened), all of them within it plus a generous margin.
        assert min(closed_at.values()) >= 9.5, f"closed too early: {min(closed_at.values()):.1f} s"
        assert max(closed_at.values()) <= opened + 10 + 10, f"last one closed after {max(closed_at.values()):.1f} s"
        assert answered >= 2, "the API did not answer while the slow clients were connected"
        return baseline

    _, _, _, _, baseline = record_call(daemon, clips, tmp_path, packets=400, during=attack)
    assert wait_for_fds(daemon, baseline + 3) <= baseline + 3, "descriptors did not return to the baseline"
    assert metric(daemon, 'siprecd_api_connections_closed_total{reason="headerTimeout"}') >= 500


def test_at_the_limit_the_longest_waiting_connection_makes_room_and_busy_ones_get_503(daemon_factory):
    daemon = daemon_factory('[api]\nheaderTimeout = "60s"\nmaxConnections = 8\n')
    idle = [socket.create_connection(("127.0.0.1", daemon.api_port), timeout=5) for _ in range(8)]
    time.sleep(0.3)
    # A ninth client is served: the connection that has waited longest for its request is closed for it.
    assert daemon.api_get("/healthz").status == 200
    idle[0].settimeout(5)
    assert idle[0].recv(100) == b"", "the oldest idle connection was not closed to make room"
    for sock in idle:
        sock.close()
    time.sleep(0.5)
    # Eight event streams are busy answering: nothing to evict, so a ninth gets 503 at once.
    streams = []
    for _ in range(8):
        sock = socket.create_connection(("127.0.0.1", daemon.api_port), timeout=5)
        sock.sendall(b"GET /api/v1/events HTTP/1.1\r\nHost: x\r\n\r\n")
        head = b""
        while b": siprecd events" not in head:
            head += sock.recv(4096)
        streams.append(sock)
    busy = daemon.api_get("/healthz")
    assert busy.status == 503 and "too many API connections" in busy.json()["error"], busy.body
    assert busy.headers.get("Retry-After") == "1"
    streams.pop().close()
    deadline = time.monotonic() + 10
    while daemon.api_get("/healthz").status != 200:
        assert time.monotonic() < deadline, "the API did not recover once a stream closed"
        time.sleep(0.2)
    assert metric(daemon, 'siprecd_api_connections_closed_total{reason="refused"}') >= 1
    assert metric(daemon, 'siprecd_api_connections_closed_total{reason="evicted"}') >= 1
    for sock in streams:
        sock.close()


def download_slowly(port: int, path: str, chunk: int, pause: float) -> bytes:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", port))
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
    data = b""
    while True:
        part = sock.recv(chunk)
        if not part:
            break
        data += part
        time.sleep(pause)
    sock.close()
    return data.split(b"\r\n\r\n", 1)[1]


def test_a_slow_reader_is_never_cut_and_one_that_reads_nothing_is(daemon_factory, clips, tmp_path):
    """idleTimeout 2 s: a client reading the master at ~40 KB/s with short pauses gets every byte (the
    download takes several times idleTimeout); a client that reads nothing is closed and its descriptor
    freed."""
    daemon = daemon_factory('[api]\nheaderTimeout = "2s"\nidleTimeout = "2s"\n')
    rec, wav, _, _, _ = record_call(daemon, clips, tmp_path, packets=400)
    path = f"/api/v1/recordings/{rec['recordingId']}/audio?format=wav"
    whole = daemon.api_get(path, timeout=60).body
    assert len(whole) > 250_000
    started = time.monotonic()
    slow = download_slowly(daemon.api_port, path, 8192, 0.2)
    assert time.monotonic() - started > 4, "the download was not slow enough to span idleTimeout"
    assert slow == whole, f"the slow reader got {len(slow)} of {len(whole)} bytes"
    baseline = open_fds(daemon)
    stalled = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    stalled.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    stalled.connect(("127.0.0.1", daemon.api_port))
    stalled.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    time.sleep(0.5)
    assert open_fds(daemon) == baseline + 1
    assert wait_for_fds(daemon, baseline, timeout=15) <= baseline, "the connection that read nothing was kept open"
    cut = (metric(daemon, 'siprecd_api_connections_closed_total{reason="stalled"}')
           + metric(daemon, 'siprecd_api_connections_closed_total{reason="idleTimeout"}'))
    assert cut >= 1
    stalled.close()
