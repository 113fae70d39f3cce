"""Acceptance test: a full SIPREC call with pause/resume, over UDP and TCP."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

import checks
import media
from conftest import SIPRECD_BIN
from loopcapture import LoopbackCapture
from rtp_sender import RtpStream, send_concurrently
from sipp_call import SippCall

# Timeline (seconds after the 200 OK; sipp pauses are relative to its ACK):
#   0..3   RTP on both streams
#   3..6   no RTP (timestamps advance by exactly 3 s = 24000 samples)
#   4      re-INVITE a=inactive         (pause1 = 4000 ms)
#   5      re-INVITE a=sendonly         (pause2 = 1000 ms)
#   6..9   RTP again
#   10     BYE                          (pause3 = 5000 ms)
PACKETS = 300
PAUSE_AT_PACKET = 150
PAUSE_MS = 3000
SIPP_PAUSES = (4000, 1000, 5000)
TOLERANCE_SAMPLES = 4000  # 500 ms: pause bookkeeping is wall-clock driven


PCAP_CONFIG = '[media]\ncapture = "pcap"\ninterface = "lo"\n'
SOCKET_CONFIG = '[media]\ncapture = "socket"\n'


@pytest.mark.parametrize("transport,capture", [("udp", "socket"), ("tcp", "socket"), ("udp", "pcap")])
def test_siprec_call_is_recorded_exactly(daemon_factory, clips, tmp_path, transport, capture):
    if capture == "pcap" and os.geteuid() != 0:
        pytest.skip("live pcap capture on lo needs root (CI runs as root)")
    daemon = daemon_factory(PCAP_CONFIG if capture == "pcap" else SOCKET_CONFIG)
    if capture == "pcap":
        assert "capturing RTP with libpcap" in daemon.log(), (
            f"siprecd did not start libpcap capture:\n{daemon.log()[-2000:]}")
    else:
        assert "capturing RTP with libpcap" not in daemon.log(), "socket mode was asked for, pcap ran"
    icmp = IcmpWatch(tmp_path / "icmp.pcap") if capture == "pcap" else None
    call = SippCall(daemon.sip_port, transport, tmp_path / "sipp", mode="full",
                    pauses_ms=SIPP_PAUSES).start()
    try:
        port1, port2 = call.wait_ports()
        caller = RtpStream(clips["caller"], port1, PACKETS, pauses={PAUSE_AT_PACKET: PAUSE_MS})
        callee = RtpStream(clips["callee"], port2, PACKETS, pauses={PAUSE_AT_PACKET: PAUSE_MS})
        send_concurrently([caller, callee])
        call.wait(timeout=60)
    finally:
        call.kill()

    if icmp is not None:
        unreachable = icmp.stop()
        if unreachable:
            print("ICMP destination unreachable seen during the call (not for RTP ports):", unreachable)
        rtp_ports = {str(port1), str(port2)}
        to_rtp = [line for line in unreachable if line.split("\t")[-1] in rtp_ports]
        assert not to_rtp, (
            f"ICMP destination unreachable for the RTP ports while pcap captured them (the ports must stay "
            f"bound in pcap mode): {to_rtp}")

    # --- SIP answer -------------------------------------------------------
    invite_ok = call.final_responses("INVITE")
    assert len(invite_ok) == 3, f"expected 200 OKs for INVITE + 2 re-INVITEs, got {len(invite_ok)}"
    checks.assert_siprec_answer(invite_ok[0])

    # --- recording metadata -------------------------------------------------
    rec = daemon.wait_for_state(call.call_id, "ready", timeout=30)
    rec_id = rec["recordingId"]
    rec = daemon.api_json(f"/api/v1/recordings/{rec_id}")
    assert rec["state"] == "ready", f"recording detail says state {rec['state']!r}"
    assert rec["sipRecCallId"] == call.call_id, f"sipRecCallId {rec['sipRecCallId']!r} is not the call's Call-ID"
    assert rec.get("calledParty") == "recorder", f"calledParty {rec.get('calledParty')!r}, R-URI user was 'recorder'"
    assert rec.get("domain") == "srs.example.com", f"domain {rec.get('domain')!r}, R-URI host was srs.example.com"
    assert rec.get("sampleRate") == 8000, f"sampleRate is {rec.get('sampleRate')!r}, expected 8000"
    for field in ("startTime", "endTime"):
        assert isinstance(rec.get(field), str) and "T" in rec[field], f"{field} is not an ISO timestamp: {rec.get(field)!r}"
    roles = {p.get("aor"): p.get("role") for p in rec.get("participants", [])}
    assert roles.get("sip:alice@example.com") == "caller", f"alice is not the caller: {rec.get('participants')}"
    assert roles.get("sip:bob@example.com") == "callee", f"bob is not the callee: {rec.get('participants')}"
    checks.assert_part(rec, "caller", caller, "1")
    checks.assert_part(rec, "callee", callee, "2")
    span_ms = max(caller.span_samples, callee.span_samples) / 8
    assert rec.get("durationMs", 0) >= span_ms, (
        f"recording lasts {rec.get('durationMs')} ms, but {span_ms:.0f} ms of RTP were sent")

    # --- pause bookkeeping (wall-clock driven, hence the tolerance) -----------
    reinvites = call.sent_requests("INVITE")[1:3]
    assert len(reinvites) == 2, "sipp log lacks the two re-INVITEs"
    start_sample = checks.part_for(rec, "caller")["startSample"]
    exp_from = start_sample + (reinvites[0].wall_time - caller.first_wall_time) * 8000
    exp_to = start_sample + (reinvites[1].wall_time - caller.first_wall_time) * 8000
    pauses = rec.get("pauses") or []
    assert any(abs(p["fromSample"] - exp_from) <= TOLERANCE_SAMPLES
               and abs(p["toSample"] - exp_to) <= TOLERANCE_SAMPLES for p in pauses), (
        f"no pause spans samples ~{exp_from:.0f}..{exp_to:.0f} (the a=inactive period, ±500 ms); "
        f"pauses = {pauses}")

    # --- lossless master ------------------------------------------------------
    wav_path = daemon.download(rec_id, "wav", tmp_path / "master.wav")
    wav = media.parse_wav(wav_path.read_bytes())
    assert wav.channels == 2, f"master WAV has {wav.channels} channels, expected 2 (caller, callee)"
    assert wav.sample_rate == 8000, f"master WAV is {wav.sample_rate} Hz, expected 8000"
    checks.assert_channel_exact(wav, rec, "caller", caller)
    checks.assert_channel_exact(wav, rec, "callee", callee)
    assert len(wav.samples) * 1000 / 8000 >= span_ms, "master WAV is shorter than the RTP sent"

    # --- MP3 ------------------------------------------------------------------
    mp3_path = daemon.download(rec_id, "mp3", tmp_path / "recording.mp3")
    checks.assert_mp3_matches(mp3_path, wav, tmp_path, threshold=0.9, swap_limit=0.5)

    # --- unknown id -------------------------------------------------------------
    missing = daemon.api_get("/api/v1/recordings/does-not-exist-0000")
    assert missing.status == 404, f"unknown recording id answered HTTP {missing.status}"
    assert "error" in missing.json(), f"404 body lacks 'error': {missing.body[:200]!r}"

    # --- CLI against the live data dir -----------------------------------------
    out = subprocess.run([str(SIPRECD_BIN), "recordings", "--data-dir", str(daemon.data_dir), "--json"],
                         capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, f"`siprecd recordings --json` failed ({out.returncode}): {out.stderr}"
    listed = json.loads(out.stdout).get("recordings", [])
    assert any(r.get("recordingId") == rec_id and r.get("state") == "ready" for r in listed), (
        f"`siprecd recordings --json` does not list {rec_id} as ready: {out.stdout[:1000]}")
    table = subprocess.run([str(SIPRECD_BIN), "recordings", "--data-dir", str(daemon.data_dir)],
                           capture_output=True, text=True, timeout=30)
    assert table.returncode == 0, f"`siprecd recordings` failed ({table.returncode}): {table.stderr}"
    row = [line for line in table.stdout.splitlines() if rec_id in line]
    assert row and "ready" in row[0], f"`siprecd recordings` table has no ready row for {rec_id}:\n{table.stdout}"


class IcmpWatch(LoopbackCapture):
    """tshark on lo, counting ICMP/ICMPv6 destination-unreachable packets (what an unbound port causes)."""

    def __init__(self, path) -> None:
        super().__init__(path, "icmp[0] == 3 or icmp6[0] == 1")

    def stop(self) -> list[str]:
        super().stop()
        out = subprocess.run(["tshark", "-r", str(self.path), "-T", "fields", "-e", "frame.time_relative",
                              "-e", "ip.src", "-e", "ip.dst", "-e", "icmp.type", "-e", "icmp.code",
                              "-e", "udp.srcport", "-e", "udp.dstport"], capture_output=True, text=True, timeout=30)
        return [line for line in out.stdout.splitlines() if line.strip()]
