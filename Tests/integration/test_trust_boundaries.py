"""Trust boundaries of the SIP side: `[sip] allow` covers every request, not only new INVITEs,
and a dialog is its Call-ID and both tags. An attacker who knows a live dialog's Call-ID and tags cannot
pause or end its recording."""

from __future__ import annotations

import re
import socket
import threading

from rtp_sender import RtpStream, send_concurrently
from sipdialog import Dialog, sdp

OFFER = sdp((40000, "0", "sendonly"), (40002, "8", "sendonly"))


def metric(daemon, name: str) -> int:
    match = re.search(rf"^{name} (\d+)$", daemon.api_get("/metrics").body.decode(), re.M)
    assert match, f"no {name} in /metrics"
    return int(match.group(1))


def forged(dialog: Dialog, host: str, from_tag: str | None = None) -> Dialog:
    """A copy of the dialog's identity, sending from `host` (and with another From tag when given)."""
    attacker = Dialog(dialog.sip_port, host=host)
    attacker.call_id, attacker.to_tag = dialog.call_id, dialog.to_tag
    attacker.from_tag = from_tag or dialog.from_tag
    attacker.cseq = dialog.cseq + 10
    return attacker


def live_call(daemon, clips, host: str):
    dialog = Dialog(daemon.sip_port, host=host)
    _, (port1, port2) = dialog.start(OFFER)
    streams = [RtpStream(clips["caller"], port1, 150), RtpStream(clips["callee"], port2, 150)]
    sender = threading.Thread(target=send_concurrently, args=(streams,), daemon=True)
    sender.start()
    daemon.wait_for_state(dialog.call_id, "recording", timeout=10)
    return dialog, sender


def test_a_source_outside_the_allow_list_touches_no_dialog(daemon_factory, clips):
    """The SRC sends from 127.0.0.2 (allowed); from 127.0.0.1 (not allowed) a re-INVITE with a=inactive, an
    UPDATE, a BYE and an OPTIONS naming the live dialog are each refused 403 and change nothing; a TCP
    connection from there is closed at accept; all counted per source."""
    daemon = daemon_factory('[sip]\nallow = ["127.0.0.2/32"]\n[media]\ncapture = "socket"\n')
    dialog, sender = live_call(daemon, clips, "127.0.0.2")
    attacker = forged(dialog, "127.0.0.1")
    inactive = sdp((40000, "0", "inactive"), (40002, "8", "inactive"))
    for method, body in (("INVITE", inactive), ("UPDATE", inactive), ("BYE", ""), ("OPTIONS", "")):
        reply = attacker.request(method, body, "application/sdp" if body else "", expect=403)
        assert "source not allowed" in reply, reply
    attacker.send_raw(attacker.build("ACK"))          # no answer possible: dropped
    conn = socket.create_connection(("127.0.0.1", daemon.sip_port), timeout=5)
    conn.settimeout(5)
    assert conn.recv(100) == b"", "a TCP connection from a disallowed source was not closed at accept"
    conn.close()
    rec = daemon.find_recording(dialog.call_id)
    assert rec["state"] == "recording" and rec["pauses"] == [], rec
    sender.join(30)
    dialog.request("BYE")
    rec = daemon.wait_for_state(dialog.call_id, "ready")
    assert rec["pauses"] == [], rec["pauses"]
    refused = daemon.api_json("/api/v1/status")["sipRefusedSources"]
    assert refused.get("127.0.0.1", 0) >= 5, refused
    assert metric(daemon, "siprecd_sip_refused_source_total") >= 6


def test_a_bye_with_the_right_call_id_and_to_tag_but_another_from_tag_is_481(daemon_factory, clips):
    daemon = daemon_factory('[media]\ncapture = "socket"\n')
    dialog, sender = live_call(daemon, clips, "127.0.0.1")
    attacker = forged(dialog, "127.0.0.1", from_tag="not-the-srcs")
    attacker.request("BYE", expect=481)
    attacker.request("INVITE", sdp((40000, "0", "inactive"), (40002, "8", "inactive")), "application/sdp", expect=481)
    assert daemon.find_recording(dialog.call_id)["state"] == "recording"
    assert metric(daemon, "siprecd_sip_dialog_mismatch_total") == 2
    sender.join(30)
    dialog.request("BYE")
    rec = daemon.wait_for_state(dialog.call_id, "ready")
    assert rec["pauses"] == [] and "stopped" not in rec["warnings"], rec


