#!/usr/bin/env python3
"""Capacity benchmark with real SIPREC traffic (`make bench-load`, BENCHMARKS.md section 9).

    python3 scripts/bench_load.py SIPRECD_BIN [--mode mp3|master] [--levels 100,200,400,600]
                                  [--seconds 30] [--rate 100] [--sample 10] [--codec pcmu|g729|g726-32|amr|g722|amr-wb|opus]

For each level of concurrent calls, ascending, until one fails:
  * siprecd runs with libpcap capture on lo (the fast path), `[media] mp3 = true` (stereo MP3 + master) or
    false (master only);
  * sipp (scripts/load/siprec_load.xml) places LEVEL SIPREC calls at RATE calls/s, each held for the call
    length, then BYE; scripts/load/rtpload (C, built here) sends both streams of every answered call at the
    real 20 ms cadence with known content (slices of 60 s of speech, in the `--codec` the SDP offers: G.711
    µ-law by default; the others encoded by independent encoders, scripts/load/load_codecs.py);
  * while every call is up: siprecd's CPU (utime + stime from /proc, in cores) and resident memory;
  * afterwards: INVITE→200 OK and BYE→RECORDINGREADY (live event stream) percentiles, every stream's
    packet count against what rtpload sent, lost/late/ring-full counters, and SAMPLE recordings compared
    bit for bit with the reference decode of what was sent (G.711's table, or the codec library's own decode
    loop at the master's rate: 8 kHz, 16 kHz for G.722, AMR-WB and Opus).
A level passes when no packet is lost or misplaced, no INVITE was answered late (sipp retransmitted it, or
it took over 500 ms), and the encoder kept up (no ring-full drops, every recording ready within 10 s of
its BYE).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "Tests" / "integration"))
sys.path.insert(0, str(ROOT / "scripts" / "load"))
import load_codecs  # noqa: E402
import media  # noqa: E402
import netutil  # noqa: E402

SCENARIO = ROOT / "scripts" / "load" / "siprec_load.xml"
G711_OFFER = "RTP/AVP 0 101\n      a=rtpmap:0 PCMU/8000\n"


def scenario_for(codec: load_codecs.LoadCodec, workdir: Path) -> Path:
    """The sipp scenario with both m-lines offering `codec` (and telephone-event) instead of PCMU."""
    text = SCENARIO.read_text()
    assert text.count(G711_OFFER) == 2, "the scenario's m-lines changed: update G711_OFFER"
    lines = "".join(f"      {line}\n" for line in codec.sdp.split("\r\n"))
    path = workdir / f"siprec_load_{codec.name}.xml"
    path.write_text(text.replace(G711_OFFER, f"RTP/AVP {codec.payload_type} 101\n{lines}"))
    return path


# SRTP (--srtp SUITE): one fixed key for every stream of every call, offered in the scenario's a=crypto.
SRTP_KEY = bytes(range(1, 45))
SRTP_KEY_BYTES = {"AES_CM_128_HMAC_SHA1_80": 30, "AES_CM_128_HMAC_SHA1_32": 30, "AEAD_AES_128_GCM": 28, "AEAD_AES_256_GCM": 44}


def secure_scenario(path: Path, suite: str) -> Path:
    """The scenario's m-lines as RTP/SAVP with an a=crypto line of `suite` (sdesOverPlainSIP on the siprecd side)."""
    import base64
    key = base64.b64encode(SRTP_KEY[:SRTP_KEY_BYTES[suite]]).decode()
    text = path.read_text()
    assert text.count(" RTP/AVP ") == 2, "the scenario's m-lines changed"
    text = text.replace(" RTP/AVP ", " RTP/SAVP ")
    text = re.sub(r"(\n(\s*)a=rtpmap:101 telephone-event/8000\n)", rf"\1\2a=crypto:1 {suite} inline:{key}\n", text)
    assert text.count("a=crypto:1") == 2
    out = path.with_name(path.stem + "_srtp.xml")
    out.write_text(text)
    return out


