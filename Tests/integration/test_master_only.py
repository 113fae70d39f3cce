"""`[media] mp3 = false`: the lossless master only (the capacity benchmark's second mode). The master is bit
for bit what was sent, no MP3 is written, and asking for one says why."""

from __future__ import annotations

import threading

import media
from checks import assert_channel_exact
from rtp_sender import RtpStream, send_concurrently
from sipp_call import SippCall

PACKETS = 200   # 4 s


def test_master_only_recording(daemon_factory, clips, tmp_path):
    daemon = daemon_factory('[media]\ncapture = "socket"\nmp3 = false\nstreamBuffer = "2s"\n')
    sipp = SippCall(daemon.sip_port, "udp", tmp_path / "call", pauses_ms=(PACKETS * 20 + 800, 0, 0)).start()
    try:
        port1, port2 = sipp.wait_ports()
        caller, callee = RtpStream(clips["caller"], port1, PACKETS), RtpStream(clips["callee"], port2, PACKETS)
        sender = threading.Thread(target=send_concurrently, args=([caller, callee],), daemon=True)
        sender.start()
        sender.join(60)
        sipp.wait()
    finally:
        sipp.kill()
    rec = daemon.wait_for_state(sipp.call_id, "ready")
    wav = media.parse_wav(daemon.download(rec["recordingId"], "wav", tmp_path / "master.wav").read_bytes())
    assert_channel_exact(wav, rec, "caller", caller)
    assert_channel_exact(wav, rec, "callee", callee)
    assert not list(daemon.data_dir.rglob("*.mp3")), "an MP3 was written with mp3 = false"
    assert not list(daemon.data_dir.rglob("*.starts")), "a stream-start journal was left behind"
    mp3 = daemon.api_get(f"/api/v1/recordings/{rec['recordingId']}/audio?format=mp3")
    assert mp3.status == 410 and "mp3 = false" in mp3.json()["error"], mp3.body
