"""Events reach a real webhook receiver at least once, signed, even when it was down and siprecd restarted."""

from __future__ import annotations

import hashlib
import hmac
import json
import subprocess
import sys
import time
from pathlib import Path

import netutil
from conftest import Daemon
from rtp_sender import RtpStream, send_concurrently
from sipp_call import SippCall

PACKETS = 50
SECRET = "s3cret"
PATHS = {"RECORDINGSTARTED": "/hooks/recordingStarted", "RECORDINGREADY": "/hooks/recordingReady"}


def call(daemon, clips, workdir: Path) -> str:
    sipp = SippCall(daemon.sip_port, "udp", workdir, mode="simple", pauses_ms=(PACKETS * 20 + 1500, 0, 0)).start()
    try:
        port1, port2 = sipp.wait_ports()
        send_concurrently([RtpStream(clips["caller"], port1, PACKETS), RtpStream(clips["callee"], port2, PACKETS)])
        sipp.wait(timeout=60)
    finally:
        sipp.kill()
    return daemon.wait_for_state(sipp.call_id, "ready", timeout=30)["recordingId"]


def received(path: Path, alarms: bool = False) -> list[dict]:
    """Event deliveries (or, with alarms=True, alarm deliveries) the receiver logged, in order."""
    if not path.exists():
        return []
    entries = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return [e for e in entries if (e["path"] == "/hooks/alarms") == alarms]


def test_events_survive_a_receiver_outage_and_a_restart(daemon_factory, clips, tmp_path):
    hook_port = netutil.free_port("tcp")
    config = (f'[media]\ncapture = "socket"\n[webhooks]\nbase = "http://127.0.0.1:{hook_port}/hooks"\n'
              f'secret = "{SECRET}"\n')
    first = daemon_factory(config)
    rec1 = call(first, clips, tmp_path / "call1")          # the receiver is down: nothing can be delivered
    first.stop()                                            # siprecd restarts during the outage
    second = Daemon(tmp_path / "second", config)
    second.cmd = [str(first.data_dir) if c == str(second.data_dir) else c for c in second.cmd]
    second.start()
    log = tmp_path / "events.jsonl"
    receiver = subprocess.Popen([sys.executable, str(Path(__file__).with_name("webhook_receiver.py")), str(hook_port), str(log)])
    try:
        rec2 = call(second, clips, tmp_path / "call2")      # the receiver is up now
        deadline = time.monotonic() + 90                    # back-off is at most 60 s
        while time.monotonic() < deadline:
            names = {(json.loads(e["body"])["recordingId"], json.loads(e["body"])["event"]) for e in received(log)}
            if {(rec1, "RECORDINGSTARTED"), (rec1, "RECORDINGREADY"), (rec2, "RECORDINGSTARTED"), (rec2, "RECORDINGREADY")} <= names:
                break
            time.sleep(0.5)
        events = received(log)
        got = [(json.loads(e["body"])["recordingId"], json.loads(e["body"])["event"]) for e in events]
        for rec in (rec1, rec2):
            assert (rec, "RECORDINGSTARTED") in got and (rec, "RECORDINGREADY") in got, \
                f"events for {rec} missing after the outage and restart: {got}"
            assert got.index((rec, "RECORDINGSTARTED")) < got.index((rec, "RECORDINGREADY")), f"out of order: {got}"
        for e in events:
            body = json.loads(e["body"])
            expected = "sha256=" + hmac.new(SECRET.encode(), e["body"].encode(), hashlib.sha256).hexdigest()
            assert e["signature"] == expected, f"bad signature on {body['event']}"
            assert e["eventId"] == body["eventId"], "the event id header and body differ"
            assert e["path"] == PATHS[body["event"]], f"{body['event']} was posted to {e['path']}"
            assert body["calledParty"] == "recorder" and body["domain"] == "srs.example.com", body
            assert body["replyId"].startswith("v1."), body
        ready = [json.loads(e["body"]) for e in events if json.loads(e["body"])["event"] == "RECORDINGREADY"]
        assert all('"recordingsPartsInfo"' in r["meta"] and "callerStreams" in r["meta"] for r in ready), ready
        started = [json.loads(e["body"]) for e in events if json.loads(e["body"])["event"] == "RECORDINGSTARTED"]
        assert all("<recording" in (s["metaData"] or "") for s in started), "RECORDINGSTARTED lacks the metadata"
        # The outage raised eventNotificationError alarms (first failed delivery), delivered once it was up.
        alarms = [json.loads(e["body"]) for e in received(log, alarms=True)]
        failed = [a for a in alarms if a["type"] == "eventNotificationError"]
        assert any(a["event"] == f"RECORDINGSTARTED {started_id}" for a in failed for started_id in
                   [json.loads(e["body"])["eventId"] for e in events if json.loads(e["body"])["recordingId"] == rec1]), alarms
        assert all("Connection refused" in a["error"] for a in failed), failed
        ids = [e["eventId"] for e in events]
        assert len(set(ids)) == len(set((e["eventId"], e["body"]) for e in events)), "an event id was reused for another body"
    finally:
        receiver.terminate()
        receiver.wait(timeout=10)
        second.stop()


def test_live_event_stream_shows_a_call_start_and_end(daemon, clips, tmp_path):
    import http.client
    import threading

    lines: list[str] = []
    connection = http.client.HTTPConnection("127.0.0.1", daemon.api_port, timeout=60)
    connection.request("GET", "/api/v1/events")
    response = connection.getresponse()
    assert response.status == 200 and response.getheader("Content-Type") == "text/event-stream"

    def read() -> None:
        try:
            while True:
                line = response.fp.readline()
                if not line:
                    return
                lines.append(line.decode().rstrip("\n"))
        except OSError:
            return

    threading.Thread(target=read, daemon=True).start()
    rec = call(daemon, clips, tmp_path / "call")
    deadline = time.monotonic() + 15
    events: list[dict] = []
    while time.monotonic() < deadline:
        events = [json.loads(line[6:]) for line in list(lines) if line.startswith("data: ")]
        if [e["event"] for e in events if e["recordingId"] == rec] == ["RECORDINGSTARTED", "RECORDINGREADY"]:
            break
        time.sleep(0.2)
    assert [e["event"] for e in events if e["recordingId"] == rec] == ["RECORDINGSTARTED", "RECORDINGREADY"], lines
    connection.close()
