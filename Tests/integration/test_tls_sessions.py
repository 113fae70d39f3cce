"""A SIP/TLS session belongs to the SRC that set it up: its requests are taken over TLS only and only from
the same certificate (another SBC that learnt the Call-ID and tags gets 403, as does anything over UDP or
TCP), while the SRC itself may move it to a new connection. A reload that no longer accepts an SRC's
certificate closes that SRC's open connections. A TLS SRC that sends faster than siprecd answers is read at
siprecd's pace and every request is answered; one that never reads its answers is not read either; its
close_notify is answered with siprecd's."""

from __future__ import annotations

import re
import signal
import socket
import time

from sipdialog import Dialog
from test_srtp import metric
from test_tls import PLAIN_OFFER, closed, options, tls_config, tls_dialog
from waiting import wait_for


def same_dialog(original: Dialog, other: Dialog) -> Dialog:
    """`other` speaking for `original`'s dialog: its Call-ID, tags and next CSeq."""
    other.call_id, other.from_tag, other.to_tag, other.cseq = original.call_id, original.from_tag, original.to_tag, original.cseq + 10
    return other


def test_a_tls_session_takes_no_request_over_plain_sip_nor_from_another_certificate(daemon_factory, pki):
    daemon = daemon_factory(tls_config(pki, media_='capture = "socket"\n'), tls=True)
    src = tls_dialog(daemon, pki)
    src.start(PLAIN_OFFER)
    for transport in ("udp", "tcp"):
        intruder = same_dialog(src, Dialog(daemon.sip_port, transport))
        reply = intruder.request("BYE", expect=403)
        assert "this session is protected by TLS: it did not come over TLS" in reply.splitlines()[0], reply
        intruder.close()
    other_sbc = same_dialog(src, tls_dialog(daemon, pki, pki.client_other_name))
    reply = other_sbc.request("BYE", expect=403)
    assert "another certificate than the SRC that set it up" in reply.splitlines()[0], reply
    other_sbc.close()
    assert metric(daemon, "siprecd_sip_tls_session_requests_refused_total") == 3
    assert daemon.find_recording(src.call_id)["state"] == "recording"
    # The SRC itself, on a new connection with its certificate: the session moves there and ends.
    src.sock.close()
    again = same_dialog(src, tls_dialog(daemon, pki))
    again.request("BYE")                # 200: accepted (no RTP was sent, so the recording ends as failed)
    wait_for(lambda: daemon.find_recording(src.call_id)["state"] != "recording", "the session ended by the SRC's BYE", 10)
    again.close()


def test_a_reload_that_no_longer_accepts_an_srcs_certificate_closes_its_connections(daemon_factory, pki):
    """allowedPeerNames loses sbc1 and siprecd gets SIGHUP: sbc1's open connection is closed at once (logged,
    counted); its new connections are refused at the handshake."""
    daemon = daemon_factory(tls_config(pki, tls='allowedPeerNames = ["sbc1.example.com"]\n', media_='capture = "socket"\n'), tls=True)
    src = tls_dialog(daemon, pki)
    src.request("OPTIONS")
    config = daemon.workdir / "siprecd.toml"
    config.write_text(config.read_text().replace('allowedPeerNames = ["sbc1.example.com"]', 'allowedPeerNames = ["sbc2.example.com"]'))
    daemon.proc.send_signal(signal.SIGHUP)
    how = closed(src.sock, 15)
    assert how is not None, "sbc1's connection stayed open after a reload that no longer allows it"
    assert metric(daemon, "siprecd_sip_tls_closed_on_reload_total") == 1
    [line] = [line for line in daemon.log().splitlines() if "the reloaded [tls] no longer accepts its certificate" in line]
    assert "reason=peerNameNotAllowed" in line and "peer=127.0.0.1:" in line, line
    try:
        tls_dialog(daemon, pki).request("OPTIONS")
        raise AssertionError("a new connection of sbc1 was accepted after the reload")
    except (OSError, ConnectionError, AssertionError) as exc:
        assert "was accepted" not in str(exc), exc
    wait_for(lambda: 'siprecd_sip_tls_handshake_failures_total{reason="peerNameNotAllowed"} 1' in daemon.api_get("/metrics").body.decode(),
             "the new connection counted as peerNameNotAllowed", 10)


