"""trigger = newCall (reference 001): siprecd sends 100 Trying, asks the application at {base}/newCall,
and answers the INVITE by its decision: true records, false gets the configured final response, a
timeout or an error applies the configured default and raises apiRequestError."""

from __future__ import annotations

import hashlib
import hmac
import json
import subprocess
import sys
import time
from pathlib import Path

import netutil
from sipp_call import SippCall
from waiting import wait_for

SECRET = "newcall-secret"


def app(tmp_path: Path):
    port = netutil.free_port("tcp")
    log = tmp_path / "app.jsonl"
    proc = subprocess.Popen([sys.executable, str(Path(__file__).with_name("decision_server.py")), str(port), str(log)])
    return port, log, proc


def posts(log: Path, suffix: str) -> list[dict]:
    if not log.exists():
        return []
    entries = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    return [e for e in entries if e["path"].endswith(suffix)]


def config(port: int, default: str = "true") -> str:
    return (f'[media]\ncapture = "socket"\n[webhooks]\nbase = "http://127.0.0.1:{port}/app"\nsecret = "{SECRET}"\n'
            f'newCallTimeout = "1s"\nnewCallDefault = {default}\nnewCallReject = 603\n'
            '[[rules]]\ntrigger = "newCall"\ncallKey = "header:X-ConversationId"\n')



def test_newcall_true_records_and_false_declines(daemon_factory, tmp_path):
    port, log, proc = app(tmp_path)
    try:
        time.sleep(0.3)
        daemon = daemon_factory(config(port))
        yes = SippCall(daemon.sip_port, "udp", tmp_path / "yes", service="yes", conversation_id="conv-yes",
                       pauses_ms=(500, 0, 0)).start()
        yes.wait(timeout=30)
        rec = daemon.wait_for_state(yes.call_id, "failed")            # answered, recorded (no RTP was sent)
        [ask] = [json.loads(p["body"]) for p in posts(log, "/newCall") if json.loads(p["body"])["calledParty"] == "yes"]
        assert ask["recordingId"] == rec["recordingId"] and ask["sipRecCallId"] == yes.call_id, ask
        assert ask["domain"] == "srs.example.com" and ask["callKey"] == "conv-yes" and "<recording" in ask["metaData"], ask
        entry = next(p for p in posts(log, "/newCall") if json.loads(p["body"])["calledParty"] == "yes")
        assert entry["signature"] == "sha256=" + hmac.new(SECRET.encode(), entry["body"].encode(), hashlib.sha256).hexdigest()
        assert rec["trigger"] == "newCall"

        no = SippCall(daemon.sip_port, "udp", tmp_path / "no", service="no", pauses_ms=(500, 0, 0)).start()
        try:
            no.proc.wait(30)
        finally:
            no.kill()
        finals = no.final_responses("INVITE")
        assert finals and finals[0].start_line.startswith("SIP/2.0 603"), [m.start_line for m in no.messages()]
        provisional = [m for m in no.messages() if m.direction == "received" and m.start_line.startswith("SIP/2.0 100")]
        assert provisional and provisional[0].wall_time <= finals[0].wall_time, "no 100 Trying before the decision"
        assert daemon.find_recording(no.call_id) is None, "a declined call was recorded"
        # The application answered both times: no apiRequestError (the yes call's recordingFailed is expected).
        def alarms():
            return [json.loads(p["body"]) for p in posts(log, "/alarms")]
        wait_for(lambda: any(a["type"] == "recordingFailed" and a["recordingId"] == rec["recordingId"] for a in alarms()))
        assert not [a for a in alarms() if a["type"] == "apiRequestError"], alarms()
    finally:
        proc.terminate()


def test_newcall_timeout_and_error_use_the_default_and_raise_api_request_error(daemon_factory, tmp_path):
    port, log, proc = app(tmp_path)
    try:
        time.sleep(0.3)
        daemon = daemon_factory(config(port, default="true"))
        slow = SippCall(daemon.sip_port, "udp", tmp_path / "slow", service="slow", pauses_ms=(500, 0, 0)).start()
        slow.wait(timeout=30)
        invite = slow.sent_requests("INVITE")[0]
        [ok] = slow.final_responses("INVITE")
        waited = ok.wall_time - invite.wall_time
        assert 0.9 <= waited <= 4.0, f"the 200 OK came {waited:.2f} s after the INVITE; the timeout is 1 s"
        daemon.wait_for_state(slow.call_id, "failed")                 # default true: recorded
        broken = SippCall(daemon.sip_port, "udp", tmp_path / "broken", service="broken", pauses_ms=(500, 0, 0)).start()
        broken.wait(timeout=30)
        daemon.wait_for_state(broken.call_id, "failed")
        alarms = wait_for(lambda: len(posts(log, "/alarms")) >= 2 and [json.loads(p["body"]) for p in posts(log, "/alarms")])
        by_code = {a["statusCode"]: a for a in alarms if a["type"] == "apiRequestError"}
        assert set(by_code) == {None, 500}, alarms
        for alarm in by_code.values():
            assert alarm["method"] == "POST" and alarm["requestUri"] == f"http://127.0.0.1:{port}/app/newCall", alarm
        assert "timed out" in by_code[None]["statusMessage"] and by_code[500]["statusMessage"] == "HTTP 500", alarms
    finally:
        proc.terminate()


def test_newcall_default_false_declines_when_the_application_is_down(daemon_factory, tmp_path):
    daemon = daemon_factory(config(netutil.free_port("tcp"), default="false"))
    call = SippCall(daemon.sip_port, "udp", tmp_path / "down", service="anyone", pauses_ms=(500, 0, 0)).start()
    try:
        call.proc.wait(30)
    finally:
        call.kill()
    finals = call.final_responses("INVITE")
    assert finals and finals[0].start_line.startswith("SIP/2.0 603"), [m.start_line for m in call.messages()]
    assert daemon.find_recording(call.call_id) is None
