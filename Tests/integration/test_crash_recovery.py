"""kill -9 during live calls (issue 7): after a restart every interrupted recording is ready with the warning
`interrupted`, its master holds the sent audio bit for bit up to the crash, its MP3 decodes, the catalog is
intact, and the outbox delivers what was queued before the crash plus the recovered recordings' events."""

from __future__ import annotations

import signal
import sqlite3
import threading
import time

import media
from checks import channel_slice
from hooks import Hooks
from rtp_sender import RtpStream, send_concurrently
from sipp_call import SippCall

PACKETS = 400   # 8 s each way (the clips are 8 s); the daemon dies about 4 s in
CALLS = 2


def test_kill_9_during_live_calls_loses_nothing_recorded(daemon_factory, clips, tmp_path):
    hooks = Hooks(tmp_path)
    daemon = daemon_factory(f'[media]\ncapture = "socket"\n[webhooks]\nbase = "{hooks.url()}"\n')
    calls, streams = [], []
    try:
        for n in range(CALLS):
            sipp = SippCall(daemon.sip_port, "udp", tmp_path / f"call{n}", pauses_ms=(PACKETS * 20 + 2000, 0, 0)).start()
            port1, port2 = sipp.wait_ports()
            calls.append(sipp)
            streams.append((RtpStream(clips["caller"], port1, PACKETS), RtpStream(clips["callee"], port2, PACKETS)))
        sender = threading.Thread(target=send_concurrently, args=([s for pair in streams for s in pair],), daemon=True)
        sender.start()
        ids = [daemon.wait_for_state(c.call_id, "recording", timeout=10)["recordingId"] for c in calls]
        hooks.wait(lambda b: b.get("event") == "RECORDINGSTARTED" and b.get("recordingId") == ids[-1])
        time.sleep(3.0)
        daemon.proc.send_signal(signal.SIGKILL)
        daemon.proc.wait(10)
        crashed_at = time.time()
        sender.join(60)
    finally:
        for c in calls:
            c.kill()

    # The catalog opens clean (SQLite's own check) before siprecd touches it again.
    with sqlite3.connect(daemon.data_dir / "catalog.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    daemon.start()
    assert "recovered 2 recording(s) interrupted" in daemon.log(), daemon.log()
    for rec_id, (caller, callee), sipp in zip(ids, streams, calls):
        rec = daemon.api_json(f"/api/v1/recordings/{rec_id}")
        assert rec["state"] == "ready" and "interrupted" in rec["warnings"], rec
        wav = media.parse_wav(daemon.download(rec_id, "wav", tmp_path / f"{rec_id}.wav").read_bytes())
        # Audible up to the crash: each channel is the sent audio, bit for bit, from the first packet on.
        for role, stream in (("caller", caller), ("callee", callee)):
            first, last = channel_slice(wav, rec, role, stream)
            assert first == 0, f"{role} channel of {rec_id} does not start with the first packet"
            kept = [p for p in stream.sent if p.wall_time < crashed_at]
            # What reached the disk: all but the encoder's last step and the reorder window (< 0.5 s).
            assert last + 1 >= len(kept) - 25, f"{role}: {last + 1} of {len(kept)} packets sent before the crash are in the master"
        assert rec["durationMs"] >= 2500, rec
        mp3 = media.decode_mp3(daemon.download(rec_id, "mp3", tmp_path / f"{rec_id}.mp3"), tmp_path / f"{rec_id}.dec.wav")
        assert abs(len(mp3.samples) - len(wav.samples)) <= 8000, (len(mp3.samples), len(wav.samples))

    # The outbox: what was queued before the crash and the recovered recordings' events, each once.
    for rec_id in ids:
        ready = hooks.wait(lambda b, r=rec_id: b.get("event") == "RECORDINGREADY" and b.get("recordingId") == r)
        assert ready["warning"] == "interrupted", ready
    bodies = hooks.bodies()
    event_ids = [b["eventId"] for b in bodies]
    assert len(event_ids) == len(set(event_ids)), "an event was delivered twice"
    for rec_id in ids:
        kinds = [b["event"] for b in bodies if b.get("recordingId") == rec_id]
        assert kinds.count("RECORDINGSTARTED") == 1 and kinds.count("RECORDINGREADY") == 1, kinds
    hooks.stop()
