"""How recordings end without BYE or without media."""

from __future__ import annotations

import threading
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


def sessions_gauge(daemon) -> int:
    text = daemon.api_get("/metrics").body.decode()
    return int(next(line.split()[1] for line in text.splitlines() if line.startswith("siprecd_sessions ")))


def test_a_rest_session_waiting_for_its_start_is_watched_for_rtp(daemon_factory, clips, tmp_path):
    """No recording in progress, so no reassembler: the session's ports are watched instead. While RTP
    flows (longer than rtpTimeout) the session stays; when the SRC goes silent without a BYE it is ended."""
    daemon = daemon_factory('[media]\ncapture = "socket"\nrtpTimeout = "2s"\n[[rules]]\ntrigger = "rest"\n')
    call = SippCall(daemon.sip_port, "udp", tmp_path / "sipp", mode="nobye", pauses_ms=(500, 0, 0)).start()
    try:
        port1, port2 = call.wait_ports()
        streams = [RtpStream(clips["caller"], port1, 250), RtpStream(clips["callee"], port2, 250)]   # 5 s
        started = time.monotonic()
        sender = threading.Thread(target=send_concurrently, args=(streams,), daemon=True)
        sender.start()
        time.sleep(4.0)                      # twice the timeout, with RTP flowing and nothing recorded
        assert sessions_gauge(daemon) == 1, "a REST session with live RTP was ended while waiting for its start"
        sender.join(30)
        silent_since = time.monotonic()
        deadline = silent_since + 15
        while time.monotonic() < deadline and sessions_gauge(daemon) != 0:
            time.sleep(0.2)
        assert sessions_gauge(daemon) == 0, "a silent REST session was never ended"
        assert time.monotonic() - silent_since >= 1.5, "ended before rtpTimeout of silence"
        assert time.monotonic() - started > 6.5
        assert "while no recording was in progress" in daemon.log()
        assert daemon.recordings() == [], "nothing may be recorded without a start"
    finally:
        call.kill()
