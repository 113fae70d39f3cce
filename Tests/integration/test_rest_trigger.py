"""trigger = rest (reference 000): a call is answered and its media flows, but nothing is written until
POST /api/v1/sip/sipRecording starts it by call key; stop ends that recording (RECORDINGREADY); a second
start makes a new, related recording. Also: the four stop-matching cases, the held start, validation."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

import media
import netutil
from checks import channel_slice
from rtp_sender import RtpStream, send_concurrently
from sipp_call import SippCall

REST_RULES = """
[media]
capture = "socket"
[[rules]]
destUser = "agent"
trigger = "rest"
role = "agent_assist"
callKey = "header:X-ConversationId"
[[rules]]
destUser = "*"
trigger = "rest"
callKey = "header:X-ConversationId"
"""

DEVICE_API = "/api/v1/sip/sipRecording"


def test_rest_start_stop_start_makes_two_related_recordings(daemon_factory, clips, tmp_path):
    hook_port = netutil.free_port("tcp")
    hook_log = tmp_path / "hooks.jsonl"
    hooks = subprocess.Popen([sys.executable, str(Path(__file__).with_name("webhook_receiver.py")), str(hook_port), str(hook_log)])
    daemon = daemon_factory(REST_RULES + f'[webhooks]\nbase = "http://127.0.0.1:{hook_port}/hooks"\n')
    packets = 300                                           # 6 s of RTP each way
    sipp = SippCall(daemon.sip_port, "udp", tmp_path / "call", pauses_ms=(packets * 20 + 1500, 0, 0),
                    conversation_id="conv-rest-1").start()
    try:
        port1, port2 = sipp.wait_ports()
        caller, callee = RtpStream(clips["caller"], port1, packets), RtpStream(clips["callee"], port2, packets)
        sender = threading.Thread(target=send_concurrently, args=([caller, callee],), daemon=True)
        sender.start()
        time.sleep(1.2)
        # Media flows, but nothing is recorded before the start.
        assert daemon.find_recording(sipp.call_id) is None, "a rest-triggered call was recorded before any start"
        first = daemon.api_post(DEVICE_API, {"command": "start", "callKey": "conv-rest-1", "requestedBy": "supervisor-7",
                                             "headers": [{"name": "X-Case", "value": "4711"}]})
        assert first.status == 200, first.body
        [rec1] = first.json()["recordingIds"]
        time.sleep(1.5)
        stopped = daemon.api_post(DEVICE_API, {"command": "stop", "callKey": "conv-rest-1"})
        assert stopped.status == 200 and stopped.json()["recordingIds"] == [rec1], stopped.body
        assert daemon.api_json(f"/api/v1/recordings/{rec1}")["state"] == "ready"   # stop answers once closed
        time.sleep(1.0)
        second = daemon.api_post(DEVICE_API, {"command": "start", "callKey": "conv-rest-1"})
        assert second.status == 200, second.body
        [rec2] = second.json()["recordingIds"]
        assert rec2 != rec1
        sender.join(60)
        sipp.wait(timeout=60)
    finally:
        sipp.kill()
    r1 = daemon.wait_for_state(rec1, "ready")
    r2 = daemon.wait_for_state(rec2, "ready")
    assert r1["trigger"] == "rest" and r1["callKey"] == "conv-rest-1" and r1["role"] is None
    assert r1["requestedBy"] == "supervisor-7" and r1["headers"] == [{"name": "X-Case", "value": "4711"}], r1
    assert r1["relatedRecordings"] == [] and r2["relatedRecordings"] == [rec1], (r1, r2)
    assert r1["sipRecCallId"] == r2["sipRecCallId"] == sipp.call_id
    assert r1["fileName"] == f"{rec1}.mp3" and r1["indicator"] == "Off"
    iso = daemon.api_json(f"/api/v1/recordings/{rec1}")["startTime"]        # ISO 8601 with milliseconds
    r1_start = round(datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp() * 1000)
    # Each master holds, bit for bit, a run of what was sent, starting after its start and not overlapping.
    spans = {}
    for rec in (r1, r2):
        wav = media.parse_wav(daemon.download(rec["recordingId"], "wav", tmp_path / f"{rec['recordingId']}.wav").read_bytes())
        spans[rec["recordingId"]] = {role: channel_slice(wav, rec, role, stream)
                                    for role, stream in (("caller", caller), ("callee", callee))}
    for role in ("caller", "callee"):
        (a_first, a_last), (b_first, b_last) = spans[rec1][role], spans[rec2][role]
        assert a_first >= 25, f"{role}: recording 1 holds packet {a_first}, sent before the REST start"
        assert 40 <= a_last - a_first <= 120, f"{role}: recording 1 spans packets {a_first}..{a_last} for a 1.5 s start/stop"
        assert b_first > a_last + 20, f"{role}: recording 2 starts at packet {b_first}, recording 1 ended at {a_last}"
        assert b_last >= packets - 5, f"{role}: recording 2 ends at packet {b_last} of {packets}"
    # RECORDINGREADY of the second names the first as its related recording (reference 001's form).
    deadline = time.monotonic() + 20
    ready = None
    while time.monotonic() < deadline and ready is None:
        if hook_log.exists():
            bodies = [json.loads(json.loads(line)["body"]) for line in hook_log.read_text().splitlines() if line.strip()]
            ready = next((b for b in bodies if b.get("event") == "RECORDINGREADY" and b["recordingId"] == rec2), None)
        time.sleep(0.2)
    hooks.terminate()
    assert ready is not None, "no RECORDINGREADY for the second recording"
    assert ready["relatedRecordings"] == [{"recordingId": rec1, "startTime": r1_start, "state": "stopped",
                                           "recordingRole": "parent"}], ready["relatedRecordings"]


def sip_call(daemon, workdir: Path, service: str, key: str) -> SippCall:
    call = SippCall(daemon.sip_port, "udp", workdir, pauses_ms=(60_000, 0, 0), conversation_id=key, service=service).start()
    call.wait_ports()
    return call


def test_every_stop_matching_case_of_the_reference(daemon_factory, tmp_path):
    daemon = daemon_factory(REST_RULES)
    key = "conv-match"
    calls = {name: sip_call(daemon, tmp_path / name, name, key) for name in ("recorder", "agent", "other")}
    try:
        def post(body, status=200):
            r = daemon.api_post(DEVICE_API, {"callKey": key, **body})
            assert r.status == status, (body, r.status, r.body)
            return r.json()

        def start(**extra):
            return post({"command": "start", **extra})["recordingIds"]

        def stop(status=200, **extra):
            return post({"command": "stop", **extra}, status).get("recordingIds", [])

        def owner(rec_id):
            return daemon.api_json(f"/api/v1/recordings/{rec_id}")["calledParty"]

        assert sorted(owner(r) for r in start()) == ["agent", "other", "recorder"]  # start: any role
        # 1. key only → sessions without a role (recorder, other), not the agent_assist one.
        assert sorted(owner(r) for r in stop()) == ["other", "recorder"]
        # 2. key + role → that role only.
        assert [owner(r) for r in stop(role="agent_assist")] == ["agent"]
        # 3. key + callRecordingDestUsername → no role and that user.
        assert sorted(owner(r) for r in start()) == ["agent", "other", "recorder"]
        assert [owner(r) for r in stop(callRecordingDestUsername="other")] == ["other"]
        assert stop(404, callRecordingDestUsername="agent") == []   # agent has a role: not matched
        # 4. key + role + user → both must match.
        assert stop(404, role="agent_assist", callRecordingDestUsername="recorder") == []
        assert [owner(r) for r in stop(role="agent_assist", callRecordingDestUsername="agent")] == ["agent"]
        assert [owner(r) for r in stop()] == ["recorder"]
        # A start with a role records only sessions of that rule.
        assert [owner(r) for r in start(role="agent_assist")] == ["agent"]
        assert stop(404, callKey="no-such-key") == []
        # Seven recordings in all, six stopped; the second ones list the first as related.
        recs = [r for r in daemon.recordings() if r["callKey"] == key]
        assert len(recs) == 7 and sum(r["state"] == "recording" for r in recs) == 1, \
            [(r["calledParty"], r["state"]) for r in recs]
        for name in ("recorder", "other"):
            mine = sorted((r for r in recs if r["calledParty"] == name), key=lambda r: r["startTime"])
            assert mine[1]["relatedRecordings"] == [mine[0]["recordingId"]], mine
    finally:
        for call in calls.values():
            call.kill()


def test_a_start_before_the_call_is_held_and_applied(daemon_factory, tmp_path):
    daemon = daemon_factory(REST_RULES + '[api]\npendingStart = "20s"\n')
    held = daemon.api_post(DEVICE_API, {"command": "start", "callKey": "conv-early"})
    assert held.status == 202 and held.json()["result"] == "pending", held.body
    call = sip_call(daemon, tmp_path / "early", "recorder", "conv-early")
    try:
        rec = daemon.wait_for_state(call.call_id, "recording", timeout=10)
        assert rec["callKey"] == "conv-early" and rec["trigger"] == "rest"
    finally:
        call.kill()


def test_without_a_hold_an_unknown_key_is_404(daemon_factory):
    daemon = daemon_factory(REST_RULES + '[api]\npendingStart = "0s"\n')
    r = daemon.api_post(DEVICE_API, {"command": "start", "callKey": "conv-none"})
    assert r.status == 404 and "conv-none" in r.json()["error"], r.body


def test_each_validation_error_names_its_field(daemon_factory):
    daemon = daemon_factory(REST_RULES)
    cases = [
        ({"callKey": "k"}, "command"),
        ({"command": "record", "callKey": "k"}, "command"),
        ({"command": "start"}, "callKey"),
        ({"command": "start", "callKey": ""}, "callKey"),
        ({"command": "start", "callKey": 7}, "callKey"),
        ({"command": "start", "callKey": "k", "role": "r" * 21}, "role"),
        ({"command": "start", "callKey": "k", "callRecordingDestUsername": "u" * 61}, "callRecordingDestUsername"),
        ({"command": "start", "callKey": "k", "headers": [{"name": f"X-{i}", "value": "v"} for i in range(11)]}, "headers"),
        ({"command": "stop", "callKey": "k", "headers": [{"name": "X-A", "value": "v"}]}, "headers"),
        ({"command": "start", "callKey": "k", "headers": [{"name": "Bad Name", "value": "v"}]}, "headers"),
        ({"command": "start", "callKey": "k", "headers": [{"name": "X-A", "value": "a\r\nInjected: 1"}]}, "headers"),
        ({"command": "start", "callKey": "k", "headers": "X-A: v"}, "headers"),
    ]
    for body, field in cases:
        r = daemon.api_post(DEVICE_API, body)
        assert r.status == 400, (body, r.status, r.body)
        assert r.json()["field"] == field and field in r.json()["error"], (body, r.json())
    # Limits are inclusive: 20, 60 and 10 are fine (404: no such call, and no hold on a stop).
    ok = daemon.api_post(DEVICE_API, {"command": "stop", "callKey": "k", "role": "r" * 20, "callRecordingDestUsername": "u" * 60})
    assert ok.status == 404, ok.body
    for raw in (b"{", b"[]", b"\xff\xfe", b""):
        r = daemon.api_post(DEVICE_API, raw)
        assert r.status == 400 and r.json()["field"] is None, (raw, r.body)
    big = daemon.api_post(DEVICE_API, b'{"command":"start","callKey":"' + b"k" * 70_000 + b'"}')
    assert big.status == 413, big.status
    assert daemon.api_request("GET", DEVICE_API).status == 405


def test_without_a_rest_rule_the_device_api_says_what_to_configure(daemon):
    r = daemon.api_post(DEVICE_API, {"command": "start", "callKey": "conv-x"})
    assert r.status == 404 and 'trigger = "rest"' in r.json()["error"], r.body
