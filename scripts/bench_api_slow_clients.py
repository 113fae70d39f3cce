#!/usr/bin/env python3
"""The API under slow clients: what 1,000 connections that never finish their request headers cost, and
whether the API still answers meanwhile.

    python3 scripts/bench_api_slow_clients.py SIPRECD_BIN [--connections 1000]

Starts siprecd with its defaults ([api] headerTimeout 10 s, maxConnections 256) on free loopback ports,
opens CONNECTIONS connections that each send a partial request head (slowloris), then times 200 GET
/healthz on a fresh keep-alive connection while they are held. Reported: RSS and open descriptors before,
while held and after the header time-out closed them; the latency percentiles of the answering client.
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request


def free_port(kind: int) -> int:
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--connections", type=int, default=1000)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="siprecd-apibench-")
    api = free_port(socket.SOCK_STREAM)
    proc = subprocess.Popen([args.binary, "run", "--data-dir", f"{work}/var", "--sip", f"127.0.0.1:{free_port(socket.SOCK_DGRAM)}",
                             "--api", f"127.0.0.1:{api}", "--rtp-ports", "31000-31099"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def rss_kb() -> int:
        for line in open(f"/proc/{proc.pid}/status"):
            if line.startswith("VmRSS"):
                return int(line.split()[1])
        return -1

    def fds() -> int:
        return len(os.listdir(f"/proc/{proc.pid}/fd"))

    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{api}/healthz", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        base = (rss_kb(), fds())
        slow = []
        for _ in range(args.connections):
            s = socket.create_connection(("127.0.0.1", api))
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
            slow.append(s)
        time.sleep(1)
        held = (rss_kb(), fds())
        client = http.client.HTTPConnection("127.0.0.1", api, timeout=5)
        latencies = []
        for _ in range(200):
            started = time.perf_counter()
            client.request("GET", "/healthz")
            client.getresponse().read()
            latencies.append(time.perf_counter() - started)
        latencies.sort()
        waited = time.perf_counter()
        while fds() > base[1] + 2 and time.perf_counter() - waited < 30:
            time.sleep(0.2)
        closed_after = time.perf_counter() - waited
        after = (rss_kb(), fds())
        print(f"{args.connections} slow connections (partial headers), siprecd defaults (headerTimeout 10 s, maxConnections 256)")
        print(f"  before:   RSS {base[0] / 1024:.1f} MB, {base[1]} open descriptors")
        print(f"  held:     RSS {held[0] / 1024:.1f} MB, {held[1]} open descriptors")
        print(f"  answering client meanwhile: 200 GET /healthz, p50 {latencies[100] * 1000:.2f} ms, "
              f"p99 {latencies[197] * 1000:.2f} ms, max {latencies[-1] * 1000:.2f} ms")
        print(f"  after:    RSS {after[0] / 1024:.1f} MB, {after[1]} open descriptors ({closed_after:.1f} s after the client finished)")
        for s in slow:
            s.close()
    finally:
        proc.terminate()
        proc.wait(15)
    return 0


if __name__ == "__main__":
    sys.exit(main())
