"""`[media] mp3 = false`: the lossless master only (the capacity benchmark's second mode). The master is bit
for bit what was sent, no MP3 is written, and asking for one says why."""

from __future__ import annotations

from calls import record_call

PACKETS = 200   # 4 s


def test_master_only_recording(daemon_factory, clips, tmp_path):
    daemon = daemon_factory('[media]\ncapture = "socket"\nmp3 = false\nstreamBuffer = "2s"\n')
    rec, _, _, _, _ = record_call(daemon, clips, tmp_path, PACKETS)
    assert not list(daemon.data_dir.rglob("*.mp3")), "an MP3 was written with mp3 = false"
    assert not list(daemon.data_dir.rglob("*.starts")), "a stream-start journal was left behind"
    mp3 = daemon.api_get(f"/api/v1/recordings/{rec['recordingId']}/audio?format=mp3")
    assert mp3.status == 410 and "mp3 = false" in mp3.json()["error"], mp3.body
