"""Malformed SIP and RTP must not disturb a call that is being recorded."""

from __future__ import annotations

import random
import socket
import struct
import threading

import checks
import media
import netutil
import sipraw
from rtp_sender import RtpStream, send_concurrently
from sipp_call import SippCall

PACKETS = 200  # 4 s of audio per stream


def garbage_rtp(ssrc: int) -> list[bytes]:
    """20 invalid RTP datagrams (none may be recorded)."""
    rnd = random.Random(7)
    out = []
    for i in range(4):
        out.append(bytes(rnd.getrandbits(8) for _ in range(3)))                      # too short
        out.append(struct.pack("!BBHII", 0x00, 0, i, 1000 * i, ssrc) + b"\xff" * 160)  # version 0
        out.append(struct.pack("!BBHII", 0x8F, 0, i, 1000 * i, ssrc) + b"\x00" * 4)    # CC=15, too short
        out.append(struct.pack("!BBHII", 0xA0, 0, i, 1000 * i, ssrc) + b"\x55" * 9 + b"\xff")  # padding > payload
        out.append(struct.pack("!BBHII", 0x90, 0, i, 1000 * i, ssrc)
                   + struct.pack("!HH", 0xBEDE, 0xFFFF) + b"\x00" * 8)                 # extension overruns
    return out


def test_malformed_input_does_not_disturb_recording(daemon, clips, tmp_path):
    call = SippCall(daemon.sip_port, "udp", tmp_path / "sipp", mode="simple",
                    pauses_ms=(PACKETS * 20 + 2000, 0, 0)).start()
    try:
        port1, port2 = call.wait_ports()
        caller = RtpStream(clips["caller"], port1, PACKETS, source_port=netutil.free_port("udp"))
        callee = RtpStream(clips["callee"], port2, PACKETS, source_port=netutil.free_port("udp"))
        sender_error: list[BaseException] = []

        def send() -> None:
            try:
                send_concurrently([caller, callee])
            except BaseException as exc:
                sender_error.append(exc)

        sender = threading.Thread(target=send, daemon=True)
        sender.start()

        # --- malformed SIP over UDP while the call records ------------------
        answer = sipraw.udp_request(daemon.sip_port, "OPTIONS", body=b"v=0\r\n", content_length=500)
        assert answer is not None and answer[0] == 400, (
            f"request whose Content-Length exceeds the UDP datagram was answered {answer}, expected 400")
        answer = sipraw.udp_request(daemon.sip_port, "OPTIONS",
                                    start_line=f"OPTIONS sip:recorder@127.0.0.1:{daemon.sip_port}")
        assert answer is not None and answer[0] == 400, (
            f"request with a start line lacking 'SIP/2.0' was answered {answer}, expected 400")
        answer = sipraw.udp_request(daemon.sip_port, "FOO",
                                    start_line=f"FOO sip:x@127.0.0.1 SIP/2.0")
        assert answer is not None and answer[0] in (501, 405), (
            f"unknown method FOO was answered {answer}, expected 501 (or 405)")
        answer = sipraw.udp_request(daemon.sip_port, "OPTIONS")
        assert answer is not None and answer[0] == 200, f"OPTIONS during a call answered {answer}, expected 200"
        assert "allow" in answer[1], f"OPTIONS 200 has no Allow header: {answer[1]}"

        # --- TCP: Content-Length larger than what is sent, then close --------
        with socket.create_connection(("127.0.0.1", daemon.sip_port), timeout=5) as tcp:
            local = tcp.getsockname()[1]
            tcp.sendall(sipraw.build_request("OPTIONS", daemon.sip_port, local, transport="TCP",
                                             body=b"0123456789", content_length=5000))

        # --- garbage and empty datagrams to the SIP port ----------------------
        rnd = random.Random(11)
        sipraw.udp_send_raw(daemon.sip_port,
                            [bytes(rnd.getrandbits(8) for _ in range(rnd.randint(1, 1400))) for _ in range(10)]
                            + [b""])

        # --- invalid RTP to both recording ports -------------------------------
        while not caller.sent:  # make sure the real streams are running first
            sender.join(0.01)
        # From the SRC's own source ports: a stranger's datagrams would not even be parsed (foreignSource).
        sipraw.udp_send_raw(port1, garbage_rtp(caller.ssrc), source_port=caller.source_port)
        sipraw.udp_send_raw(port2, garbage_rtp(callee.ssrc), source_port=callee.source_port)

        sender.join(60)
        assert not sender_error, f"RTP sender failed: {sender_error[0]!r}"
        call.wait(timeout=60)
    finally:
        call.kill()

    assert daemon.alive(), "siprecd died after malformed input"
    rec = daemon.wait_for_state(call.call_id, "ready", timeout=30)
    wav = media.parse_wav(daemon.download(rec["recordingId"], "wav", tmp_path / "master.wav").read_bytes())
    checks.assert_channel_exact(wav, rec, "caller", caller)
    checks.assert_channel_exact(wav, rec, "callee", callee)

    answer = sipraw.udp_request(daemon.sip_port, "OPTIONS")
    assert answer is not None and answer[0] == 200, f"OPTIONS after the malformed input answered {answer}"
    metrics = {line.split()[0]: float(line.split()[1]) for line in daemon.api_get("/metrics").body.decode().splitlines()
               if line and not line.startswith("#")}
    assert metrics["siprecd_rtp_dropped_malformed_total"] >= 20, f"malformed RTP not counted: {metrics}"
    assert metrics["siprecd_rtp_packets_total"] >= 2 * PACKETS, f"RTP packets not counted: {metrics}"
    assert metrics["siprecd_sip_bad_requests_total"] >= 2, f"400 answers not counted: {metrics}"
    health = daemon.api_get("/healthz")
    assert health.status == 200 and health.json().get("status") == "ok", (
        f"/healthz after malformed input: HTTP {health.status} {health.body[:200]!r}")
