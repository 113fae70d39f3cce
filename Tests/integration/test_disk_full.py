"""A full disk (a small tmpfs mounted on the recordings directory): the affected recording ends `failed`
with what was written still readable, tempStorageError is raised with the details, the SIP session and
siprecd go on, and new sessions are refused by the low-space watermark."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

import media
import netutil
import sipraw
from conftest import Daemon
from rtp_sender import RtpStream, send_concurrently
from sipp_call import SippCall


def test_disk_full_fails_only_the_recording_and_raises_temp_storage_error(clips, tmp_path):
    hook_port = netutil.free_port("tcp")
    log = tmp_path / "hooks.jsonl"
    daemon = Daemon(tmp_path / "siprecd",
                    f'[media]\ncapture = "socket"\n[storage]\nminFree = "64kB"\n'
                    f'[webhooks]\nbase = "http://127.0.0.1:{hook_port}/hooks"\n')
    recordings = daemon.data_dir / "recordings"
    recordings.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=200k", "tmpfs", str(recordings)], capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.strip()}")
    hooks = subprocess.Popen([sys.executable, str(Path(__file__).with_name("webhook_receiver.py")), str(hook_port), str(log)])
    try:
        daemon.start()
        packets = 400                                    # 8 s; the master alone needs 32 kB/s
        call = SippCall(daemon.sip_port, "udp", tmp_path / "call", pauses_ms=(packets * 20 + 1000, 0, 0)).start()
        try:
            p1, p2 = call.wait_ports()
            send_concurrently([RtpStream(clips["caller"], p1, packets), RtpStream(clips["callee"], p2, packets)])
            rec = daemon.wait_for_state(call.call_id, "failed", timeout=30)
            assert "write failed" in rec["reason"] and "writeFailed" in rec["warnings"], rec
            # siprecd and the SIP session go on: OPTIONS is answered, the SRC's BYE gets its 200.
            assert sipraw.udp_request(daemon.sip_port, "OPTIONS")[0] == 200
            call.wait(timeout=30)
        finally:
            call.kill()
        # What was written is still readable: a valid WAV with the call's first seconds.
        wav = media.parse_wav(daemon.download(rec["recordingId"], "wav", tmp_path / "partial.wav").read_bytes())
        assert 8000 * 2 <= len(wav.samples) < packets * 160, len(wav.samples)
        deadline = time.monotonic() + 20
        alarms: list[dict] = []
        while time.monotonic() < deadline and not alarms:
            if log.exists():
                bodies = [json.loads(json.loads(line)["body"]) for line in log.read_text().splitlines() if line.strip()]
                alarms = [b for b in bodies if b.get("type") == "tempStorageError"]
            time.sleep(0.2)
        assert alarms and alarms[0]["recordingId"] == rec["recordingId"], alarms
        assert alarms[0]["domain"] == "srs.example.com" and "No space left" in alarms[0]["errorDetails"], alarms
        # The disk is below minFree now: a new session is refused with the reason, siprecd reports it.
        code = sipraw.udp_request(daemon.sip_port, "OPTIONS")[0]
        assert code == 200
        health = daemon.api_get("/healthz")
        assert health.status == 503 and health.json()["status"] == "lowDisk", health.body
        second = SippCall(daemon.sip_port, "udp", tmp_path / "second", pauses_ms=(500, 0, 0)).start()
        try:
            second.proc.wait(30)
        finally:
            second.kill()
        finals = second.final_responses("INVITE")
        assert finals and finals[0].start_line.startswith("SIP/2.0 503"), [m.start_line for m in second.messages()]
    finally:
        hooks.terminate()
        daemon.stop()
        subprocess.run(["umount", "-l", str(recordings)], capture_output=True)
