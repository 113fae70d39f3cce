"""Several calls at once: each recording holds exactly its own audio (no cross-talk between calls)."""

from __future__ import annotations

import dataclasses

import checks
import media
from rtp_sender import RtpStream, send_concurrently
from sipp_call import SippCall

PACKETS = 150  # 3 s per stream
CALLS = 3


def rotated(clip: media.Clip, n: int) -> media.Clip:
    shift = n * 4000 + 80
    return dataclasses.replace(clip, encoded=clip.encoded[shift:] + clip.encoded[:shift],
                               decoded=media.np.roll(clip.decoded, -shift))


def test_simultaneous_calls_are_recorded_separately(daemon, clips, tmp_path):
    calls = [SippCall(daemon.sip_port, "udp" if i % 2 == 0 else "tcp", tmp_path / f"sipp{i}", mode="simple",
                      pauses_ms=(PACKETS * 20 + 2000, 0, 0)).start() for i in range(CALLS)]
    streams: list[tuple[RtpStream, RtpStream]] = []
    try:
        for call in calls:
            port1, port2 = call.wait_ports()
            # Each call sends a different stretch of the clips, so a mix-up between calls cannot go unnoticed.
            n = len(streams)
            streams.append((RtpStream(rotated(clips["caller"], n), port1, PACKETS),
                            RtpStream(rotated(clips["callee"], n), port2, PACKETS)))
        send_concurrently([s for pair in streams for s in pair])
        for call in calls:
            call.wait(timeout=60)
    finally:
        for call in calls:
            call.kill()

    ids = set()
    for i, (call, (caller, callee)) in enumerate(zip(calls, streams)):
        rec = daemon.wait_for_state(call.call_id, "ready", timeout=30)
        ids.add(rec["recordingId"])
        wav = media.parse_wav(daemon.download(rec["recordingId"], "wav", tmp_path / f"master{i}.wav").read_bytes())
        checks.assert_channel_exact(wav, rec, "caller", caller)
        checks.assert_channel_exact(wav, rec, "callee", callee)
    assert len(ids) == CALLS, f"{CALLS} calls produced {len(ids)} distinct recordings"
