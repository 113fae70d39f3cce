"""One recorded SIPREC call with both G.711 streams (sipp for SIP, rtp_sender for RTP), checked bit for bit:
what several suites need before they test what is theirs."""

from __future__ import annotations

import threading
from pathlib import Path

import media
from checks import assert_channel_exact
from rtp_sender import RtpStream, send_concurrently
from sipp_call import SippCall


def record_call(daemon, clips, workdir: Path, packets: int, *, tail_ms: int = 800, during=None, caller_options=None,
                transport: str = "udp"):
    """Places the call, sends `packets` 20 ms packets each way, hangs up `tail_ms` after the audio, and returns
    (recording, master WAV, caller stream, callee stream, what `during(recording_id, (port1, port2))`
    returned while the call was being recorded). `caller_options` go to the caller's RtpStream (pauses,
    new_source_at). Both channels of the master are checked against what was sent."""
    caller_options = caller_options or {}
    pause_ms = sum(caller_options.get("pauses", {}).values())
    sipp = SippCall(daemon.sip_port, transport, workdir / "call", pauses_ms=(packets * 20 + pause_ms + tail_ms, 0, 0)).start()
    try:
        port1, port2 = sipp.wait_ports()
        caller = RtpStream(clips["caller"], port1, packets, **caller_options)
        callee = RtpStream(clips["callee"], port2, packets)
        sender = threading.Thread(target=send_concurrently, args=([caller, callee],), daemon=True)
        sender.start()
        result = None
        if during is not None:
            result = during(daemon.wait_for_state(sipp.call_id, "recording", timeout=10)["recordingId"], (port1, port2))
        sender.join(60)
        sipp.wait()
    finally:
        sipp.kill()
    rec = daemon.wait_for_state(sipp.call_id, "ready")
    wav = media.parse_wav(daemon.download(rec["recordingId"], "wav", workdir / f"{rec['recordingId']}.wav").read_bytes())
    assert_channel_exact(wav, rec, "caller", caller)
    assert_channel_exact(wav, rec, "callee", callee)
    return rec, wav, caller, callee, result


def hang_up_and_check(daemon, dialog, caller, callee, workdir: Path):
    """Ends a raw dialog's call with a BYE and checks both channels of its master bit for bit against what was
    sent. Returns (recording, master WAV)."""
    dialog.request("BYE")
    rec = daemon.wait_for_state(dialog.call_id, "ready")
    wav = media.parse_wav(daemon.download(rec["recordingId"], "wav", workdir / f"{rec['recordingId']}.wav").read_bytes())
    assert_channel_exact(wav, rec, "caller", caller)
    assert_channel_exact(wav, rec, "callee", callee)
    return rec, wav
