"""Runtime control (references 002 and 004): pause/resume, per-direction modes with their silence in the
master, two racing direction requests settling into one update, the events a real receiver gets, and the
errors (unknown id, wrong state, impossible transition) — never silence."""

from __future__ import annotations

import threading
import time

import media
from hooks import Hooks
from checks import assert_silenced_only_in
from rtp_sender import RtpStream, send_concurrently
from sipp_call import SippCall

PACKETS = 400   # 8 s each way


def bodies(hooks: Hooks, rec_id: str | None = None) -> list[dict]:
    return [b for b in hooks.bodies() if rec_id is None or b.get("recordingId") == rec_id]


def test_pause_resume_and_directions_keep_the_timeline(daemon_factory, clips, tmp_path):
    hooks = Hooks(tmp_path)
    daemon = daemon_factory(f'[media]\ncapture = "socket"\n[webhooks]\nbase = "{hooks.url()}"\n')
    sipp = SippCall(daemon.sip_port, "udp", tmp_path / "call", pauses_ms=(PACKETS * 20 + 1500, 0, 0)).start()
    try:
        port1, port2 = sipp.wait_ports()
        caller, callee = RtpStream(clips["caller"], port1, PACKETS), RtpStream(clips["callee"], port2, PACKETS)
        sender = threading.Thread(target=send_concurrently, args=([caller, callee],), daemon=True)
        sender.start()
        rec_id = daemon.wait_for_state(sipp.call_id, "recording", timeout=10)["recordingId"]
        base = f"/api/v1/recordings/{rec_id}"

        def post(action, body=None, status=200):
            r = daemon.api_post(f"{base}/{action}", body)
            assert r.status == status, (action, body, r.status, r.body)
            return r.json()

        time.sleep(1.0)
        ack = post("pause", {"requestedBy": "supervisor-7"})
        assert ack["result"] == "ack" and ack["state"] == "paused" and ack["recordingState"] == "Paused", ack
        assert post("pause", status=409)["error"].endswith("already paused")
        assert daemon.api_json(base)["indicator"] == "Paused"
        time.sleep(1.0)
        assert post("resume")["recordingState"] == "On"
        time.sleep(1.0)
        # Two direction requests in flight at once: one consistent final state, one update.
        answers = []
        racers = [threading.Thread(target=lambda b=b: answers.append(daemon.api_post(f"{base}/directions", b)))
                  for b in ({"inbound": "inactive"}, {"outbound": "inactive", "inbound": "nochange"})]
        for t in racers:
            t.start()
        for t in racers:
            t.join(10)
        assert sorted(a.status for a in answers) == [200, 200], [a.body for a in answers]
        time.sleep(1.0)
        state = daemon.api_json(base)
        assert state["directions"] == {"inbound": "inactive", "outbound": "inactive"}, state
        assert state["indicator"] == "Paused", state        # nothing is captured: both directions muted
        assert post("directions", {"inbound": "active"})["inbound"] == "active"
        time.sleep(1.0)
        assert post("directions", {"outbound": "none"})["outbound"] == "none"
        impossible = post("directions", {"outbound": "active"}, status=409)
        assert "no longer recorded" in impossible["error"], impossible
        time.sleep(1.0)
        ended = post("directions", {"inbound": "none"})          # both none: the recording ends
        assert ended["state"] == "ready" and ended["recordingState"] == "Off", ended
        assert post("pause", status=409)["state"] == "ready"
        sender.join(60)
        sipp.wait(timeout=60)
    finally:
        sipp.kill()
    rec = daemon.wait_for_state(rec_id, "ready")
    [pause] = [p for p in rec["pauses"] if p["reason"] == "paused"]
    assert pause["by"] == "supervisor-7", pause
    assert 5600 <= pause["toSample"] - pause["fromSample"] <= 20000, pause   # 1 s asked (plus the requests' flight)
    spans = {d: [(s["fromSample"], s["toSample"]) for s in rec["directionSpans"] if s["direction"] == d]
             for d in ("inbound", "outbound")}
    # inbound: inactive, then none at the very end; outbound: inactive, then none.
    modes = {d: [s["mode"] for s in rec["directionSpans"] if s["direction"] == d] for d in ("inbound", "outbound")}
    assert modes == {"inbound": ["inactive", "none"], "outbound": ["inactive", "none"]}, rec["directionSpans"]
    wav = media.parse_wav(daemon.download(rec_id, "wav", tmp_path / "master.wav").read_bytes())
    assert len(wav.samples) // 8 == rec["durationMs"]
    paused = [(pause["fromSample"], pause["toSample"])]
    muted_in = assert_silenced_only_in(wav, rec, "caller", caller, paused + spans["inbound"])
    muted_out = assert_silenced_only_in(wav, rec, "callee", callee, paused + spans["outbound"])
    assert muted_in >= 80 and muted_out >= 120, (muted_in, muted_out)   # ≈ 2 s and 3 s of packets silenced

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not any(b.get("event") == "RECORDINGREADY" for b in bodies(hooks, rec_id)):
        time.sleep(0.3)
    hooks.stop()
    events = [b for b in bodies(hooks, rec_id) if "type" not in b]   # alarms carry "type"
    names = [b["event"] for b in events]
    assert names[0] == "RECORDINGSTARTED" and names[-1] == "RECORDINGREADY", names
    assert names.index("RECORDINGPAUSED") < names.index("RECORDINGRESUMED"), names
    updates = [b for b in events if b["event"] == "RECORDINGUPDATED"]
    assert [(u["inbound"], u["outbound"]) for u in updates] == [
        ("inactive", "inactive"), ("active", "inactive"), ("active", "none"), ("none", "none")], updates
    [failed] = [b for b in events if b["event"] == "RECORDINGUPDATEFAILED"]
    assert "no longer recorded" in failed["reason"], failed
    paused_event = next(b for b in events if b["event"] == "RECORDINGPAUSED")
    assert paused_event["by"] == "supervisor-7" and paused_event["recordingState"] == "Paused", paused_event
    assert paused_event["fileName"] == f"{rec_id}.mp3" and paused_event["replyId"].startswith("v1."), paused_event
    alarms = [b for b in bodies(hooks) if b.get("type") == "updateRecordingError"]
    assert alarms and alarms[0]["recordingId"] == rec_id, alarms