def build_rtpload(workdir: Path, srtp: bool = False) -> Path:
    out = workdir / "rtpload"
    # SRTP: the libsrtp build siprecd links (make deps), so both ends run the same code.
    flags = ["-DRTPLOAD_SRTP", str(ROOT / ".build/libsrtp/libsrtp2-openssl.a"), "-lcrypto"] if srtp else []
    for cc in (os.environ.get("CC"), "cc", "clang", "/opt/swift/usr/bin/clang"):
        if cc and shutil.which(cc):
            subprocess.run([cc, "-O2", "-Wall", "-o", str(out), str(ROOT / "scripts/load/rtpload.c")] + flags, check=True)
            return out
    raise SystemExit("no C compiler (cc or clang) to build scripts/load/rtpload.c")


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def proc_cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def smaps_summary(pid: int) -> dict:
    """Resident KB per kind of mapping: heap, anonymous (mmap: rings, big mallocs, thread stacks), files."""
    kinds: dict = {}
    kind = "other"
    for line in Path(f"/proc/{pid}/smaps").read_text().splitlines():
        head = line.split()
        if re.match(r"^[0-9a-f]+-[0-9a-f]+ ", line):
            name = head[5] if len(head) > 5 else ""
            kind = "heap" if name == "[heap]" else "anon" if name == "" else "stack" if name.startswith("[stack") else "file"
        elif head and head[0] == "Rss:":
            kinds[kind] = kinds.get(kind, 0) + int(head[1])
    return kinds


def proc_rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


class EventReader(threading.Thread):
    """Follows /api/v1/events and notes when each recording's end event arrived."""

    def __init__(self, api: int) -> None:
        super().__init__(daemon=True)
        self.api = api
        self.ended: dict[str, tuple[float, dict]] = {}   # sipRecCallId -> (time, event)

    def run(self) -> None:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.api}/api/v1/events", timeout=3600) as stream:
            for raw in stream:
                line = raw.decode(errors="replace").strip()
                if not line.startswith("data: "):
                    continue
                now = time.time()
                event = json.loads(line[6:])
                if event.get("event") in ("RECORDINGREADY", "RECORDINGFAILED"):
                    self.ended[event.get("sipRecCallId", "")] = (now, event)


def api_json(api: int, path: str):
    return json.loads(urllib.request.urlopen(f"http://127.0.0.1:{api}{path}", timeout=30).read())


def metrics_text(api: int) -> str:
    return urllib.request.urlopen(f"http://127.0.0.1:{api}/metrics", timeout=10).read().decode()


def metrics(text: str) -> dict[str, int]:
    out = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 2 and not line.startswith("#") and parts[1].isdigit():
            out[parts[0]] = int(parts[1])
    return out


def answer_histogram(text: str) -> tuple[float, str]:
    """siprecd's own INVITE -> 200 OK histogram: the share answered within 10 ms, and the bucket holding the p99."""
    buckets = [(le, int(n)) for le, n in re.findall(r'^siprecd_sip_invite_answer_seconds_bucket\{le="([^"]+)"\} (\d+)$', text, re.M)]
    total = buckets[-1][1] if buckets else 0
    if total == 0:
        return float("nan"), "-"
    within = dict(buckets).get("0.01", 0) / total
    p99 = next(le for le, n in buckets if n >= 0.99 * total)
    return within, p99