def test_a_tls_src_that_sends_faster_than_siprecd_answers_gets_every_answer(daemon_factory, pki):
    """3,000 OPTIONS in one burst on one TLS connection (an SBC's retransmission storm): siprecd stops reading
    while it is behind, and answers every one, in order; a UDP SRC is answered meanwhile."""
    daemon = daemon_factory(tls_config(pki), tls=True)
    src = tls_dialog(daemon, pki)
    burst = b"".join(options().replace(b"CSeq: 1 OPTIONS", f"CSeq: {n + 1} OPTIONS".encode()) for n in range(3000))
    src.sock.settimeout(30)
    src.sock.sendall(burst)
    udp = Dialog(daemon.sip_port, "udp")
    udp.request("OPTIONS")
    udp.close()
    received, answers = b"", []
    deadline = time.monotonic() + 60
    while len(answers) < 3000 and time.monotonic() < deadline:
        received += src.sock.recv(65535)
        answers = re.findall(rb"^CSeq: (\d+) OPTIONS", received, re.M)
    assert [int(n) for n in answers] == list(range(1, 3001)), f"{len(answers)} answers"
    assert received.count(b"SIP/2.0 200 OK") == 3000
    assert daemon.alive()


def test_siprecd_answers_an_srcs_close_notify_with_its_own(daemon_factory, pki):
    daemon = daemon_factory(tls_config(pki), tls=True)
    src = tls_dialog(daemon, pki)
    src.request("OPTIONS")
    src.sock.settimeout(10)
    plain = src.sock.unwrap()           # sends close_notify, returns once siprecd's arrives
    assert isinstance(plain, socket.socket)
    plain.close()
    wait_for(lambda: metric(daemon, "siprecd_sip_tls_connections") == 0, "the connection closed on siprecd's side", 10)


def test_an_src_that_does_not_read_its_answers_is_not_read_either(daemon_factory, pki):
    """An SRC (over TLS, then over TCP) writes OPTIONS without ever reading: once its unread answers fill
    siprecd's outbound buffer, siprecd stops reading its requests, so its writes block after a bounded amount
    instead of siprecd queueing answers without end. Once it reads, every whole request it sent is answered."""
    import select
    import ssl
    daemon = daemon_factory(tls_config(pki), tls=True)
    for transport in ("tls", "tcp"):
        dialog = tls_dialog(daemon, pki) if transport == "tls" else Dialog(daemon.sip_port, "tcp")
        sock = dialog.sock
        request = options()
        limit = 40 << 20
        sent, blocked_since = 0, None
        rest = memoryview(request)
        sock.setblocking(False)
        while sent < limit:
            try:
                n = sock.send(rest)       # TCP may take part of a request: the rest goes next
                sent += n
                rest = rest[n:] if n < len(rest) else memoryview(request)
                blocked_since = None
            except (ssl.SSLWantWriteError, ssl.SSLWantReadError, BlockingIOError):
                blocked_since = blocked_since or time.monotonic()
                if time.monotonic() - blocked_since > 3:
                    break
                select.select([], [sock], [], 0.1)
        assert sent < limit, f"{transport}: siprecd took {sent} bytes of requests whose answers nobody read"
        whole = sent // len(request)
        sock.setblocking(True)
        sock.settimeout(30)
        mark = b"SIP/2.0 200 OK"
        tail, answers = b"", 0
        deadline = time.monotonic() + 120
        while answers < whole and time.monotonic() < deadline:
            chunk = sock.recv(1 << 20)
            assert chunk, f"{transport}: siprecd closed the connection after {answers} of {whole} answers"
            data = tail + chunk
            answers += data.count(mark)
            tail = data[-(len(mark) - 1):]
        assert answers >= whole, f"{transport}: {answers} answers to {whole} whole requests"
        sock.close()
    assert daemon.alive()
