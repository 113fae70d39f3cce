"""The temporary store (reference 001): a finished recording stays until DELETERECORDING or until
[storage] tempRetention after it ended, when the sweep deletes its files (state expired) and raises
tempRecordingDeleted — also across a restart, since the sweep works from the catalog."""

from __future__ import annotations

import time
from pathlib import Path

from hooks import Hooks
from conftest import Daemon
from rtp_sender import RtpStream, send_concurrently
from sipp_call import SippCall
from waiting import wait_for





def record_call(daemon, clips, workdir: Path, packets: int = 50) -> dict:
    call = SippCall(daemon.sip_port, "udp", workdir, pauses_ms=(packets * 20 + 800, 0, 0)).start()
    try:
        p1, p2 = call.wait_ports()
        send_concurrently([RtpStream(clips["caller"], p1, packets), RtpStream(clips["callee"], p2, packets)])
        call.wait(timeout=30)
    finally:
        call.kill()
    return daemon.wait_for_state(call.call_id, "ready")


def files_of(daemon, rec_id: str) -> list[Path]:
    return list((daemon.data_dir / "recordings").rglob(f"{rec_id}.*"))


def test_expiry_deletes_files_and_raises_temp_recording_deleted_across_a_restart(daemon_factory, clips, tmp_path):
    hooks = Hooks(tmp_path)
    config = f'[media]\ncapture = "socket"\n[storage]\ntempRetention = "3s"\n[webhooks]\nbase = "{hooks.url()}"\n'
    try:
        first = daemon_factory(config)
        rec = record_call(first, clips, tmp_path / "call")
        rec_id = rec["recordingId"]
        assert len(files_of(first, rec_id)) == 2, "the master and the MP3 are in the temporary store"
        first.stop()                                        # the sweep must not depend on in-memory timers
        time.sleep(3.5)
        second = Daemon(tmp_path / "second", config)
        second.cmd = [str(first.data_dir) if c == str(second.data_dir) else c for c in second.cmd]
        second.data_dir = first.data_dir
        second.start()
        try:
            expired = second.wait_for_state(rec_id, "expired", timeout=15)
            assert expired["files"] == {"wav": None, "mp3": None}, expired
            assert files_of(second, rec_id) == [], files_of(second, rec_id)
            assert second.api_get(f"/api/v1/recordings/{rec_id}/audio?format=wav").status == 410
            alarm = wait_for(lambda: next((b for b in hooks.bodies() if b.get("type") == "tempRecordingDeleted"), None))
            assert alarm["event"] == "tempRecordingDeleted" and alarm["recordingId"] == rec_id, alarm
            assert alarm["domain"] == "srs.example.com" and alarm["service"] == "siprec", alarm
            assert alarm["error"] == f"Recording id {rec_id} expired." and alarm["modifiedDate"].endswith("Z"), alarm
        finally:
            second.stop()
    finally:
        hooks.stop()


def test_delete_recording_with_reply_id_and_by_id(daemon_factory, clips, tmp_path):
    hooks = Hooks(tmp_path)
    daemon = daemon_factory(f'[media]\ncapture = "socket"\n[webhooks]\nbase = "{hooks.url()}"\nsecret = "k"\n')
    try:
        first = record_call(daemon, clips, tmp_path / "a")["recordingId"]
        second = record_call(daemon, clips, tmp_path / "b")["recordingId"]
        ready = wait_for(lambda: {b["recordingId"]: b for b in hooks.bodies() if b.get("event") == "RECORDINGREADY"}
                         if len([b for b in hooks.bodies() if b.get("event") == "RECORDINGREADY"]) == 2 else None)
        # The recording itself shows the replyId its events carry (for callers without webhooks).
        assert daemon.api_json(f"/api/v1/recordings/{first}")["replyId"] == ready[first]["replyId"]
        command = {"method": "DELETERECORDING", "recordingId": first}
        wrong = daemon.api_post("/srs.example.com/deleterecording", {**command, "replyId": ready[second]["replyId"]})
        assert wrong.status == 400 and wrong.json()["error"] == "recordingId does not match eventId", wrong.body
        ok = daemon.api_post("/srs.example.com/deleterecording", {**command, "replyId": ready[first]["replyId"]})
        assert ok.status == 200 and ok.json() == {"success": True}, ok.body
        wait_for(lambda: daemon.api_json(f"/api/v1/recordings/{first}")["state"] == "deleted")
        assert files_of(daemon, first) == [] and len(files_of(daemon, second)) == 2
        deleted = wait_for(lambda: next((b for b in hooks.bodies() if b.get("event") == "RECORDINGDELETED"), None))
        assert deleted["recordingId"] == first and deleted["replyId"] == ready[first]["replyId"], deleted
        # The same command under /api/v1: answered at once; the outcome is an event.
        again = daemon.api_post("/api/v1/srs.example.com/deleterecording", {**command, "replyId": ready[first]["replyId"]})
        assert again.status == 200, again.body
        failed = wait_for(lambda: next((b for b in hooks.bodies() if b.get("event") == "DELETERECORDINGFAILED"), None))
        assert failed["recordingId"] == first and "deleted" in failed["reason"], failed
        alarms = wait_for(lambda: [b for b in hooks.bodies() if b.get("type") == "deleteRecordingError"]
                          if len([b for b in hooks.bodies() if b.get("type") == "deleteRecordingError"]) >= 2 else None)
        assert {a["error"] for a in alarms} >= {"recordingId does not match eventId"}, alarms
        assert daemon.api_request("OPTIONS", "/srs.example.com/deleterecording").status == 200
        # The same without a replyId for an authenticated operator, by id.
        by_id = daemon.api_post(f"/api/v1/recordings/{second}/delete")
        assert by_id.status == 200 and by_id.json()["state"] == "deleted", by_id.body
        assert files_of(daemon, second) == []
        assert daemon.api_post(f"/api/v1/recordings/{second}/delete").status == 409
        assert daemon.api_post("/api/v1/recordings/00000000-0000-0000-0000-000000000000/delete").status == 404
        # A recording in progress is refused.
        live = SippCall(daemon.sip_port, "udp", tmp_path / "live", pauses_ms=(30_000, 0, 0)).start()
        try:
            live.wait_ports()
            rec = daemon.wait_for_state(live.call_id, "recording")
            r = daemon.api_post(f"/api/v1/recordings/{rec['recordingId']}/delete")
            assert r.status == 409 and "in progress" in r.json()["error"], r.body
        finally:
            live.kill()
    finally:
        hooks.stop()


def test_below_min_free_new_sessions_are_refused_and_reported(daemon_factory, tmp_path):
    daemon = daemon_factory('[storage]\nminFree = "1000TB"\n')
    health = daemon.api_get("/healthz")
    assert health.status == 503 and health.json()["status"] == "lowDisk" and health.json()["disk"]["low"] is True, health.body
    metrics = daemon.api_get("/metrics").body.decode()
    assert "siprecd_data_disk_low 1" in metrics
    call = SippCall(daemon.sip_port, "udp", tmp_path / "call", pauses_ms=(500, 0, 0)).start()
    try:
        call.proc.wait(30)
    finally:
        call.kill()
    finals = call.final_responses("INVITE")
    assert finals and finals[0].start_line.startswith("SIP/2.0 503") and "minFree" in finals[0].start_line, \
        [m.start_line for m in call.messages()]
    assert daemon.recordings() == []
    assert "data disk below minFree" in daemon.log()
