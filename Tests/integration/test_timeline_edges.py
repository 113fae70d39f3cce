"""The edges of the timeline (issue 13 §1): media that reached siprecd before the re-INVITE, BYE or REST
request that pauses or ends a recording belongs to it, media that arrived after it does not — whichever of
siprecd's threads gets there first, with both cores busy.

Each call is sent from one thread (rtp_sender.send_lockstep): the last packet of both streams, then, with no
gap, the re-INVITE with a=inactive (or the BYE); so the order on the wire is exact, and every channel of the
master must be bit-exact with what was sent — the last packet before each edge included."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading

import pytest

import media
from checks import assert_channel_exact, part_for, ROLE_CHANNEL
from rtp_sender import RtpStream, send_lockstep
from sipdialog import Dialog, sdp

PAUSE_AT = 40          # the first packet after the pause (the re-INVITE follows packet 39 at once)
PAUSE_MS = 400
PACKETS = 80
CALLS = 20
PARALLEL = 5


@contextlib.contextmanager
def cpu_hog():
    """Both cores busy for the duration (a box under load)."""
    hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(os.cpu_count() or 2)]
    try:
        yield
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()


def capture_config(mode: str) -> str:
    if mode == "pcap" and os.geteuid() != 0:
        pytest.skip("pcap capture on lo needs root (CAP_NET_RAW)")
    return f'[media]\ncapture = "{mode}"\ninterface = "lo"\n'


def one_call(daemon, clips, transport: str, workdir, errors: list) -> None:
    """INVITE, RTP, pause with no gap after the last packet, resume, RTP, BYE with no gap; checks the master."""
    try:
        dialog = Dialog(daemon.sip_port, transport)
        offer = sdp((40000, "0", "sendonly"), (40002, "8", "sendonly"))
        ok, (port1, port2) = dialog.start(offer)
        caller = RtpStream(clips["caller"], port1, PACKETS, pauses={PAUSE_AT: PAUSE_MS})
        callee = RtpStream(clips["callee"], port2, PACKETS, pauses={PAUSE_AT: PAUSE_MS})
        def reinvite(direction: str) -> None:
            dialog.reinvite(sdp((40000, "0", direction), (40002, "8", direction)))

        send_lockstep([caller, callee],
                      after={PAUSE_AT - 1: lambda: reinvite("inactive"), PACKETS - 1: lambda: dialog.request("BYE")},
                      just_before={PAUSE_AT: lambda: reinvite("sendonly")})
        rec = daemon.wait_for_state(dialog.call_id, "ready", timeout=60)
        wav = media.parse_wav(daemon.download(rec["recordingId"], "wav", workdir / f"{rec['recordingId']}.wav").read_bytes())
        assert_channel_exact(wav, rec, "caller", caller)
        assert_channel_exact(wav, rec, "callee", callee)
        # Nothing that arrived while recording was thrown away as "paused", and the pause is on the timeline.
        assert all(r["discardedWhilePaused"] == 0 for r in rec["reception"]), rec["reception"]
        assert len(rec["pauses"]) == 1 and rec["pauses"][0]["reason"] == "inactive", rec["pauses"]
        # The recording ends where the last packet's audio ends (the BYE followed it at once).
        caller_end = part_for(rec, "caller")["startSample"] + caller.span_samples
        assert abs(len(wav.samples) - caller_end) <= 160, (len(wav.samples), caller_end)
        dialog.close()
    except BaseException as exc:  # reported by the test
        errors.append(exc)


@pytest.mark.parametrize("capture", ["socket", "pcap"])
def test_last_packets_before_a_pause_and_a_bye_are_recorded_under_load(daemon_factory, clips, tmp_path, capture):
    """20 calls (UDP and TCP), each with its last packet right before the a=inactive re-INVITE and right
    before the BYE, while a CPU hog runs: every channel bit-exact (before the fix 11 of 12 lost a packet)."""
    daemon = daemon_factory(capture_config(capture))
    errors: list = []
    with cpu_hog():
        for batch in range(CALLS // PARALLEL):
            threads = []
            for i in range(PARALLEL):
                n = batch * PARALLEL + i
                workdir = tmp_path / f"call{n}"
                workdir.mkdir()
                threads.append(threading.Thread(target=one_call, args=(daemon, clips, "tcp" if n % 2 else "udp", workdir, errors)))
            for t in threads:
                t.start()
            for t in threads:
                t.join(120)
    assert not errors, f"{len(errors)} of {CALLS} calls failed; first: {errors[0]!r}"


def test_rest_pause_between_two_packets_cuts_at_packet_boundaries(daemon, clips, tmp_path):
    """A REST pause read between packets 30 and 31 and a resume between packets 55 and 56: packets 31–55
    are silence, every other packet is in the master bit for bit."""
    dialog = Dialog(daemon.sip_port)
    ok, (port1, port2) = dialog.start(sdp((40000, "0", "sendonly"), (40002, "8", "sendonly")))
    rec = daemon.wait_for_state(dialog.call_id, "recording")
    rid = rec["recordingId"]
    caller = RtpStream(clips["caller"], port1, PACKETS)
    callee = RtpStream(clips["callee"], port2, PACKETS)

    def control(action: str) -> None:
        r = daemon.api_post(f"/api/v1/recordings/{rid}/{action}", {"requestedBy": "test"})
        assert r.status == 200, r.body

    send_lockstep([caller, callee], after={30: lambda: control("pause"), 55: lambda: control("resume"),
                                           PACKETS - 1: lambda: dialog.request("BYE")})
    rec = daemon.wait_for_state(dialog.call_id, "ready")
    wav = media.parse_wav(daemon.download(rid, "wav", tmp_path / "rest.wav").read_bytes())
    for role, stream in (("caller", caller), ("callee", callee)):
        start = part_for(rec, role)["startSample"]
        expected = stream.expected_samples()
        expected[31 * 160:56 * 160] = 0
        got = wav.samples[start:start + len(expected), ROLE_CHANNEL[role]]
        diff = media.first_difference(got, expected)
        assert diff is None, f"{role} differs at stream sample {diff} (packet {diff // 160})"
    assert [r["discardedWhilePaused"] for r in rec["reception"]] == [25, 25], rec["reception"]
