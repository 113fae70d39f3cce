#!/usr/bin/env python3
"""Control plane under load: API round trips while a call is recorded, and what the data plane lost.

    python3 scripts/bench_control.py SIPRECD_BIN [--requests 400] [--markdown]

Starts siprecd (socket capture, auth = "jwt" with an HS256 secret and, in a second run, an RS256 or
ES256 public key), places one SIPREC call with sipp and sends its two RTP streams (50 packets/s each)
while a client thread sends REQUESTS pause/resume pairs as fast as it can, one at a time, with a fresh
token each. Reported: round-trip latency percentiles per request kind, the rate, and the call's RTP
counters at the end (lost / late / overflows must stay 0: the data plane never waits on the API). The
reference in the same run: `openssl speed` for one RSA-2048 / P-256 verification.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "Tests" / "integration"))
import media  # noqa: E402
import netutil  # noqa: E402
from rtp_sender import RtpStream, send_concurrently  # noqa: E402
from sipp_call import SippCall  # noqa: E402

SECRET = "bench-secret-of-at-least-32-bytes-long"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def token(alg: str, key: Path | None) -> str:
    signing = b64(json.dumps({"alg": alg}).encode()) + "." + b64(json.dumps(
        {"sub": "bench", "domain": "srs.example.com", "exp": int(time.time()) + 3600}).encode())
    if alg == "HS256":
        return signing + "." + b64(hmac.new(SECRET.encode(), signing.encode(), hashlib.sha256).digest())
    der = subprocess.run(["openssl", "dgst", "-sha256", "-sign", str(key)], input=signing.encode(),
                         capture_output=True, check=True).stdout
    if alg == "ES256":
        parts, pos = [], 2
        for _ in range(2):
            length = der[pos + 1]
            parts.append(der[pos + 2:pos + 2 + length].lstrip(b"\0").rjust(32, b"\0"))
            pos += 2 + length
        der = parts[0] + parts[1]
    return signing + "." + b64(der)


def request(port: int, method: str, path: str, auth: str | None) -> float:
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=b"" if method == "POST" else None, method=method,
                                 headers={"Authorization": f"Bearer {auth}"} if auth else {})
    start = time.perf_counter()
    with urllib.request.urlopen(req, timeout=10) as resp:
        resp.read()
        assert resp.status == 200, resp.status
    return time.perf_counter() - start


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def run(binary: str, alg: str, requests: int, workdir: Path, clips) -> dict:
    key = None
    api = netutil.free_port("tcp")
    sip = netutil.free_port("udp+tcp")
    low, high = netutil.free_rtp_range(100)
    config = workdir / f"{alg}.toml"
    auth = f'jwtSecret = "{SECRET}"\n'
    if alg != "HS256":
        key = workdir / f"{alg}.key"
        algorithm = ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"] if alg == "RS256" else \
            ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"]
        subprocess.run(["openssl", "genpkey", *algorithm, "-out", str(key)], check=True, capture_output=True)
        subprocess.run(["openssl", "pkey", "-in", str(key), "-pubout", "-out", str(workdir / f"{alg}.pub")], check=True)
        auth = f'jwtPublicKeyFile = "{workdir / (alg + ".pub")}"\n'
    config.write_text(f'[media]\ncapture = "socket"\n[api]\nauth = "jwt"\n{auth}')
    proc = subprocess.Popen([binary, "run", "--config", str(config), "--sip", f"127.0.0.1:{sip}", "--api", f"127.0.0.1:{api}",
                             "--rtp-ports", f"{low}-{high}", "--data-dir", str(workdir / f"data-{alg}")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                request(api, "GET", "/healthz", None)
                break
            except OSError:
                time.sleep(0.1)
        tokens = [token(alg, key) for _ in range(min(requests, 50))]
        packets = 1500   # 30 s
        call = SippCall(sip, "udp", workdir / f"call-{alg}", pauses_ms=(packets * 20 + 1000, 0, 0)).start()
        p1, p2 = call.wait_ports()
        streams = [RtpStream(clips["caller"], p1, packets), RtpStream(clips["callee"], p2, packets)]
        sender = threading.Thread(target=send_concurrently, args=(streams,), daemon=True)
        sender.start()
        time.sleep(0.5)
        listing = json.loads(urllib.request.urlopen(urllib.request.Request(
            f"http://127.0.0.1:{api}/api/v1/recordings", headers={"Authorization": f"Bearer {tokens[0]}"})).read())
        rec = listing["recordings"][0]["recordingId"]
        health = [request(api, "GET", "/healthz", None) for _ in range(requests)]
        control: list[float] = []
        started = time.perf_counter()
        for i in range(requests):
            control.append(request(api, "POST", f"/api/v1/recordings/{rec}/{'pause' if i % 2 == 0 else 'resume'}",
                                   tokens[i % len(tokens)]))
        elapsed = time.perf_counter() - started
        sender.join(120)
        call.wait(120)
        for _ in range(100):
            final = json.loads(urllib.request.urlopen(urllib.request.Request(
                f"http://127.0.0.1:{api}/api/v1/recordings/{rec}", headers={"Authorization": f"Bearer {tokens[0]}"})).read())
            if final["state"] == "ready":
                break
            time.sleep(0.2)
        parts = final["meta"]["recordingsPartsInfo"]
        overflows = sum(r["overflows"] for r in final["reception"])
        return {"alg": alg, "health": health, "control": control, "rate": requests / elapsed,
                "lost": sum(p["lost"] for p in parts), "late": sum(p["late"] for p in parts), "overflows": overflows,
                "pauses": len(final["pauses"])}
    finally:
        proc.terminate()
        proc.wait(30)


def openssl_reference() -> str:
    out = subprocess.run(["openssl", "speed", "-seconds", "1", "rsa2048", "ecdsap256"], capture_output=True, text=True).stdout
    lines = [line for line in out.splitlines() if line.startswith("rsa 2048") or "256 bits ecdsa" in line]
    return "; ".join(" ".join(line.split()) for line in lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        clips = media.build_clips(workdir / "media", seconds=31.0)
        results = [run(args.binary, alg, args.requests, workdir, clips) for alg in ("HS256", "ES256", "RS256")]
    ms = lambda v: f"{v * 1000:.2f}"
    print("| token | GET /healthz p50 / p99 ms | POST pause/resume p50 / p99 ms | control requests/s | RTP lost / late / overflows during the run |")
    print("|---|---:|---:|---:|---|")
    for r in results:
        print(f"| {r['alg']} | {ms(percentile(r['health'], 50))} / {ms(percentile(r['health'], 99))} | "
              f"{ms(percentile(r['control'], 50))} / {ms(percentile(r['control'], 99))} | {r['rate']:.0f} | "
              f"{r['lost']} / {r['late']} / {r['overflows']} ({r['pauses']} pause spans) |")
    print()
    print(f"Reference, same run: `openssl speed -seconds 1 rsa2048 ecdsap256`: {openssl_reference()}")


if __name__ == "__main__":
    main()
