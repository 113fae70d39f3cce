#!/usr/bin/env python3
"""SIP over TLS: call setup latency on reused connections, handshake rate, and memory per connection.

    python3 scripts/bench_tls.py SIPRECD_BIN [--rate 100] [--seconds 30] [--call-connections 4] [--connections 1000]

Starts siprecd (release build, socket capture) with a `tls:` listener, mutual TLS (a test CA made with
`openssl`, EC P-256 and RSA-2048 server certificates) and the UDP/TCP listeners, then measures:

1. INVITE→200 OK at RATE calls/s for SECONDS, each call a SIPREC INVITE (SDP with SDES SRTP on two
   m-lines, RFC 7865 metadata) spread over four reused TLS connections (an SBC pair's trunks), ACK and BYE after two seconds; the same over
   TCP and UDP in the same run as the reference (with `sdesOverPlainSIP = true`, so they are answered alike). Client-side round trip (send → 200 read) and siprecd's own
   histogram (`siprecd_sip_invite_answer_seconds`).
2. Full TLS handshakes per second with `openssl s_time -new` (client certificate, TLS 1.3 and 1.2), against
   siprecd and, in the same run, against `openssl s_server` on the same certificate (the reference), with
   siprecd's CPU; meanwhile UDP OPTIONS round trips show whether the SIP loop stalls during the flood.
3. Resident memory per idle TLS connection (and per TCP connection): CONNECTIONS connections each
   handshake and send one OPTIONS, then VmRSS growth / CONNECTIONS.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import select
import signal
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "Tests" / "integration"))
import netutil  # noqa: E402
import tlscerts  # noqa: E402

KEY = "a" * 40  # SDES inline key (30 bytes of base64 = 40 characters)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Siprecd:
    def __init__(self, binary: str, work: Path, pki: tlscerts.Pki, server: tlscerts.CertKey) -> None:
        self.sip_port, self.tls_port = netutil.free_port("udp+tcp"), netutil.free_port("tcp")
        self.api_port = netutil.free_port("tcp")
        low, high = netutil.free_rtp_range(2000)
        config = work / "siprecd.toml"
        config.write_text(f'[tls]\ncertificate = "{server.cert}"\nkey = "{server.key}"\nclientCA = "{pki.ca.cert}"\n'
                          '[sip]\nmaxTcpConnections = 10000\ntcpFirstMessageTimeout = "60s"\n'
                          '[media]\ncapture = "socket"\nrtpTimeout = "60s"\nmp3 = false\nsdesOverPlainSIP = true\n')
        (work / "data").mkdir()
        self.log = open(work / "siprecd.log", "wb")
        self.proc = subprocess.Popen([binary, "run", "--config", str(config), "--sip", f"127.0.0.1:{self.sip_port}",
                                      "--sip-tls", f"127.0.0.1:{self.tls_port}", "--api", f"127.0.0.1:{self.api_port}",
                                      "--rtp-ports", f"{low}-{high}", "--data-dir", str(work / "data")],
                                     stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.api_port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.1)
        raise SystemExit(f"siprecd did not start: {(work / 'siprecd.log').read_text()[-2000:]}")

    def metrics(self) -> str:
        import urllib.request
        with urllib.request.urlopen(f"http://127.0.0.1:{self.api_port}/metrics", timeout=10) as r:
            return r.read().decode()

    def invite_histogram(self) -> list[tuple[float, int]]:
        text = self.metrics()
        return [(float(le) if le != "+Inf" else float("inf"), int(n))
                for le, n in re.findall(r'^siprecd_sip_invite_answer_seconds_bucket\{le="([^"]+)"\} (\d+)$', text, re.M)]

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(60)
        self.log.close()


def histogram_delta(before, after, q: float) -> float:
    """The q-th percentile (ms, bucket upper bound) of what the histogram gained between two readings."""
    counts = [(le, n - dict(before).get(le, 0)) for le, n in after]
    total = counts[-1][1] if counts else 0
    for le, n in counts:
        if total and n >= q / 100 * total:
            return le * 1000
    return float("nan")


# ---- 1. call setup on a reused connection ----------------------------------------------------------------

def invite(call_id: str, transport: str, local: str, port: int, cseq: int, method: str = "INVITE", to_tag: str = "") -> bytes:
    sdp = ("v=0\r\no=src 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
           + "".join(f"m=audio {40000 + 2 * i} RTP/SAVP 0\r\na=rtpmap:0 PCMU/8000\r\na=label:{i + 1}\r\na=sendonly\r\n"
                     f"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:{KEY}\r\n" for i in range(2)))
    metadata = ('<?xml version="1.0" encoding="UTF-8"?>\r\n<recording xmlns="urn:ietf:params:xml:ns:recording:1">'
                '<datamode>complete</datamode><session session_id="aGVsbG8="><sipSessionID>x</sipSessionID></session>'
                '<participant participant_id="cA=="><nameID aor="sip:alice@example.com"/></participant>'
                '<participant participant_id="cB=="><nameID aor="sip:bob@example.com"/></participant>'
                '<stream stream_id="czE=" session_id="aGVsbG8="><label>1</label></stream>'
                '<stream stream_id="czI=" session_id="aGVsbG8="><label>2</label></stream>'
                '<participantstreamassoc participant_id="cA=="><send>czE=</send></participantstreamassoc>'
                '<participantstreamassoc participant_id="cB=="><send>czI=</send></participantstreamassoc></recording>')
    body = "" if method != "INVITE" else (f"--B\r\nContent-Type: application/sdp\r\n\r\n{sdp}\r\n--B\r\n"
                                           f"Content-Type: application/rs-metadata+xml\r\nContent-Disposition: recording-session\r\n\r\n"
                                           f"{metadata}\r\n--B--\r\n")
    scheme = "sips" if transport == "TLS" else "sip"
    head = (f"{method} {scheme}:recorder@127.0.0.1:{port} SIP/2.0\r\n"
            f"Via: SIP/2.0/{transport} {local};branch=z9hG4bK-{uuid.uuid4().hex[:12]};rport\r\nMax-Forwards: 70\r\n"
            f"From: <sip:src@127.0.0.1>;tag=f{call_id[:8]}\r\nTo: <{scheme}:recorder@127.0.0.1>{';tag=' + to_tag if to_tag else ''}\r\n"
            f"Call-ID: {call_id}\r\nCSeq: {cseq} {method}\r\nContact: <{scheme}:src@{local}>;+sip.src\r\n"
            + ("Require: siprec\r\nContent-Type: multipart/mixed;boundary=B\r\n" if method == "INVITE" else "")
            + f"Content-Length: {len(body.encode())}\r\n\r\n")
    return head.encode() + body.encode()


class Connection:
    """One SIP connection (UDP socket, TCP or TLS stream) and a reader thread that timestamps final responses.
    The socket is non-blocking and every send and receive holds `lock`: an SSL object must not be read and
    written from two threads at once."""

    def __init__(self, transport: str, port: int, context: ssl.SSLContext | None = None) -> None:
        self.transport = transport
        if transport == "UDP":
            self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            self.sock.bind(("127.0.0.1", 0))
            self.sock.connect(("127.0.0.1", port))
        else:
            raw = socket.create_connection(("127.0.0.1", port), timeout=10)
            raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.sock = context.wrap_socket(raw, server_hostname="localhost") if context else raw
        self.local = "127.0.0.1:%d" % self.sock.getsockname()[1]
        self.sock.setblocking(False)
        self.lock = threading.Lock()
        self.answered: dict[tuple[str, str], tuple[int, float, str]] = {}
        self.done = threading.Event()
        threading.Thread(target=self.read, daemon=True).start()

    def send(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            with self.lock:
                try:
                    view = view[self.sock.send(view):]
                    continue
                except (ssl.SSLWantWriteError, ssl.SSLWantReadError, BlockingIOError):
                    pass
            select.select([], [self.sock], [], 0.01)

    def receive(self) -> bytes | None:
        """What arrived (b"" when nothing yet), None at the end of the connection."""
        with self.lock:
            try:
                chunk = self.sock.recv(65535)
            except (ssl.SSLWantReadError, ssl.SSLWantWriteError, BlockingIOError):
                return b""
            except (OSError, ssl.SSLError):
                return None
        return chunk if chunk else None

    def read(self) -> None:
        buffer = b""
        while not self.done.is_set():
            pending = isinstance(self.sock, ssl.SSLSocket) and self.sock.pending() > 0
            if not pending:
                select.select([self.sock], [], [], 0.1)
            chunk = self.receive()
            if chunk is None:
                return
            if not chunk:
                continue
            now = time.perf_counter()
            buffer = chunk if self.transport == "UDP" else buffer + chunk
            while True:
                end = buffer.find(b"\r\n\r\n")
                if end < 0:
                    break
                head = buffer[:end].decode(errors="replace")
                length = int((re.search(r"^Content-Length:\s*(\d+)", head, re.M | re.I) or [0, 0])[1])
                if len(buffer) < end + 4 + length:
                    break
                message, buffer = head, buffer[end + 4 + length:]
                if not message.startswith("SIP/2.0 "):
                    continue
                code = int(message.split(" ", 2)[1])
                if code < 200:
                    continue
                call = re.search(r"^Call-ID:\s*(\S+)", message, re.M | re.I)[1]
                method = re.search(r"^CSeq:\s*\d+\s+(\S+)", message, re.M | re.I)[1]
                tag = (re.search(r"^To:.*;tag=([^;\s]+)", message, re.M | re.I) or [None, ""])[1]
                # The first final response: over UDP siprecd re-sends the 200 OK until the ACK (sent 2 s later).
                self.answered.setdefault((call, method), (code, now, tag))

    def close(self) -> None:
        self.done.set()
        self.sock.close()


def call_setup(siprecd: Siprecd, transport: str, context: ssl.SSLContext | None, rate: int, seconds: float,
               connections: int) -> dict:
    """RATE calls/s for SECONDS, spread round-robin over CONNECTIONS connections opened first (UDP: sockets)."""
    port = siprecd.tls_port if transport == "TLS" else siprecd.sip_port
    conns = [Connection(transport, port, context) for _ in range(connections)]
    before = siprecd.invite_histogram()
    sent: dict[str, tuple[float, Connection]] = {}
    byes: list[tuple[float, str]] = []

    def hang_up(call_id: str) -> None:
        conn = sent[call_id][1]
        answer = conn.answered.get((call_id, "INVITE"))
        if answer and answer[0] == 200:
            conn.send(invite(call_id, transport, conn.local, port, 1, "ACK", answer[2]))
            conn.send(invite(call_id, transport, conn.local, port, 2, "BYE", answer[2]))

    start = time.perf_counter()
    total = int(rate * seconds)
    for index in range(total):
        due = start + index / rate
        while (now := time.perf_counter()) < due:
            time.sleep(min(0.002, due - now))
        conn = conns[index % connections]
        call_id = f"tls-bench-{uuid.uuid4().hex}"
        sent[call_id] = (time.perf_counter(), conn)
        conn.send(invite(call_id, transport, conn.local, port, 1))
        byes.append((time.perf_counter() + 2.0, call_id))
        while byes and byes[0][0] <= time.perf_counter():
            hang_up(byes.pop(0)[1])
    time.sleep(3)
    for _, call_id in byes:
        hang_up(call_id)
    time.sleep(2)
    elapsed = time.perf_counter() - start
    after = siprecd.invite_histogram()
    rtts, ok, codes = [], 0, {}
    for call_id, (at, conn) in sent.items():
        answer = conn.answered.get((call_id, "INVITE"))
        codes[answer[0] if answer else "none"] = codes.get(answer[0] if answer else "none", 0) + 1
        if answer:
            rtts.append((answer[1] - at) * 1000)
            ok += answer[0] == 200
    for conn in conns:
        conn.close()
    if ok < total:
        print(f"# {transport}: final responses {codes}", file=sys.stderr)
    return {"transport": transport, "calls": total, "ok": ok, "rate": total / (elapsed - 5),
            "p50": percentile(rtts, 50), "p99": percentile(rtts, 99), "max": max(rtts or [float("nan")]),
            "server_p99": histogram_delta(before, after, 99)}


# ---- 2. handshakes per second -------------------------------------------------------------------------------

def s_time(port: int, pki: tlscerts.Pki, version: str, seconds: int) -> float:
    out = subprocess.run(["openssl", "s_time", "-connect", f"127.0.0.1:{port}", "-new", "-time", str(seconds),
                          "-cert", str(pki.client.cert), "-key", str(pki.client.key), "-CAfile", str(pki.ca.cert), f"-{version}"],
                         capture_output=True, text=True, timeout=seconds + 60)
    match = re.search(r"(\d+) connections in ([\d.]+)s; ([\d.]+) connections/user sec", out.stdout)
    if not match:
        raise SystemExit(f"openssl s_time gave no figure: {out.stdout[-500:]} {out.stderr[-500:]}")
    return int(match.group(1)) / float(match.group(2))


def options_rtt(port: int, stop: threading.Event, out: list[float]) -> None:
    """UDP OPTIONS round trips every 10 ms until `stop`: does the SIP loop answer during a handshake flood?"""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(2)
    local = "127.0.0.1:%d" % sock.getsockname()[1]
    while not stop.is_set():
        call = uuid.uuid4().hex
        message = (f"OPTIONS sip:recorder@127.0.0.1:{port} SIP/2.0\r\nVia: SIP/2.0/UDP {local};branch=z9hG4bK{call[:12]};rport\r\n"
                   f"Max-Forwards: 70\r\nFrom: <sip:probe@127.0.0.1>;tag=1\r\nTo: <sip:recorder@127.0.0.1>\r\nCall-ID: {call}\r\n"
                   f"CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n").encode()
        sent = time.perf_counter()
        sock.sendto(message, ("127.0.0.1", port))
        try:
            sock.recv(65535)
            out.append((time.perf_counter() - sent) * 1000)
        except socket.timeout:
            out.append(2000.0)
        time.sleep(0.01)
    sock.close()


def handshakes(siprecd: Siprecd, pki: tlscerts.Pki, server: tlscerts.CertKey, seconds: int) -> list[dict]:
    rows = []
    for version in ("tls1_3", "tls1_2"):
        stop, rtts = threading.Event(), []
        probe = threading.Thread(target=options_rtt, args=(siprecd.sip_port, stop, rtts))
        probe.start()
        cpu0, t0 = cpu_seconds(siprecd.proc.pid), time.monotonic()
        rate = s_time(siprecd.tls_port, pki, version, seconds)
        cpu = (cpu_seconds(siprecd.proc.pid) - cpu0) / (time.monotonic() - t0)
        stop.set()
        probe.join()
        reference_port = netutil.free_port("tcp")
        reference = subprocess.Popen(["openssl", "s_server", "-accept", str(reference_port), "-cert", str(server.cert),
                                      "-key", str(server.key), "-CAfile", str(pki.ca.cert), "-Verify", "1", "-quiet", "-naccept", "1000000"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        time.sleep(0.5)
        try:
            reference_rate = s_time(reference_port, pki, version, seconds)
        finally:
            reference.kill()
            reference.wait()
        rows.append({"version": version.replace("tls1_", "TLS 1."), "rate": rate, "cpu": cpu, "reference": reference_rate,
                     "options_p50": percentile(rtts, 50), "options_p99": percentile(rtts, 99), "options_max": max(rtts or [0])})
    return rows


# ---- 3. memory per connection -------------------------------------------------------------------------------

def memory_per_connection(siprecd: Siprecd, context: ssl.SSLContext, count: int, transport: str) -> float:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, count + 1024)), hard))
    time.sleep(1)
    before = rss_kb(siprecd.proc.pid)
    conns = []
    port = siprecd.tls_port if transport == "TLS" else siprecd.sip_port
    for index in range(count):
        raw = socket.create_connection(("127.0.0.1", port), timeout=10)
        sock = context.wrap_socket(raw, server_hostname="localhost") if transport == "TLS" else raw
        local = "127.0.0.1:%d" % sock.getsockname()[1]
        sock.sendall((f"OPTIONS sip:recorder@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/{transport} {local};branch=z9hG4bK{index}x\r\n"
                      f"Max-Forwards: 70\r\nFrom: <sip:p@127.0.0.1>;tag=1\r\nTo: <sip:recorder@127.0.0.1>\r\nCall-ID: m{index}{transport}\r\n"
                      f"CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n").encode())
        sock.recv(65535)
        conns.append(sock)
    time.sleep(2)
    after = rss_kb(siprecd.proc.pid)
    for sock in conns:
        sock.close()
    time.sleep(1)
    return (after - before) / count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("binary")
    parser.add_argument("--rate", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--call-connections", type=int, default=4, help="connections the calls are spread over")
    parser.add_argument("--handshake-seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=1000)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="siprecd-bench-tls-") as tmp:
        work = Path(tmp)
        pki = tlscerts.make_pki(work / "pki")
        rsa = work / "rsa"
        rsa.mkdir()
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(rsa / "server.key"),
                        "-out", str(rsa / "server.pem"), "-days", "30", "-subj", "/CN=localhost",
                        "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-CA", str(pki.ca.cert), "-CAkey", str(pki.ca.key)],
                       check=True, capture_output=True)
        rsa_server = tlscerts.CertKey(rsa / "server.pem", rsa / "server.key")
        client = tlscerts.client_context(pki, pki.client)

        print(f"# bench_tls {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}, "
              f"{subprocess.run(['openssl', 'version'], capture_output=True, text=True).stdout.strip()}")
        (work / "ec").mkdir()
        siprecd = Siprecd(args.binary, work / "ec", pki, pki.server)
        try:
            setups = [call_setup(siprecd, t, client if t == "TLS" else None, args.rate, args.seconds, args.call_connections)
                      for t in ("TLS", "TCP", "UDP")]
            print(f"\n## INVITE→200 OK at {args.rate} calls/s over {args.call_connections} reused connections, SRTP offers with "
                  "metadata, BYE after 2 s\n")
            print("| transport | calls | 200 OK | rate/s | client RTT p50 / p99 / max ms | siprecd's own p99 ms (histogram bucket) |")
            print("|---|---|---|---|---|---|")
            for r in setups:
                print(f"| {r['transport']} | {r['calls']} | {r['ok']} | {r['rate']:.0f} | {r['p50']:.2f} / {r['p99']:.2f} / {r['max']:.1f} | "
                      f"≤ {r['server_p99']:g} |")
            memory = {t: memory_per_connection(siprecd, client, args.connections, t) for t in ("TLS", "TCP")}
            print(f"\n## Resident memory per idle connection ({args.connections} connections, one OPTIONS each)\n")
            print("| transport | KB per connection |\n|---|---|")
            for t, kb in memory.items():
                print(f"| {t} | {kb:.1f} |")
            ec_rows = handshakes(siprecd, pki, pki.server, args.handshake_seconds)
        finally:
            siprecd.stop()
        (work / "rsa-run").mkdir()
        siprecd = Siprecd(args.binary, work / "rsa-run", pki, rsa_server)
        try:
            rsa_rows = handshakes(siprecd, pki, rsa_server, args.handshake_seconds)
        finally:
            siprecd.stop()
        print(f"\n## Full handshakes per second (`openssl s_time -new`, client certificate), {args.handshake_seconds} s each\n")
        print("| server key | version | siprecd handshakes/s | siprecd CPU (cores) | openssl s_server handshakes/s (reference) | "
              "UDP OPTIONS RTT meanwhile p50 / p99 / max ms |")
        print("|---|---|---|---|---|---|")
        for key, rows in (("EC P-256", ec_rows), ("RSA-2048", rsa_rows)):
            for r in rows:
                print(f"| {key} | {r['version']} | {r['rate']:.0f} | {r['cpu']:.2f} | {r['reference']:.0f} | "
                      f"{r['options_p50']:.2f} / {r['options_p99']:.2f} / {r['options_max']:.1f} |")


if __name__ == "__main__":
    main()