def own_cpu(args, codec: load_codecs.LoadCodec, level: int, wav: Path | None, workdir: Path) -> dict:
    """What the same audio costs the encoder and the decoders on their own, measured now (the load is over):
    the `lame` CLI with siprecd's MP3 settings on a recorded master (stereo, caller and callee), and the
    codec library's own decode loop (`siprecd-bench --library-decode`, next to the siprecd binary)."""
    out: dict = {"lame_cpu_per_second": 0.0, "decode_ns": 0.0}
    if wav is None:
        return out
    bench = Path(args.binary).parent / "siprecd-bench"
    if bench.exists():
        out["decode_ns"] = float(subprocess.run([str(bench), "--library-decode", codec.name, str(codec.master_rate)],
                                                capture_output=True, text=True, check=True).stdout.strip())
    seconds = media.parse_wav(wav.read_bytes()).samples.shape[0] / codec.master_rate
    if args.mode == "mp3":
        best = float("inf")
        for _ in range(3):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            subprocess.run(["lame", "--quiet", "-b", "32", "--cbr", "-q", "5", "-m", "s", "--resample", str(codec.master_rate // 1000),
                            "--noreplaygain", str(wav), str(workdir / "lame.mp3")], check=True)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            best = min(best, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        out["lame_cpu_per_second"] = best / seconds
    # Two streams of 50 packets a second per call.
    out["own_cores"] = level * (out["lame_cpu_per_second"] + 100 * out["decode_ns"] * 1e-9)
    return out


def run_level(binary: str, level: int, args, workdir: Path, codec: load_codecs.LoadCodec, rtpload: Path) -> dict:
    workdir.mkdir(parents=True)
    sip, api = netutil.free_port("udp+tcp"), netutil.free_port("tcp")
    config = workdir / "siprecd.toml"
    config.write_text(f'[media]\ncapture = "{args.capture}"\ninterface = "lo"\nrtpPorts = "{args.rtp_low}-{args.rtp_low + 9999}"\n'
                      f'mp3 = {"true" if args.mode == "mp3" else "false"}\nrtpTimeout = "60s"\nstreamBuffer = "{args.stream_buffer}"\n'
                      + ("sdesOverPlainSIP = true\n" if args.srtp else "")
                      + f'[storage]\nminFree = "200MB"\n[api]\ncontrolSocket = "none"\n')
    log = open(workdir / "siprecd.log", "wb")
    daemon = subprocess.Popen([binary, "run", "--config", str(config), "--sip", f"127.0.0.1:{sip}", "--api", f"127.0.0.1:{api}",
                               "--data-dir", str(workdir / "data")], stdout=log, stderr=subprocess.STDOUT)
    result: dict = {"level": level, "mode": args.mode, "codec": codec.name}
    try:
        for _ in range(200):
            try:
                api_json(api, "/healthz")
                break
            except OSError:
                time.sleep(0.05)
        events = EventReader(api)
        events.start()
        time.sleep(0.5)
        idle_rss = proc_rss_kb(daemon.pid)
        idle_maps = smaps_summary(daemon.pid)
        content = workdir / f"content.{codec.name}"
        content.write_bytes(codec.content())
        scenario = scenario_for(codec, workdir)
        if args.srtp:
            scenario = secure_scenario(scenario, args.srtp)
        calllog, report = workdir / "calls.log", workdir / "rtpload.tsv"
        ramp = level / args.rate
        hold_s = max(args.seconds, int(ramp) + 15)
        # The SIP on the wire (dumpcap): INVITE -> 200 OK as the packets passed lo, independent of sipp's clock.
        wire = subprocess.Popen(["dumpcap", "-q", "-i", "lo", "-f", f"udp port {sip}", "-w", str(workdir / "sip.pcapng")],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) if shutil.which("dumpcap") else None
        time.sleep(0.5)
        sender = subprocess.Popen([str(rtpload), str(calllog), str(content), str(hold_s), str(int(ramp + hold_s + 120)), str(report),
                                   str(codec.payload_type), str(codec.ts_step)],
                                  env={**os.environ, **({"RTPLOAD_SRTP_SUITE": args.srtp,
                                                         "RTPLOAD_SRTP_KEY": SRTP_KEY[:SRTP_KEY_BYTES[args.srtp]].hex()} if args.srtp else {})})
        sipp = subprocess.Popen(["sipp", f"127.0.0.1:{sip}", "-sf", str(scenario), "-t", "u1", "-i", "127.0.0.1",
                                 "-p", str(netutil.free_port("udp")),
                                 "-s", "recorder", "-r", str(args.rate), "-l", str(level), "-m", str(level),
                                 "-set", "hold", str(hold_s * 1000 + 300), "-log_file", str(calllog), "-trace_logs",
                                 "-trace_rtt", "-rtt_freq", "1", "-trace_stat", "-fd", "1", "-nostdin",
                                 "-timeout", f"{int(ramp + hold_s + 90)}s", "-timeout_error", "-max_socket", "100"],
                                cwd=workdir, stdout=subprocess.DEVNULL, stderr=open(workdir / "sipp.err", "wb"))
        # Steady state: every call answered, none ended.
        deadline = time.time() + ramp + 30
        while time.time() < deadline:
            answered = calllog.read_text().count("answered ") if calllog.exists() else 0
            if answered >= level:
                break
            time.sleep(0.2)
        time.sleep(2.0)
        window = min(10.0, hold_s - ramp - 4)
        cpu0, t0 = proc_cpu_seconds(daemon.pid), time.time()
        time.sleep(max(2.0, window))
        cpu1, t1 = proc_cpu_seconds(daemon.pid), time.time()
        rss = proc_rss_kb(daemon.pid)
        result["cores"] = (cpu1 - cpu0) / (t1 - t0)
        result["rss_mb"] = rss / 1024
        result["rss_per_call_kb"] = (rss - idle_rss) / level
        busy_maps = smaps_summary(daemon.pid)
        result["rss_per_call_by_kind"] = {k: round((busy_maps.get(k, 0) - idle_maps.get(k, 0)) / level, 1)
                                          for k in sorted(set(busy_maps) | set(idle_maps))}
        sipp.wait(timeout=ramp + hold_s + 150)
        sender.wait(timeout=200)
        result["sipp_exit"] = sipp.returncode
        # Every recording's end.
        call_ids = dict(re.findall(r"^answered (\d+) \d+ \d+ (\S+)$", calllog.read_text(), re.M))
        deadline = time.time() + 60
        while time.time() < deadline and sum(1 for c in call_ids.values() if c in events.ended) < len(call_ids):
            time.sleep(0.2)
        result["answered"] = len(call_ids)
        result["ended"] = sum(1 for c in call_ids.values() if c in events.ended)
        # BYE -> RECORDINGREADY.
        sent_rows, byes, late_line = [], {}, ""
        for line in report.read_text().splitlines():
            if line.startswith("#bye"):
                _, call, wall = line.split("\t")
                byes[call] = int(wall) / 1000
            elif line.startswith("#late"):
                late_line = line
            else:
                sent_rows.append(line.split("\t"))
        result["sender"] = late_line
        bye_ready = [events.ended[call_ids[c]][0] - t for c, t in byes.items() if c in call_ids and call_ids[c] in events.ended]
        result["bye_ready_ms"] = (percentile(bye_ready, 50) * 1000, percentile(bye_ready, 99) * 1000, max(bye_ready or [0]) * 1000)
        # INVITE -> 200 OK from sipp's response-time trace.
        invite, retrans = [], 0
        for rtt in workdir.glob("*_rtt.csv"):
            for line in rtt.read_text().splitlines()[1:]:
                parts = line.split(";")
                if len(parts) >= 3 and parts[2].strip() in ("invite", "1"):
                    invite.append(float(parts[1]))
        for stat in workdir.glob("*_.csv"):
            rows = [r.split(";") for r in stat.read_text().splitlines() if r.strip()]
            if len(rows) >= 2 and "Retransmissions(C)" in rows[0]:
                retrans = int(rows[-1][rows[0].index("Retransmissions(C)")])
        result["invite_ms"] = (percentile(invite, 50), percentile(invite, 99), max(invite or [0]))
        result["invite_wire_ms"] = (float("nan"),) * 3
        if wire is not None:
            wire.terminate()
            wire.wait(10)
            fields = subprocess.run(["tshark", "-r", str(workdir / "sip.pcapng"), "-Y", "sip.CSeq.method == \"INVITE\"",
                                     "-T", "fields", "-e", "frame.time_epoch", "-e", "sip.Call-ID", "-e", "sip.Method",
                                     "-e", "sip.Status-Code"], capture_output=True, text=True).stdout
            sent_at, answered_at = {}, {}
            for line in fields.splitlines():
                parts = line.split("\t")
                if len(parts) < 4:
                    continue
                stamp, call, method, status = float(parts[0]), parts[1], parts[2], parts[3]
                if method == "INVITE":
                    sent_at.setdefault(call, stamp)
                elif status == "200":
                    answered_at.setdefault(call, stamp)
            delays = [(answered_at[c] - t) * 1000 for c, t in sent_at.items() if c in answered_at]
            result["invite_wire_ms"] = (percentile(delays, 50), percentile(delays, 99), max(delays or [0]))
        result["retransmissions"] = retrans
        # Every stream against what was sent; a sample bit for bit.
        listing, offset = [], 0
        while True:
            page = api_json(api, f"/api/v1/recordings?limit=1000&offset={offset}")["recordings"]
            listing += page
            offset += len(page)
            if len(page) < 1000:
                break
        by_ssrc = {}
        for rec in listing:
            for part in rec.get("meta", {}).get("recordingsPartsInfo", []):
                by_ssrc[part.get("ssrc")] = (rec, part)
        missing, short, lost, late = 0, 0, 0, 0
        for row in sent_rows:
            ssrc, sent = int(row[3]), int(row[7])
            if ssrc not in by_ssrc:
                missing += 1
                continue
            _, part = by_ssrc[ssrc]
            short += max(0, sent - part.get("packets", 0))
            lost += part.get("lost", 0)
            late += part.get("late", 0)
        text = metrics_text(api)
        m = metrics(text)
        result["answer_within_10ms"], result["answer_p99_bucket"] = answer_histogram(text)
        result.update(missing_streams=missing, packets_short=short, lost=lost, late=late,
                      ring_full=m.get("siprecd_rtp_dropped_ring_full_total", 0),
                      pcap_drops=m.get("siprecd_pcap_kernel_drops_total", 0))
        per_packet = codec.master_rate // 50
        checked, exact = 0, 0
        for row in sent_rows[: 2 * args.sample]:
            ssrc, offset, sent = int(row[3]), int(row[6]), int(row[7])
            if ssrc not in by_ssrc:
                continue
            rec, part = by_ssrc[ssrc]
            wav_path = workdir / f"{rec['recordingId']}.wav"
            if not wav_path.exists():
                with urllib.request.urlopen(f"http://127.0.0.1:{api}/api/v1/recordings/{rec['recordingId']}/audio?format=wav") as r:
                    wav_path.write_bytes(r.read())
            wav = media.parse_wav(wav_path.read_bytes())
            channel = wav.samples[:, part["channel"]]
            start = part["startSample"]
            expected = codec.expected(offset, sent)
            got = channel[start:start + sent * per_packet]
            checked += 1
            result["sample_rate"] = wav.sample_rate
            exact += int(len(got) == len(expected) and (got == expected).all())
        result["bit_exact"] = (exact, checked)
        result.update(own_cpu(args, codec, level, wav_path if checked else None, workdir))
        result["passed"] = (missing == 0 and short == 0 and lost == 0 and late == 0 and result["ring_full"] == 0
                            and retrans == 0 and result["invite_ms"][2] <= 500 and result["ended"] == result["answered"] == level
                            and (max(bye_ready or [99]) <= 10) and exact == checked > 0)
        return result
    finally:
        daemon.terminate()
        try:
            daemon.wait(60)
        except subprocess.TimeoutExpired:
            daemon.kill()
        log.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--mode", choices=["mp3", "master"], default="mp3")
    parser.add_argument("--levels", default="100,200,400,600")
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--rate", type=int, default=100)
    parser.add_argument("--sample", type=int, default=10)
    parser.add_argument("--rtp-low", type=int, default=20000)
    parser.add_argument("--capture", choices=["pcap", "socket"], default="pcap")
    parser.add_argument("--stream-buffer", default="8s", help="[media] streamBuffer for the run")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    parser.add_argument("--codec", choices=load_codecs.NAMES, default="pcmu", help="what both streams of every call send")
    parser.add_argument("--srtp", choices=sorted(SRTP_KEY_BYTES), help="protect every stream with SRTP in this suite (SDES key in the SDP)")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="siprecd-load-"))
    try:
        rtpload = build_rtpload(tmp, srtp=bool(args.srtp))
        clip = media.build_clips(tmp / "clips", seconds=60)["caller"]
        codec = load_codecs.make(args.codec, clip, tmp / "codec")
        print(f"streamBuffer {args.stream_buffer}, capture {args.capture}, {args.rate} calls/s, calls held {args.seconds} s or longer"
              + (f", SRTP {args.srtp}" if args.srtp else ""))
        print(f"| mode | calls | pass | siprecd CPU (cores) | RSS MB | RSS/call KB | INVITE→200 sipp p50/p99/max ms | on the wire p50/p99/max ms | "
              f"BYE→READY p50/p99/max ms | lost/late/short/ring-full/pcap drops | bit-exact sample | sender |")
        print("|---|---:|---|---:|---:|---:|---|---|---|---|---|---|")
        for level in [int(x) for x in args.levels.split(",")]:
            r = run_level(args.binary, level, args, tmp / f"{args.mode}-{level}", codec, rtpload)
            print(f"| {r['mode']} {r['codec']} ({r.get('sample_rate', '?')} Hz) | {level} | {'yes' if r['passed'] else 'NO'} | {r['cores']:.2f} | {r['rss_mb']:.0f} | "
                  f"{r['rss_per_call_kb']:.0f} | {r['invite_ms'][0]:.0f}/{r['invite_ms'][1]:.0f}/{r['invite_ms'][2]:.0f} | "
                  f"{r['invite_wire_ms'][0]:.1f}/{r['invite_wire_ms'][1]:.1f}/{r['invite_wire_ms'][2]:.1f} | "
                  f"{r['bye_ready_ms'][0]:.0f}/{r['bye_ready_ms'][1]:.0f}/{r['bye_ready_ms'][2]:.0f} | "
                  f"{r['lost']}/{r['late']}/{r['packets_short']}/{r['ring_full']}/{r['pcap_drops']} "
                  f"(missing streams {r['missing_streams']}, retransmitted INVITEs {r['retransmissions']}, ended {r['ended']}/{r['answered']}) | "
                  f"{r['bit_exact'][0]}/{r['bit_exact'][1]} | {r['sender'].replace(chr(9), ' ')} |", flush=True)
            print(f"  resident KB per call by mapping: {r['rss_per_call_by_kind']}; siprecd's own INVITE->200 OK: "
                  f"{100 * r['answer_within_10ms']:.1f} % within 10 ms, p99 <= {r['answer_p99_bucket']} s", file=sys.stderr, flush=True)
            if r.get("own_cores"):
                print(f"  own CPU of the same audio: lame {1000 * r['lame_cpu_per_second']:.2f} ms per call-second, library decode "
                      f"{r['decode_ns'] / 1000:.1f} µs a packet: {r['own_cores']:.2f} cores for {level} calls; siprecd / own = "
                      f"{r['cores'] / r['own_cores']:.2f}", file=sys.stderr, flush=True)
            if not r["passed"]:
                break
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print(f"work directory: {tmp}", file=sys.stderr)


if __name__ == "__main__":
    main()
