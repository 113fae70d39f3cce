"""Conference segments (reference 001): while the metadata shows three or more participants associated
(a third joins by UPDATE, later leaves), RECORDINGREADY and the recording carry a segment with its times
and the joining participant's user part — a raw SIP dialog over UDP with partial metadata updates."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import netutil
from sipdialog import SDP, Dialog, multipart
from rtp_sender import RtpStream, send_concurrently

SESSION = "c2Vzc2lvbi1jb25m"
META_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\r\n<recording xmlns="urn:ietf:params:xml:ns:recording:1">\r\n'


def participant(pid: str, user: str) -> str:
    return (f'<participant participant_id="{pid}"><nameID aor="sip:{user}@example.com"/></participant>\r\n'
            f'<participantsessionassoc participant_id="{pid}" session_id="{SESSION}"><associate-time>2024-01-01T00:00:00Z'
            f'</associate-time></participantsessionassoc>\r\n')


def initial_metadata() -> str:
    return (META_HEAD + '<datamode>complete</datamode>\r\n'
            f'<session session_id="{SESSION}"><start-time>2024-01-01T00:00:00Z</start-time></session>\r\n'
            + participant("cA", "alice") + participant("cB", "bob")
            + f'<stream stream_id="s1" session_id="{SESSION}"><label>1</label></stream>\r\n'
            + f'<stream stream_id="s2" session_id="{SESSION}"><label>2</label></stream>\r\n'
            + '<participantstreamassoc participant_id="cA"><send>s1</send></participantstreamassoc>\r\n'
            + '<participantstreamassoc participant_id="cB"><send>s2</send></participantstreamassoc>\r\n</recording>\r\n')


def carol(leaving: bool) -> str:
    if leaving:
        return (META_HEAD + '<datamode>partial</datamode>\r\n'
                f'<participantsessionassoc participant_id="cC" session_id="{SESSION}">'
                '<disassociate-time>2024-01-01T00:01:00Z</disassociate-time></participantsessionassoc>\r\n</recording>\r\n')
    return META_HEAD + '<datamode>partial</datamode>\r\n' + participant("cC", "carol") + '</recording>\r\n'


def test_a_third_participant_makes_a_conference_segment(daemon_factory, clips, tmp_path):
    hook_port = netutil.free_port("tcp")
    log = tmp_path / "hooks.jsonl"
    hooks = subprocess.Popen([sys.executable, str(Path(__file__).with_name("webhook_receiver.py")), str(hook_port), str(log)])
    try:
        daemon = daemon_factory(f'[media]\ncapture = "socket"\n[webhooks]\nbase = "http://127.0.0.1:{hook_port}/hooks"\n')
        dialog = Dialog(daemon.sip_port)
        ok = dialog.request("INVITE", multipart(SDP, initial_metadata()), "multipart/mixed;boundary=B")
        ports = [int(p) for p in re.findall(r"^m=audio (\d+)", ok, re.M)]
        dialog.request("ACK")
        streams = [RtpStream(clips["caller"], ports[0], 150), RtpStream(clips["callee"], ports[1], 150)]   # 3 s
        sender = threading.Thread(target=send_concurrently, args=(streams,), daemon=True)
        sender.start()
        time.sleep(0.8)
        dialog.request("UPDATE", carol(leaving=False), "application/rs-metadata+xml")
        time.sleep(1.0)
        dialog.request("UPDATE", carol(leaving=True), "application/rs-metadata+xml")
        sender.join(30)
        dialog.request("BYE")
        rec = daemon.wait_for_state(dialog.call_id, "ready")
        [segment] = rec["conferenceSegments"]
        assert segment["aor"] == "carol" and segment["state"] == "stopped", segment
        assert 500 <= segment["endTime"] - segment["startTime"] <= 2500, segment
        deadline = time.monotonic() + 20
        ready = None
        while time.monotonic() < deadline and ready is None:
            if log.exists():
                bodies = [json.loads(json.loads(line)["body"]) for line in log.read_text().splitlines() if line.strip()]
                ready = next((b for b in bodies if b.get("event") == "RECORDINGREADY"), None)
            time.sleep(0.2)
        assert ready and ready["conferenceSegments"] == [segment], ready
        assert [p["aor"] for p in rec["participants"]] == ["sip:alice@example.com", "sip:bob@example.com", "sip:carol@example.com"]
    finally:
        hooks.terminate()
