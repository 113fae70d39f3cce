#!/usr/bin/env python3
"""Replay speed: `siprecd replay` on a generated capture of many SIPREC calls, packets per second.

    python3 scripts/bench_replay.py SIPRECD_BIN [--calls 40] [--seconds 30] [--markdown]

The capture (Ethernet/IPv4/UDP, classic pcap) holds CALLS concurrent SIPREC calls of SECONDS each, two
G.711 streams per call at 50 packets/s. Reported: RTP packets and frames per second of wall time and of
CPU time (user + system of the replay process, from wait4), and the audio-seconds produced per CPU-second.
"""

from __future__ import annotations

import argparse
import os
import random
import struct
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "Tests" / "integration"))
import pcapgen  # noqa: E402


def build_capture(path: Path, calls: int, seconds: int) -> tuple[int, int]:
    b = pcapgen.FrameBuilder()
    records: list[tuple[int, bytes]] = []
    base = 1_763_900_000_000_000_000
    rng = random.Random(1)
    payload = bytes(rng.getrandbits(8) for _ in range(160 * 64))
    packets = seconds * 50
    for c in range(calls):
        src, srs = f"10.1.{c // 250}.{c % 250 + 1}", "10.0.0.2"
        call_id = f"bench-{c}@src"
        ports = (30000 + 4 * c, 30002 + 4 * c)
        sdp = lambda host, p, d: (f"v=0\r\no=- 1 1 IN IP4 {host}\r\ns=-\r\nc=IN IP4 {host}\r\nt=0 0\r\n"
                                  f"m=audio {p[0]} RTP/AVP 0\r\na=label:1\r\na={d}\r\nm=audio {p[1]} RTP/AVP 0\r\na=label:2\r\na={d}\r\n")
        head = [f"Via: SIP/2.0/UDP {src}:5060;branch=z9hG4bK{c}", "From: <sip:src@x>;tag=a", "To: <sip:rec@y>", f"Call-ID: {call_id}"]
        def sip(start, hdrs, body="", ctype=None):
            lines = [start] + hdrs + ([f"Content-Type: {ctype}"] if ctype else []) + [f"Content-Length: {len(body)}"]
            return ("\r\n".join(lines) + "\r\n\r\n" + body).encode()
        t0 = base + c * 1_000_000
        records += [(t0, f) for f in b.udp((src, 5060), (srs, 5060), sip("INVITE sip:rec@10.0.0.2 SIP/2.0",
                    head + ["CSeq: 1 INVITE", "Require: siprec", f"Contact: <sip:src@{src}>;+sip.src"],
                    sdp(src, (40000, 40002), "sendonly"), "application/sdp"))]
        records += [(t0 + 10_000_000, f) for f in b.udp((srs, 5060), (src, 5060), sip("SIP/2.0 200 OK",
                    head[:2] + ["To: <sip:rec@y>;tag=b", head[3], "CSeq: 1 INVITE"], sdp(srs, ports, "recvonly"), "application/sdp"))]
        for s in range(2):
            ssrc = rng.getrandbits(32)
            for i in range(packets):
                at = t0 + 50_000_000 + i * 20_000_000 + s * 100_000
                rtp = struct.pack("!BBHII", 0x80, 0, i & 0xFFFF, i * 160, ssrc) + payload[(i % 64) * 160:(i % 64 + 1) * 160]
                records.append((at, b.udp((src, 40000 + 2 * s), (srs, ports[s]), rtp)[0]))
        bye_at = t0 + 50_000_000 + packets * 20_000_000 + 50_000_000
        records += [(bye_at, f) for f in b.udp((src, 5060), (srs, 5060), sip("BYE sip:rec@10.0.0.2 SIP/2.0",
                    head[:2] + ["To: <sip:rec@y>;tag=b", head[3], "CSeq: 2 BYE"]))]
    records.sort(key=lambda r: r[0])
    pcapgen.write_pcap(path, pcapgen.LINKTYPE_ETHERNET, records)
    return len(records), calls * 2 * packets


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("siprecd")
    parser.add_argument("--calls", type=int, default=40)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="siprecd-replay-bench-"))
    capture = work / "calls.pcap"
    frames, rtp = build_capture(capture, args.calls, args.seconds)
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
        os.execv(args.siprecd, [args.siprecd, "replay", str(capture), "--out", str(work / "out")])
    _, status, usage = os.wait4(pid, 0)
    wall = time.monotonic() - start
    cpu = usage.ru_utime + usage.ru_stime
    if status != 0:
        print(f"siprecd replay failed with status {status}", file=sys.stderr)
        return 1
    made = len(list((work / "out").glob("recordings/*/*.wav")))
    audio = args.calls * args.seconds
    rows = [("capture", f"{args.calls} calls × {args.seconds} s, {frames:,} frames ({rtp:,} RTP), {capture.stat().st_size / 1e6:.1f} MB"),
            ("recordings made", f"{made} (WAV + MP3 each)"),
            ("wall time", f"{wall:.2f} s"), ("CPU time (user + system)", f"{cpu:.2f} s"),
            ("RTP packets per second (wall)", f"{rtp / wall:,.0f}"), ("RTP packets per CPU-second", f"{rtp / cpu:,.0f}"),
            ("audio-seconds per CPU-second (MP3 + WAV + reassembly)", f"{audio / cpu:,.0f}")]
    if args.markdown:
        print("| Measure | Value |\n|---|---|")
        for k, v in rows:
            print(f"| {k} | {v} |")
    else:
        for k, v in rows:
            print(f"{k:55s} {v}")
    return 0 if made == args.calls else 1


if __name__ == "__main__":
    sys.exit(main())