def test_network_text_never_reaches_a_terminal_or_the_log_raw(daemon, tmp_path):
    """A refused INVITE whose Call-ID carries a title-setting escape, a line-erasing CSI, a carriage return,
    a bidi override and a zero-width space: the log line and `siprecd status` show escapes, never the raw
    characters; `status --json` is exact JSON."""
    import json
    import subprocess
    from conftest import SIPRECD_BIN
    evil = "evil\x1b]0;owned\x07\x1b[2K\rfake\u202egnp.exe\u200b@x"
    dialog = Dialog(daemon.sip_port)
    dialog.call_id = evil
    dialog.request("INVITE", sdp((40000, "3", "sendonly")), "application/sdp", expect=488)
    log = daemon.log()
    refused = [line for line in log.splitlines() if "session refused" in line]
    assert refused, log[-2000:]
    for raw in ("\x1b", "\x07", "\u202e", "\u200b"):
        assert raw not in log, f"{raw!r} reached the log raw"
    assert "\\u{1B}]0;owned\\u{7}" in refused[-1] and "\\u{202E}" in refused[-1], refused[-1]
    text = subprocess.run([str(SIPRECD_BIN), "status", "--api", f"127.0.0.1:{daemon.api_port}", "--data-dir", str(daemon.data_dir)],
                          capture_output=True, text=True, timeout=30)
    assert text.returncode == 0 and "session refused" in text.stdout, text.stdout + text.stderr
    assert not any(raw in text.stdout for raw in ("\x1b", "\x07", "\r", "\u202e", "\u200b")), repr(text.stdout[-500:])
    machine = subprocess.run([str(SIPRECD_BIN), "status", "--json", "--api", f"127.0.0.1:{daemon.api_port}",
                              "--data-dir", str(daemon.data_dir)], capture_output=True, text=True, timeout=30)
    assert json.loads(machine.stdout)["status"]["lastErrors"], machine.stdout


def test_crlf_keepalives_get_a_pong_and_keep_the_connection(daemon_factory):
    """RFC 5626 §3.5.1: an SBC that opens its SIP/TCP connection ahead of calls and keeps it alive with
    double-CRLF pings gets a single CRLF back each time and is not closed by tcpFirstMessageTimeout; a
    connection that sends nothing at all still is, and the close is logged with the peer and the reason."""
    import time
    daemon = daemon_factory('[sip]\ntcpFirstMessageTimeout = "2s"\n')
    alive = socket.create_connection(("127.0.0.1", daemon.sip_port), timeout=5)
    silent = socket.create_connection(("127.0.0.1", daemon.sip_port), timeout=5)
    for _ in range(4):
        alive.sendall(b"\r\n\r\n")
        assert alive.recv(16) == b"\r\n", "no single-CRLF pong"
        time.sleep(1.0)
    silent.settimeout(3)
    assert silent.recv(16) == b"", "a connection that sent nothing was not closed"
    alive.sendall(b"\r\n\r\n")
    assert alive.recv(16) == b"\r\n", "the kept-alive connection was closed"
    alive.close()
    assert "closing a SIP/TCP connection that sent nothing within tcpFirstMessageTimeout" in daemon.log()


def test_a_flood_of_malformed_messages_is_logged_a_few_times_then_summarized(daemon):
    """500 malformed datagrams from one source within a second or two: a few notices one by one, then one
    summary line per second with how many were held back; together they account for all 500, and a
    message from another source in the middle of the flood is still logged."""
    import time
    flood = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    flood.bind(("127.0.0.9", 0))
    other = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    other.bind(("127.0.0.10", 0))
    for n in range(500):
        flood.sendto(b"GARBAGE %d\r\n\r\n" % n, ("127.0.0.1", daemon.sip_port))
        if n == 250:
            other.sendto(b"ALSO GARBAGE\r\n\r\n", ("127.0.0.1", daemon.sip_port))
        if n % 50 == 0:
            time.sleep(0.01)
    deadline = time.monotonic() + 10
    while True:
        lines = [line for line in daemon.log().splitlines() if "malformed SIP message dropped or rejected" in line]
        one_by_one = [line for line in lines if "127.0.0.9" in line and "more from" not in line]
        summaries = [int(re.search(r"held_back=(\d+)", line).group(1)) for line in lines if "more from 127.0.0.9" in line]
        if len(one_by_one) + sum(summaries) >= 500 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert len(one_by_one) + sum(summaries) == 500, (len(one_by_one), summaries)
    assert 1 <= len(one_by_one) <= 5 * (len(summaries) + 1), f"{len(one_by_one)} lines one by one"
    assert len(lines) < 30, f"{len(lines)} log lines for one flood"
    assert any("127.0.0.10" in line for line in lines), "the other source's message was not logged"
    assert daemon.api_get("/healthz").status == 200
