"""How recordings end without BYE or without media."""

from __future__ import annotations

import time

import checks
import media
from rtp_sender import RtpStream, send_concurrently
from sipp_call import SippCall


def test_call_without_rtp_fails(daemon, tmp_path):
    call = SippCall(daemon.sip_port, "udp", tmp_path / "sipp", mode="simple",
                    pauses_ms=(2000, 0, 0)).start()
    try:
        call.wait_ports()
        call.wait(timeout=30)
    finally:
        call.kill()
    rec = daemon.wait_for_state(call.call_id, "failed", timeout=30)
    assert rec.get("reason") == "No RTP media received", (
        f"a call without any RTP failed with reason {rec.get('reason')!r}")


def test_rtp_timeout_without_bye_finishes_recording(daemon_factory, clips, tmp_path):
    daemon = daemon_factory('[media]\nrtpTimeout = "2s"\n')
    call = SippCall(daemon.sip_port, "udp", tmp_path / "sipp", mode="nobye",
                    pauses_ms=(1500, 0, 0)).start()
    try:
        port1, port2 = call.wait_ports()
        caller = RtpStream(clips["caller"], port1, 50)  # 1 s, then silence forever
        callee = RtpStream(clips["callee"], port2, 50)
        send_concurrently([caller, callee])
        rtp_end = time.monotonic()
        call.wait(timeout=30)  # sipp ends its side without BYE
    finally:
        call.kill()
    assert not any(m.start_line.startswith("BYE ") for m in call.messages()), "scenario sent a BYE"

    rec = daemon.wait_for_state(call.call_id, "ready", timeout=max(1.0, 10 - (time.monotonic() - rtp_end)))
    assert "rtpTimeout" in (rec.get("warnings") or []), (
        f"recording ended by RTP timeout lacks the rtpTimeout warning: {rec.get('warnings')}")
    wav = media.parse_wav(daemon.download(rec["recordingId"], "wav", tmp_path / "master.wav").read_bytes())
    checks.assert_channel_exact(wav, rec, "caller", caller)
    checks.assert_channel_exact(wav, rec, "callee", callee)
