"""Wall-clock steps (issue 7) as NTP makes them on a board that booted with a stale clock: the test steps
this machine's real clock (clock_settime, CI runs as root with CAP_SYS_TIME) and puts it back exactly
afterwards (the monotonic clock measures how long it was away). sipp times its pauses by the wall clock, so
the SIP side here is a raw dialog paced by the monotonic clock.
- Two hours forward in the middle of a call: the call is recorded bit for bit, its end time is its start
  plus the audio (not the wall-clock gap), no RTP time-out fires, and the expiry sweep (1 hour's retention
  here) does not delete it although by the wall clock it ended two hours ago.
- From there three hours back (an hour behind true time), while the webhook receiver is down: retries
  scheduled before the step are not postponed by it; the events arrive within seconds of the receiver's
  return.
The clock is off for about 15 s in all; relative timers and sleeps are not affected by a step."""

from __future__ import annotations

import contextlib
import re
import threading
import time
from datetime import datetime

import pytest

from calls import hang_up_and_check
from hooks import Hooks
from rtp_sender import RtpStream, send_concurrently
from sipdialog import SDP, Dialog

HOUR = 3_600


class WallClock:
    """Steps CLOCK_REALTIME by offsets from the true time, which `restore` puts back."""

    def __init__(self):
        self.true_wall = time.clock_gettime(time.CLOCK_REALTIME)
        self.true_mono = time.monotonic()

    def step_to(self, offset: float) -> None:
        now = self.true_wall + (time.monotonic() - self.true_mono)
        time.clock_settime(time.CLOCK_REALTIME, now + offset)

    def restore(self) -> None:
        self.step_to(0)


@contextlib.contextmanager
def stepped_clock():
    try:
        probe = time.clock_gettime(time.CLOCK_REALTIME)
        time.clock_settime(time.CLOCK_REALTIME, probe)
    except PermissionError:
        pytest.skip("setting the clock needs CAP_SYS_TIME (CI runs as root)")
    clock = WallClock()
    try:
        yield clock
    finally:
        clock.restore()


def iso_seconds(text: str) -> float:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def call(daemon, clips, workdir, packets: int, during=None):
    """A raw SIPREC dialog with both streams; `during()` runs while the RTP flows. Returns (recording, WAV)."""
    d = Dialog(daemon.sip_port)
    ok = d.request("INVITE", SDP, "application/sdp")
    d.ack(1)
    ports = [int(p) for p in re.findall(r"^m=audio (\d+)", ok, re.M)]
    streams = [RtpStream(clips["caller"], ports[0], packets), RtpStream(clips["callee"], ports[1], packets)]
    sender = threading.Thread(target=send_concurrently, args=(streams,), daemon=True)
    sender.start()
    if during:
        during()
    sender.join(60)
    time.sleep(0.5)
    return hang_up_and_check(daemon, d, streams[0], streams[1], workdir)


@pytest.mark.parametrize("capture", ["socket", "pcap"])
def test_clock_steps_forward_and_back(daemon_factory, clips, tmp_path, capture):
    hooks = Hooks(tmp_path)
    try:
        # pcap: the kernel stamps packets with the wall clock, which siprecd maps to the monotonic one.
        daemon = daemon_factory(f'[media]\ncapture = "{capture}"\ninterface = "lo"\nrtpTimeout = "2s"\n'
                                f'[storage]\ntempRetention = "1h"\n[webhooks]\nbase = "{hooks.url()}"\nsecret = "k"\n')
        with stepped_clock() as clock:
            # 1. Two hours forward, 1.5 s into a 5 s call.
            before = time.time()
            rec, wav = call(daemon, clips, tmp_path, 250, during=lambda: (time.sleep(1.5), clock.step_to(2 * HOUR)))
            assert not rec.get("warnings"), rec
            start, end = iso_seconds(rec["startTime"]), iso_seconds(rec["endTime"])
            assert before - 2 < start < before + 5, f"startTime {rec['startTime']} is not the real start"
            assert round((end - start) * 1000) == rec["durationMs"] == len(wav.samples) // 8, (rec["startTime"], rec["endTime"])
            hooks.wait(lambda b: b.get("event") == "RECORDINGREADY" and b["recordingId"] == rec["recordingId"])
            time.sleep(3)                       # three expiry sweeps see it "two hours old"
            assert daemon.api_json(f"/api/v1/recordings/{rec['recordingId']}")["state"] == "ready"
            assert not [b for b in hooks.bodies() if "tempRecordingDeleted" in str(b)], "the step expired it"

            # 2. Receiver down: the next call's events fail and are rescheduled; then the clock goes back.
            hooks.stop()
            second, _ = call(daemon, clips, tmp_path, 50)
            time.sleep(4)                       # a few failed attempts; the next is scheduled seconds ahead
            clock.step_to(-HOUR)
            hooks.start()
            hooks.wait_listening()
            back = time.monotonic()
            hooks.wait(lambda b: b.get("event") == "RECORDINGREADY" and b["recordingId"] == second["recordingId"],
                       timeout=90)
            assert time.monotonic() - back < 75, "the retry waited for the clock to catch up"
        assert abs(time.time() - (clock.true_wall + time.monotonic() - clock.true_mono)) < 1
    finally:
        hooks.stop()
