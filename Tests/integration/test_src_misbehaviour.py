"""A misbehaving Session Recording Client (issue 7): a storm of INVITE retransmissions makes one session and
one recording; a BYE before the ACK ends the session cleanly; RTP to the ports of a session that has ended
is counted and dropped and records nothing; the next call is recorded bit for bit."""

from __future__ import annotations

import re
import socket
import struct
import time

from calls import record_call
from sipdialog import SDP, Dialog


def metric(daemon, name: str) -> int:
    text = daemon.api_get("/metrics").body.decode()
    match = re.search(rf"^{name} (\d+)$", text, re.M)
    assert match, f"no {name} in /metrics"
    return int(match.group(1))


def test_invite_storm_bye_before_ack_and_rtp_after_the_end(daemon_factory, clips, tmp_path):
    daemon = daemon_factory('[media]\ncapture = "socket"\n')
    absorbed_before = metric(daemon, "siprecd_sip_retransmissions_absorbed_total")

    # 200 copies of one INVITE within a few milliseconds: one session, every copy answered alike.
    storm = Dialog(daemon.sip_port)
    invite = storm.build("INVITE", SDP, "application/sdp")
    for _ in range(200):
        storm.sock.sendto(invite, ("127.0.0.1", daemon.sip_port))
    answers, deadline = [], time.monotonic() + 10
    storm.sock.settimeout(0.5)
    while time.monotonic() < deadline and len([a for a in answers if a.startswith("SIP/2.0 200")]) < 1:
        try:
            answers.append(storm.sock.recv(65535).decode(errors="replace"))
        except socket.timeout:
            pass
    time.sleep(1.0)
    while True:
        try:
            answers.append(storm.sock.recv(65535).decode(errors="replace"))
        except socket.timeout:
            break
    oks = [a for a in answers if a.startswith("SIP/2.0 200")]
    assert oks and len({re.search(r"^m=audio (\d+)", a, re.M).group(1) for a in oks}) == 1, "retransmissions got different answers"
    storm.to_tag = re.search(r"^To:.*;tag=([^;\r\n]+)", oks[0], re.M | re.I).group(1)
    recordings = [r for r in daemon.recordings() if r["sipRecCallId"] == storm.call_id]
    assert len(recordings) == 1, f"{len(recordings)} recordings for one INVITE sent 200 times"
    assert metric(daemon, "siprecd_sip_retransmissions_absorbed_total") - absorbed_before >= 150
    assert metric(daemon, "siprecd_sessions") == 1

    # BYE before ACK: answered, the session ends, its recording is closed (no RTP came: failed, with why).
    storm.sock.settimeout(5)
    storm.request("BYE")
    rec = daemon.wait_for_state(storm.call_id, "failed")
    assert rec["reason"] == "No RTP media received", rec
    ports = [int(p) for p in re.findall(r"^m=audio (\d+)", oks[0], re.M)]
    deadline = time.monotonic() + 5
    while metric(daemon, "siprecd_sessions") != 0 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert metric(daemon, "siprecd_sessions") == 0

    # RTP to the ended session's ports: dropped (no socket or no stream), nothing recorded, siprecd fine.
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for seq in range(50):
        packet = struct.pack("!BBHII", 0x80, 0, seq, seq * 160, 0x5EED) + bytes([0xFF]) * 160
        for port in ports:
            sock.sendto(packet, ("127.0.0.1", port))
    sock.close()
    time.sleep(0.5)
    assert daemon.api_json(f"/api/v1/recordings/{rec['recordingId']}")["state"] == "failed"
    assert len([r for r in daemon.recordings() if r["sipRecCallId"] == storm.call_id]) == 1

    # And the next call is recorded exactly.
    record_call(daemon, clips, tmp_path, 150)
    assert daemon.alive()

    # The answer-latency histogram counts each session once, however often its INVITE was sent.
    text = daemon.api_get("/metrics").body.decode()
    buckets = [(le, int(n)) for le, n in re.findall(r'^siprecd_sip_invite_answer_seconds_bucket\{le="([^"]+)"\} (\d+)$', text, re.M)]
    assert buckets[-1][0] == "+Inf" and len(buckets) == 12, buckets
    assert [n for _, n in buckets] == sorted(n for _, n in buckets), "buckets are cumulative"
    assert buckets[-1][1] == metric(daemon, "siprecd_sip_invite_answer_seconds_count") == 2
    assert float(re.search(r"^siprecd_sip_invite_answer_seconds_sum ([0-9.]+)$", text, re.M).group(1)) > 0
