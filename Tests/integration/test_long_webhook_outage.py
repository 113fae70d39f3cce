"""`make test-long` (issue 7): the webhook receiver is down for minutes (OUTAGE_SECONDS, default 240) while
calls keep being recorded. Once it is back, every event arrives within the longest back-off (60 s) plus a
margin: none lost, each event id once, each recording's events in order, all signed. Not part of
`make test`: it takes five minutes by design."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import netutil
from calls import record_call

SECRET = "s3cret"
OUTAGE = int(os.environ.get("OUTAGE_SECONDS", "240"))


@pytest.mark.long
def test_every_event_arrives_after_a_receiver_outage_of_minutes(daemon_factory, clips, tmp_path):
    hook_port = netutil.free_port("tcp")
    daemon = daemon_factory(f'[media]\ncapture = "socket"\n[webhooks]\nbase = "http://127.0.0.1:{hook_port}/hooks"\n'
                            f'secret = "{SECRET}"\n')
    recordings = []
    down_since = time.monotonic()
    while time.monotonic() - down_since < OUTAGE:
        rec, *_ = record_call(daemon, clips, tmp_path / f"call{len(recordings)}", 100)
        recordings.append(rec["recordingId"])
        time.sleep(min(30.0, max(0.0, OUTAGE - (time.monotonic() - down_since))))
    pending = int([line for line in daemon.api_get("/metrics").body.decode().splitlines()
                   if line.startswith("siprecd_events_pending ")][0].split()[1])
    assert pending >= 2 * len(recordings), f"only {pending} events waiting after {OUTAGE} s down"

    log = tmp_path / "events.jsonl"
    receiver = subprocess.Popen([sys.executable, str(Path(__file__).with_name("webhook_receiver.py")), str(hook_port), str(log)])
    try:
        up = time.monotonic()
        wanted = {(r, e) for r in recordings for e in ("RECORDINGSTARTED", "RECORDINGREADY")}
        while time.monotonic() - up < 90:
            entries = [json.loads(line) for line in log.read_text().splitlines() if line.strip()] if log.exists() else []
            got = [(json.loads(e["body"]).get("recordingId"), json.loads(e["body"]).get("event")) for e in entries]
            if wanted <= set(got):
                break
            time.sleep(1)
        took = time.monotonic() - up
        assert wanted <= set(got), f"missing after {took:.0f} s: {sorted(wanted - set(got))}"
        assert took < 75, f"delivery took {took:.0f} s after the receiver came back (back-off is at most 60 s)"
        ids = [e["eventId"] for e in entries]
        assert len(ids) == len(set(ids)), "an event was delivered twice"
        for rec in recordings:
            assert got.index((rec, "RECORDINGSTARTED")) < got.index((rec, "RECORDINGREADY")), f"out of order for {rec}"
        for e in entries:
            expected = "sha256=" + hmac.new(SECRET.encode(), e["body"].encode(), hashlib.sha256).hexdigest()
            assert e["signature"] == expected
        print(f"{len(recordings)} calls during a {OUTAGE} s outage; {len(entries)} deliveries {took:.0f} s after it ended")
    finally:
        receiver.terminate()
        receiver.wait(10)