def test_stop_and_cancel_by_id_and_by_call_key(daemon_factory, clips, tmp_path):
    daemon = daemon_factory('[media]\ncapture = "socket"\n[[rules]]\ncallKey = "header:X-ConversationId"\n')
    calls = [SippCall(daemon.sip_port, "udp", tmp_path / f"c{i}", pauses_ms=(60_000, 0, 0), conversation_id=key).start()
             for i, key in enumerate(("conv-a", "conv-b", "conv-b"))]
    try:
        for call in calls:
            call.wait_ports()
        recs = {c.call_id: daemon.wait_for_state(c.call_id, "recording")["recordingId"] for c in calls}
        assert daemon.api_post("/api/v1/recordings/00000000-0000-0000-0000-000000000000/stop").status == 404
        assert daemon.api_post(f"/api/v1/recordings/{recs[calls[0].call_id]}/rewind").status == 404
        bad = daemon.api_post(f"/api/v1/recordings/{recs[calls[0].call_id]}/directions", {"inbound": "loud"})
        assert bad.status == 400 and bad.json()["field"] == "inbound", bad.body
        stop = daemon.api_post(f"/api/v1/recordings/{recs[calls[0].call_id]}/stop")
        assert stop.status == 200 and stop.json()["state"] == "failed", stop.body      # no RTP was sent
        again = daemon.api_post(f"/api/v1/recordings/{recs[calls[0].call_id]}/stop")
        assert again.status == 409 and again.json()["state"] == "failed", again.body
        by_key = daemon.api_post("/api/v1/calls/conv-b/cancel")
        assert by_key.status == 200, by_key.body
        results = by_key.json()["results"]
        assert sorted(r["recordingId"] for r in results) == sorted(recs[c.call_id] for c in calls[1:])
        assert all(r["result"] == "ack" and r["state"] == "cancelled" for r in results), results
        for r in results:
            rec = daemon.api_json(f"/api/v1/recordings/{r['recordingId']}")
            assert rec["reason"] == "cancelCommand" and rec["files"] == {"wav": None, "mp3": None}, rec
        assert list((daemon.data_dir / "recordings").rglob(f"{results[0]['recordingId']}*")) == []
        assert daemon.api_post("/api/v1/calls/conv-b/pause").status == 404
    finally:
        for call in calls:
            call.kill()


def test_cloud_stop_checks_the_reply_id(daemon_factory, tmp_path):
    hooks = Hooks(tmp_path)
    daemon = daemon_factory(f'[media]\ncapture = "socket"\n[webhooks]\nbase = "{hooks.url()}"\nsecret = "k"\n')
    calls = [SippCall(daemon.sip_port, "udp", tmp_path / f"c{i}", pauses_ms=(60_000, 0, 0)).start() for i in range(2)]
    try:
        for call in calls:
            call.wait_ports()
        a, b = (daemon.wait_for_state(c.call_id, "recording")["recordingId"] for c in calls)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and len([e for e in bodies(hooks) if e.get("event") == "RECORDINGSTARTED"]) < 2:
            time.sleep(0.2)
        reply = {e["recordingId"]: e["replyId"] for e in bodies(hooks) if e.get("event") == "RECORDINGSTARTED"}
        wrong = daemon.api_post("/srs.example.com/stoprecording",
                                {"method": "STOPRECORDING", "recordingId": a, "replyId": reply[b]})
        assert wrong.status == 400 and wrong.json() == {"success": False, "error": "recordingId does not match eventId"}
        assert daemon.api_json(f"/api/v1/recordings/{a}")["state"] == "recording"
        other_domain = daemon.api_post("/other.example/cancelrecording",
                                       {"method": "CANCELRECORDING", "recordingId": a, "replyId": reply[a]})
        assert other_domain.status == 400, other_domain.body       # the token is bound to its tenant
        ok = daemon.api_post("/srs.example.com/stoprecording", {"method": "STOPRECORDING", "recordingId": a, "replyId": reply[a]})
        assert ok.status == 200 and ok.json() == {"success": True}, ok.body
        assert daemon.api_json(f"/api/v1/recordings/{a}")["state"] in ("ready", "failed")
        assert daemon.api_request("OPTIONS", "/srs.example.com/stoprecording").status == 200
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and len([x for x in bodies(hooks) if x.get("type", "").endswith("RecordingError")]) < 2:
            time.sleep(0.2)
        alarms = [x for x in bodies(hooks) if x.get("type") in ("stopRecordingError", "cancelRecordingError")]
        assert sorted(x["type"] for x in alarms) == ["cancelRecordingError", "stopRecordingError"], alarms
        assert all(x["error"] == "recordingId does not match eventId" and a in x["event"] for x in alarms), alarms
    finally:
        hooks.stop()
        for call in calls:
            call.kill()
