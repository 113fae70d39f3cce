"""MERGERECORDINGS (reference 001): recordings placed by their startTime on one timeline, in any order,
mixed to stereo; inside a conference segment only the recording that started first is heard. Checked
sample by sample in a lossless merge; refused while a recording is in progress; bad input gives a reason."""

from __future__ import annotations

from pathlib import Path

import numpy as np

import media
from hooks import Hooks
from rtp_sender import RtpStream, send_concurrently
from sipp_call import SippCall




def record(daemon, clips, workdir: Path, packets: int) -> dict:
    call = SippCall(daemon.sip_port, "udp", workdir, pauses_ms=(packets * 20 + 600, 0, 0)).start()
    try:
        p1, p2 = call.wait_ports()
        send_concurrently([RtpStream(clips["caller"], p1, packets), RtpStream(clips["callee"], p2, packets)])
        call.wait(timeout=30)
    finally:
        call.kill()
    return daemon.wait_for_state(call.call_id, "ready")


def test_merge_three_recordings_with_a_conference_segment(daemon_factory, clips, tmp_path):
    hooks = Hooks(tmp_path)
    bucket = tmp_path / "archive"
    bucket.mkdir()
    try:
        daemon = daemon_factory(f'[media]\ncapture = "socket"\n[webhooks]\nbase = "{hooks.url()}"\nsecret = "k"\n'
                                f'[buckets.archive]\ntype = "dir"\npath = "{bucket}"\n')
        recs = [record(daemon, clips, tmp_path / f"call{i}", packets) for i, packets in enumerate((150, 100, 100))]
        ids = [r["recordingId"] for r in recs]
        ready = hooks.wait(lambda b: b.get("event") == "RECORDINGREADY" and b["recordingId"] == ids[2])
        t0 = 1_800_000_000_000
        # A at 0 s, B at 1 s (overlapping A), C at 5 s; the conference 2.0–2.5 s: only A there.
        starts = {ids[0]: t0, ids[1]: t0 + 1000, ids[2]: t0 + 5000}
        segment = {"startTime": t0 + 2000, "endTime": t0 + 2500}
        to_merge = [{"recordingId": ids[2], "startTime": starts[ids[2]]},                  # any order
                    {"recordingId": ids[0], "startTime": starts[ids[0]], "conferenceSegments": [segment]},
                    {"recordingId": ids[1], "startTime": starts[ids[1]], "conferenceSegments": [segment]}]
        command = {"method": "MERGERECORDINGS", "destinationBucket": "archive", "replyId": ready["replyId"], "toMerge": to_merge}
        r = daemon.api_post("/srs.example.com/mergerecordings", {**command, "fileName": "merged.wav"})
        assert r.status == 200 and r.json() == {"success": True}, r.body
        merged = hooks.wait(lambda b: b.get("event") == "RECORDINGSMERGED" and b["fileName"] == "merged.wav")
        assert merged["recordingId"] == ids[0] and sorted(merged["mergedRecordings"]) == sorted(ids), merged
        out = media.parse_wav((bucket / "merged.wav").read_bytes()).samples.astype(np.int32)
        expected = np.zeros((0, 2), dtype=np.int32)
        for rec in recs:
            master = media.parse_wav(daemon.download(rec["recordingId"], "wav", tmp_path / f"{rec['recordingId']}.wav").read_bytes()).samples
            offset = (starts[rec["recordingId"]] - t0) * 8
            end = offset + len(master)
            if len(expected) < end:
                expected = np.vstack([expected, np.zeros((end - len(expected), 2), dtype=np.int32)])
            roles = {p["channel"]: p["role"] for p in rec["meta"]["recordingsPartsInfo"]}
            for channel in range(master.shape[1]):
                column = master[:, channel].astype(np.int32).copy()
                if rec["recordingId"] != ids[0]:                       # inside the conference: the first only
                    lo, hi = 2000 * 8 - offset, 2500 * 8 - offset
                    column[max(0, lo):max(0, hi)] = 0
                expected[offset:end, 0 if roles.get(channel) == "caller" else 1] += column
        expected = np.clip(expected, -32768, 32767)
        assert out.shape == expected.shape, (out.shape, expected.shape)
        assert np.array_equal(out, expected), f"first difference at frame {np.nonzero((out != expected).any(axis=1))[0][:1]}"
        overlap = out[8000 + 800:16000, 0]
        assert np.any(overlap != media.parse_wav((tmp_path / f"{ids[0]}.wav").read_bytes()).samples[8000 + 800:16000, 0]), \
            "outside the conference B must be mixed in"
        # The default name, as MP3; bad input fails with a reason; a recording in progress refuses the merge.
        daemon.api_post("/srs.example.com/mergerecordings", command)
        hooks.wait(lambda b: b.get("event") == "RECORDINGSMERGED" and b["fileName"].endswith(f"{ids[0]}-merged.mp3"))
        daemon.api_post("/srs.example.com/mergerecordings", {**command, "destinationBucket": "nowhere"})
        failed = hooks.wait(lambda b: b.get("event") == "MERGERECORDINGSFAILED")
        assert "unknown destinationBucket" in failed["reason"], failed
        for body, field in (({**command, "toMerge": to_merge[:1]}, "toMerge"),
                            ({**command, "toMerge": [to_merge[0], to_merge[0]]}, "toMerge"),
                            ({**command, "toMerge": [{"recordingId": ids[0], "startTime": "soon"}, to_merge[1]]}, "toMerge")):
            bad = daemon.api_post("/srs.example.com/mergerecordings", body)
            assert bad.status == 400 and bad.json()["field"] == field, bad.body
        forged = daemon.api_post("/srs.example.com/mergerecordings", {**command, "replyId": "v1.x"})
        assert forged.status == 400 and forged.json()["error"] == "recordingId does not match eventId"
        live = SippCall(daemon.sip_port, "udp", tmp_path / "live", pauses_ms=(30_000, 0, 0)).start()
        try:
            live.wait_ports()
            rec = daemon.wait_for_state(live.call_id, "recording")
            busy = daemon.api_post("/srs.example.com/mergerecordings",
                                   {**command, "toMerge": to_merge + [{"recordingId": rec["recordingId"], "startTime": t0 + 9000}]})
            assert busy.status == 409 and "in progress" in busy.json()["error"], busy.body
        finally:
            live.kill()
    finally:
        hooks.stop()
