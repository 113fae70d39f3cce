"""Sessions whose SRC vanished (issue 13 §6): an SRC that pauses the recording (every stream a=inactive)
and then goes away — its process killed, its TCP connection closed — is ended by the RFC 4028 session
timer, by `[sip] heldSessionTimeout`, or by an in-dialog OPTIONS probe, each with a warning that says why;
what was recorded before is kept bit for bit. An SRC that is still there is left alone."""

from __future__ import annotations

import socket
import time

import pytest

import media
from checks import assert_channel_exact
from rtp_sender import RtpStream, send_lockstep
from sipdialog import Dialog, sdp

OFFER = sdp((40000, "0", "sendonly"), (40002, "8", "sendonly"))
HELD = sdp((40000, "0", "inactive"), (40002, "8", "inactive"))


def record_then_hold(daemon, clips, transport: str, extra: str = ""):
    """INVITE (with `extra` headers), 50 packets each way, then the re-INVITE that holds every stream."""
    dialog = Dialog(daemon.sip_port, transport)
    ok, (port1, port2) = dialog.start(OFFER, extra=extra)
    caller = RtpStream(clips["caller"], port1, 50)
    callee = RtpStream(clips["callee"], port2, 50)
    send_lockstep([caller, callee])
    dialog.reinvite(HELD, extra=extra)
    return dialog, ok, caller, callee


def check_ended(daemon, dialog, caller, callee, warning: str, tmp_path, within: float):
    started = time.monotonic()
    rec = daemon.wait_for_state(dialog.call_id, "ready", timeout=within)
    assert warning in rec["warnings"], rec["warnings"]
    wav = media.parse_wav(daemon.download(rec["recordingId"], "wav", tmp_path / "held.wav").read_bytes())
    assert_channel_exact(wav, rec, "caller", caller)
    assert_channel_exact(wav, rec, "callee", callee)
    return rec, time.monotonic() - started


@pytest.mark.parametrize("transport", ["udp", "tcp"])
def test_a_vanished_src_is_ended_by_its_session_timer(daemon_factory, clips, tmp_path, transport):
    """Session-Expires: 6 (refresher=uac), the SRC holds the call and vanishes: siprecd sends its BYE
    min(32, 6/3) = 2 s before expiry, 4 s after the last refresh (warning sessionExpired)."""
    daemon = daemon_factory('[sip]\nminSessionExpires = "2s"\nheldSessionProbe = "0s"\nreconnectGrace = "10m"\n'
                            '[media]\ncapture = "socket"\n')
    timer = "Supported: timer\r\nSession-Expires: 6;refresher=uac\r\n"
    dialog, ok, caller, callee = record_then_hold(daemon, clips, transport, extra=timer)
    assert "Session-Expires: 6;refresher=uac" in ok and "Require: timer" in ok, ok
    held_at = time.monotonic()
    dialog.close()                                   # the SRC is gone
    rec, _ = check_ended(daemon, dialog, caller, callee, "sessionExpired", tmp_path, within=20)
    assert time.monotonic() - held_at >= 3.5, "ended before the session timer ran out"


@pytest.mark.parametrize("transport", ["udp", "tcp"])
def test_a_vanished_src_without_timers_is_ended_after_held_session_timeout(daemon_factory, clips, tmp_path, transport):
    daemon = daemon_factory('[sip]\nheldSessionTimeout = "3s"\nheldSessionProbe = "0s"\nreconnectGrace = "10m"\n'
                            '[media]\ncapture = "socket"\nrtpTimeout = "1s"\n')
    dialog, _, caller, callee = record_then_hold(daemon, clips, transport)
    held_at = time.monotonic()
    dialog.close()
    check_ended(daemon, dialog, caller, callee, "heldSessionTimeout", tmp_path, within=20)
    assert time.monotonic() - held_at >= 2.5, "ended before heldSessionTimeout"
    assert "rtpTimeout" not in daemon.find_recording(dialog.call_id)["warnings"]


def test_a_held_src_that_answers_probes_stays_and_one_that_forgot_the_dialog_is_ended(daemon_factory, clips, tmp_path):
    """Probed every second while held: 200 keeps the session (3 probes); 481 (the SRC restarted and forgot
    the dialog) ends it at once, warning srcGone."""
    daemon = daemon_factory('[sip]\nheldSessionProbe = "1s"\n[media]\ncapture = "socket"\n')
    dialog, _, caller, callee = record_then_hold(daemon, clips, "udp")
    dialog.serve(3.8)
    probes = [r for r in dialog.received_requests if r.startswith("OPTIONS ")]
    assert len(probes) >= 3, dialog.received_requests
    assert daemon.find_recording(dialog.call_id)["state"] == "paused"
    dialog.answers["OPTIONS"] = 481
    dialog.serve(2.0)
    check_ended(daemon, dialog, caller, callee, "srcGone", tmp_path, within=10)


def test_a_closed_tcp_connection_that_is_not_reestablished_is_probed_and_ended(daemon_factory, clips, tmp_path):
    """The SRC's SIP/TCP connection closes while the call is held and nobody listens at its Contact any
    more: after reconnectGrace siprecd tries to reach it, cannot, and ends the session (srcGone)."""
    daemon = daemon_factory('[sip]\nreconnectGrace = "1s"\nheldSessionProbe = "0s"\n[media]\ncapture = "socket"\n')
    dialog, _, caller, callee = record_then_hold(daemon, clips, "tcp")
    dialog.close()
    _, took = check_ended(daemon, dialog, caller, callee, "srcGone", tmp_path, within=15)
    assert "cannot reach the SRC over TCP" in daemon.log()


def test_an_src_that_reconnects_over_tcp_within_the_grace_keeps_its_session(daemon_factory, clips, tmp_path):
    """The SRC reconnects (a new SIP/TCP connection) and sends an in-dialog request within reconnectGrace:
    the session goes on and is answered on the new connection."""
    daemon = daemon_factory('[sip]\nreconnectGrace = "2s"\nheldSessionProbe = "0s"\n[media]\ncapture = "socket"\n')
    dialog, _, caller, callee = record_then_hold(daemon, clips, "tcp")
    dialog.sock.close()
    dialog.sock = socket.create_connection(("127.0.0.1", daemon.sip_port), timeout=5)
    dialog.buffer = b""
    dialog.request("OPTIONS")
    time.sleep(3.0)
    assert daemon.find_recording(dialog.call_id)["state"] == "paused"
    dialog.request("BYE")
    rec = daemon.wait_for_state(dialog.call_id, "ready")
    assert not {"srcGone", "sessionExpired", "heldSessionTimeout"} & set(rec["warnings"]), rec["warnings"]
