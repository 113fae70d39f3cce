"""SIP over TLS (RFC 3261 §26, RFC 5630): an SRC that connects with a client certificate from the
configured CA records SRTP calls keyed by SDES without `[media] sdesOverPlainSIP` (the keys travel inside
TLS), in every suite and through both capture paths, bit for bit; a re-key by re-INVITE keeps the timeline.
Responses return the request's Via, the 200 OK's Contact names the TLS port (`transport=tls`, or `sips:` for
a sips Request-URI), and siprecd's own requests (the BYE after rtpTimeout, OPTIONS probes) come back on the
SRC's TLS connection; when the SRC's connection drops, the SRC may reconnect, or siprecd reaches its
Contact over TLS itself. Chains through an intermediate CA work both ways; CRLF keepalives get their pong.
Handshakes that must fail — no certificate, an untrusted CA, an expired certificate, a
name outside `allowedPeerNames`, TLS 1.2 under minVersion "1.3", plain SIP on the TLS port — are refused at
the handshake, counted per reason, logged with the peer, and never stall the next SRC. SIGHUP swaps the
certificate for new connections while established calls go on; a broken reload keeps the old one. Silent
connections are closed by `tcpFirstMessageTimeout`. `config check` reads the TLS files.

The PKI is made once per session by tlscerts.py (openssl CLI, EC P-256)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import threading
import time

import pytest

import media
import tlscerts
from calls import hang_up_and_check
from checks import assert_channel_exact
from conftest import Daemon
from rtp_sender import RtpStream, send_concurrently, send_lockstep
from sipdialog import Dialog, sdp
from test_cli import siprecd as siprecd_cli
from test_srtp import (SUITES, Keyed, answered_crypto, assert_keys_secret, metric, reception, secure_offer,
                       sender_report, start_keyed_call)
from waiting import wait_for

PACKETS = 50                 # 1 s of audio each way: enough for both channels, short for the suite
SHORT = 25
PLAIN_OFFER = sdp((40000, "0", "sendonly"), (40002, "8", "sendonly"))
HELD = sdp((40000, "0", "inactive"), (40002, "8", "inactive"))
REASONS = ("noClientCertificate", "untrustedCertificate", "expiredCertificate", "peerNameNotAllowed",
           "protocolVersion", "notTLS", "timeout", "other")


# ---- configuration --------------------------------------------------------------

def tls_config(pki: tlscerts.Pki, *, tls: str = "", sip: str = "", media_: str = "", certificate=None, key=None,
               client_ca: bool = True) -> str:
    """A config whose [tls] section holds the server certificate (v1 unless `certificate`/`key`), the CA of
    the SRCs' certificates (unless not `client_ca`) and the lines in `tls`; [sip] and [media] get theirs."""
    text = (f'[tls]\ncertificate = "{certificate or pki.server.cert}"\nkey = "{key or pki.server.key}"\n'
            + (f'clientCA = "{pki.ca.cert}"\n' if client_ca else "") + tls)
    if sip:
        text += "[sip]\n" + sip
    if media_:
        text += "[media]\n" + media_
    return text


def tls_dialog(daemon, pki: tlscerts.Pki, certificate: tlscerts.CertKey | None | str = "good", **kwargs) -> Dialog:
    """A SIPREC dialog over TLS to the daemon's TLS port; the SRC presents `certificate` ("good": sbc1's,
    None: none) and checks the server's certificate against the test CA."""
    cert = pki.client if certificate == "good" else certificate
    return Dialog(daemon.tls_port, "tls", ssl_context=tlscerts.client_context(pki, cert), **kwargs)


# ---- what the daemon shows --------------------------------------------------------

def labelled(daemon, name: str) -> dict[str, int]:
    """{reason: value} of a counter labelled by reason (absent labels count 0)."""
    text = daemon.api_get("/metrics").body.decode()
    return {label: int(value) for label, value in re.findall(rf'^{name}\{{reason="([^"]*)"\}} (\d+)$', text, re.M)}


def handshake_failures(daemon) -> dict[str, int]:
    """The nonzero siprecd_sip_tls_handshake_failures_total{reason=...}."""
    return {k: v for k, v in labelled(daemon, "siprecd_sip_tls_handshake_failures_total").items() if v}


def tls_connections(daemon) -> int:
    return metric(daemon, "siprecd_sip_tls_connections")


def header(message: str, name: str, compact: str | None = None) -> str:
    """The first value of a header in a SIP message (full or compact name)."""
    head = message.split("\r\n\r\n", 1)[0]
    names = "|".join(re.escape(n) for n in (name, compact) if n)
    match = re.search(rf"^(?:{names})[ \t]*:[ \t]*(.*)$", head, re.M | re.I)
    assert match, f"no {name} header in:\n{head}"
    return match.group(1).strip()


def sent_branch(dialog: Dialog) -> str:
    return re.search(r"branch=([^;\r\n]+)", dialog.last_request).group(1)


def refusal_lines(daemon) -> list[str]:
    return [line for line in daemon.log().splitlines() if "TLS handshake refused" in line]


def closed(sock: socket.socket, within: float) -> str | None:
    """How `sock` (TCP or TLS) was closed by the peer within `within` seconds (EOF, reset, TLS alert), or
    None if it is still open. Bytes received before the close are returned in the description; a SIP message
    among them is a failure."""
    deadline = time.monotonic() + within
    received = b""
    while time.monotonic() < deadline:
        sock.settimeout(max(0.05, min(0.5, deadline - time.monotonic())))
        try:
            chunk = sock.recv(65535)
        except (socket.timeout, TimeoutError):
            continue
        except ssl.SSLWantReadError:
            continue
        except (ssl.SSLError, ConnectionError, OSError) as exc:
            assert b"SIP/2.0" not in received, f"siprecd answered before closing: {received[:300]!r}"
            return f"{exc!r} after {len(received)} bytes"
        if not chunk:
            assert b"SIP/2.0" not in received, f"siprecd answered before closing: {received[:300]!r}"
            return f"EOF after {len(received)} bytes"
        received += chunk
        assert b"SIP/2.0" not in received, f"siprecd answered a connection it should have refused: {received[:300]!r}"
    return None


def options() -> bytes:
    """An out-of-dialog OPTIONS as an SBC pings with (siprecd answers 200)."""
    return ("OPTIONS sip:recorder@srs.example.com SIP/2.0\r\n"
            f"Via: SIP/2.0/TLS 127.0.0.1:5061;branch=z9hG4bK-tlsping{os.urandom(4).hex()}\r\n"
            "Max-Forwards: 70\r\nFrom: <sip:src@127.0.0.1>;tag=ping\r\nTo: <sip:recorder@srs.example.com>\r\n"
            f"Call-ID: ping-{os.urandom(6).hex()}@127.0.0.1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n").encode()


def peer_certificate(daemon, pki: tlscerts.Pki, certificate: tlscerts.CertKey | None = None) -> bytes:
    """Connects anew, checks that the connection works (an OPTIONS answered 200) and returns the server's
    certificate in DER."""
    ctx = tlscerts.client_context(pki, certificate or pki.client)
    with socket.create_connection(("127.0.0.1", daemon.tls_port), timeout=10) as raw:
        with ctx.wrap_socket(raw, server_hostname="localhost") as sock:
            der = sock.getpeercert(binary_form=True)
            sock.sendall(options())
            reply = b""
            while b"\r\n\r\n" not in reply:
                chunk = sock.recv(65535)
                assert chunk, "siprecd closed a TLS connection instead of answering OPTIONS"
                reply += chunk
            assert reply.startswith(b"SIP/2.0 200"), reply[:200]
            return der


def secure_call(daemon, dialog: Dialog, clips, tmp_path, suite: str = "AES_CM_128_HMAC_SHA1_80", packets: int = SHORT):
    """An SDES-keyed call on `dialog`: INVITE, `packets` each way, BYE; both channels bit-exact. Returns the
    recording."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    caller_key, callee_key = Keyed(suite), Keyed(suite)
    ok, ports = dialog.start(secure_offer(caller_key.crypto(1), callee_key.crypto(1)))
    assert re.findall(r"^m=audio \d+ (\S+)", ok, re.M) == ["RTP/SAVP", "RTP/SAVP"], ok
    caller = RtpStream(clips["caller"], ports[0], packets, protect=caller_key)
    callee = RtpStream(clips["callee"], ports[1], packets, protect=callee_key)
    send_concurrently([caller, callee])
    rec, _ = hang_up_and_check(daemon, dialog, caller, callee, tmp_path)
    for label in ("1", "2"):
        assert reception(rec, label)["srtp"] == suite, reception(rec, label)
    return rec


# ---- SRTP over a TLS SRC ------------------------------------------------------------

@pytest.mark.parametrize("capture", ["socket", "pcap"])
@pytest.mark.parametrize("suite", list(SUITES))
def test_sdes_keys_from_a_tls_src_record_every_suite_bit_exact_without_sdes_over_plain_sip(
        daemon_factory, pki, clips, tmp_path, suite, capture):
    if capture == "pcap" and os.geteuid() != 0:
        pytest.skip("live capture on lo needs root")
    daemon = daemon_factory(tls_config(pki, media_=f'capture = "{capture}"\ninterface = "lo"\n'), tls=True)
    dialog = tls_dialog(daemon, pki)
    caller_key, callee_key, ports = start_keyed_call(dialog, suite)
    assert tls_connections(daemon) == 1
    caller = RtpStream(clips["caller"], ports[0], PACKETS, protect=caller_key)
    callee = RtpStream(clips["callee"], ports[1], PACKETS, protect=callee_key)
    send_concurrently([caller, callee])
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:      # SRTCP on the RTP port (rtcp-mux)
        for _ in range(2):
            sock.sendto(caller_key.session.protect_rtcp(sender_report(caller.ssrc)), ("127.0.0.1", ports[0]))
    rec, _ = hang_up_and_check(daemon, dialog, caller, callee, tmp_path)
    for label in ("1", "2"):
        r = reception(rec, label)
        assert (r["srtp"], r["authFailed"], r["replayed"]) == (suite, 0, 0), r
    assert reception(rec, "1")["srtcpPackets"] == 2, reception(rec, "1")
    assert_keys_secret(daemon, rec, caller_key, callee_key)
    assert metric(daemon, "siprecd_sip_tls_handshakes_total") == 1
    assert handshake_failures(daemon) == {}
    dialog.close()
    wait_for(lambda: tls_connections(daemon) == 0, "siprecd_sip_tls_connections back to 0 after the SRC closed", 10)


def test_a_rekey_by_reinvite_over_tls_keeps_both_channels_bit_exact(daemon_factory, pki, clips, tmp_path):
    """Just before packet 30 of both streams the SRC re-INVITEs on its TLS connection with new keys under
    new tags for both streams, and protects with them from then on: no gap, no authentication failure."""
    daemon = daemon_factory(tls_config(pki, media_='capture = "socket"\n'), tls=True)
    first = (Keyed("AES_CM_128_HMAC_SHA1_80"), Keyed("AEAD_AES_128_GCM"))
    second = (Keyed("AES_CM_128_HMAC_SHA1_80"), Keyed("AEAD_AES_128_GCM"))
    dialog = tls_dialog(daemon, pki)
    _, ports = dialog.start(secure_offer(first[0].crypto(1), first[1].crypto(1)))
    current = list(first)
    replies: list[str] = []

    def rekey():
        replies.append(dialog.reinvite(secure_offer(second[0].crypto(2), second[1].crypto(2))))
        current[:] = second

    caller = RtpStream(clips["caller"], ports[0], 60, protect=lambda rtp: current[0](rtp))
    callee = RtpStream(clips["callee"], ports[1], 60, protect=lambda rtp: current[1](rtp))
    send_lockstep([caller, callee], just_before={30: rekey})
    assert [(tag, name) for tag, name, _ in answered_crypto(replies[0])] == \
        [("2", "AES_CM_128_HMAC_SHA1_80"), ("2", "AEAD_AES_128_GCM")], replies[0]
    rec, _ = hang_up_and_check(daemon, dialog, caller, callee, tmp_path)
    assert [len(k.wire) for k in first + second] == [30, 30, 30, 30]
    for label in ("1", "2"):
        r = reception(rec, label)
        assert (r["authFailed"], r["replayed"]) == (0, 0), r
    assert "SRTP re-key" in daemon.log()
    assert_keys_secret(daemon, rec, *first, *second)


# ---- SIP over TLS: Via, Contact, siprecd's own requests ---------------------------------

def plain_call_then_bye(daemon, dialog: Dialog, ports: list[int], clips, tmp_path) -> str:
    """`SHORT` packets of plain RTP each way, then the SRC's BYE; both channels bit-exact. Returns the
    BYE's 200 OK."""
    caller = RtpStream(clips["caller"], ports[0], SHORT)
    callee = RtpStream(clips["callee"], ports[1], SHORT)
    send_lockstep([caller, callee])
    bye_ok = dialog.request("BYE")
    rec = daemon.wait_for_state(dialog.call_id, "ready")
    wav = media.parse_wav(daemon.download(rec["recordingId"], "wav", tmp_path / "call.wav").read_bytes())
    assert_channel_exact(wav, rec, "caller", caller)
    assert_channel_exact(wav, rec, "callee", callee)
    return bye_ok


def test_the_200_ok_over_tls_returns_the_via_and_its_contact_names_the_tls_port(daemon_factory, pki, clips, tmp_path):
    """The SRC's Via (SIP/2.0/TLS, its branch) comes back on the 200 OK; the Contact says where to reach
    the recorder over TLS: `<sip:siprecd@127.0.0.1:TLSPORT;transport=tls>;+sip.srs`. Plain RTP/AVP from a
    TLS SRC is recorded as usual."""
    daemon = daemon_factory(tls_config(pki, media_='capture = "socket"\n'), tls=True)
    dialog = tls_dialog(daemon, pki)
    assert dialog.sock.version() in ("TLSv1.2", "TLSv1.3"), dialog.sock.version()
    assert dialog.sock.getpeercert(binary_form=True) == pki.server.der()
    ok = dialog.request("INVITE", PLAIN_OFFER, "application/sdp")
    branch = sent_branch(dialog)
    dialog.ack(dialog.cseq)
    via = header(ok, "Via", "v")
    assert re.match(rf"SIP/2\.0/TLS 127\.0\.0\.1:{dialog.local};branch={re.escape(branch)}(;|$)", via), via
    assert header(ok, "Contact", "m") == f"<sip:siprecd@127.0.0.1:{daemon.tls_port};transport=tls>;+sip.srs", ok
    assert re.findall(r"^m=audio \d+ (\S+)", ok, re.M) == ["RTP/AVP", "RTP/AVP"], ok
    bye_ok = plain_call_then_bye(daemon, dialog, [int(p) for p in re.findall(r"^m=audio (\d+)", ok, re.M)], clips, tmp_path)
    bye_via = header(bye_ok, "Via", "v")
    assert re.match(rf"SIP/2\.0/TLS 127\.0\.0\.1:{dialog.local};branch={re.escape(sent_branch(dialog))}(;|$)", bye_via), bye_via


def test_a_sips_request_uri_is_answered_with_a_sips_contact(daemon_factory, pki, clips, tmp_path):
    """RFC 5630: an SRC that addresses the recorder as sips: gets a sips: Contact (no transport parameter),
    so its in-dialog requests stay on TLS."""
    daemon = daemon_factory(tls_config(pki, media_='capture = "socket"\n'), tls=True)
    dialog = tls_dialog(daemon, pki, scheme="sips")
    ok, ports = dialog.start(PLAIN_OFFER)
    assert header(ok, "Contact", "m") == f"<sips:siprecd@127.0.0.1:{daemon.tls_port}>;+sip.srs", ok
    plain_call_then_bye(daemon, dialog, ports, clips, tmp_path)


@pytest.mark.parametrize("transport", ["udp", "tcp"])
def test_a_sips_request_uri_over_plain_sip_is_refused_with_416(daemon_factory, pki, transport):
    """RFC 3261 §26.2.2: sips: promises TLS on every hop; one that arrives over UDP or TCP is not taken."""
    daemon = daemon_factory(tls_config(pki), tls=True)
    dialog = Dialog(daemon.sip_port, transport, scheme="sips")
    reply = dialog.request("INVITE", PLAIN_OFFER, "application/sdp", expect=416)
    assert "a sips: Request-URI must arrive over TLS" in reply.splitlines()[0], reply
    dialog.close()
    assert daemon.recordings() == []


def wait_for_request(dialog: Dialog, method: str, timeout: float) -> str:
    """The next request `method` siprecd sends on the dialog's connection (other requests are answered,
    responses skipped); fails after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            dialog.sock.settimeout(max(0.05, deadline - time.monotonic()))
            try:
                message = dialog.receive()
            except (socket.timeout, TimeoutError):
                continue
            if message.startswith(f"{method} "):
                return message
            if not message.startswith("SIP/2.0"):
                dialog.answer_request(message)
    finally:
        dialog.sock.settimeout(5)
    raise AssertionError(f"no {method} from siprecd on the SRC's TLS connection within {timeout:g} s "
                         f"(requests seen: {[r.splitlines()[0] for r in dialog.received_requests]})")


def test_after_rtp_timeout_siprecd_says_bye_on_the_srcs_tls_connection(daemon_factory, pki, clips, tmp_path):
    """The SRC stops sending RTP and never hangs up: after rtpTimeout siprecd ends the session with a BYE
    on the SRC's own TLS connection (Via SIP/2.0/TLS with the TLS port, Request-URI the SRC's Contact), and
    the recording is ready, bit-exact, with the rtpTimeout warning."""
    daemon = daemon_factory(tls_config(pki, media_='capture = "socket"\nrtpTimeout = "2s"\n'), tls=True)
    caller_key, callee_key = Keyed("AES_CM_128_HMAC_SHA1_80"), Keyed("AES_CM_128_HMAC_SHA1_80")
    dialog = tls_dialog(daemon, pki)
    _, ports = dialog.start(secure_offer(caller_key.crypto(), callee_key.crypto()))
    caller = RtpStream(clips["caller"], ports[0], PACKETS, protect=caller_key)
    callee = RtpStream(clips["callee"], ports[1], PACKETS, protect=callee_key)
    send_concurrently([caller, callee])
    bye = wait_for_request(dialog, "BYE", timeout=20)
    assert bye.split("\r\n", 1)[0] == f"BYE sip:src@127.0.0.1:{dialog.local};transport=tls SIP/2.0", bye
    via = header(bye, "Via", "v")
    assert re.match(rf"SIP/2\.0/TLS 127\.0\.0\.1:{daemon.tls_port};branch=z9hG4bK", via), via
    assert header(bye, "Call-ID", "i") == dialog.call_id
    dialog.answer_request(bye)
    rec = daemon.wait_for_state(dialog.call_id, "ready", timeout=20)
    assert "rtpTimeout" in rec["warnings"], rec["warnings"]
    wav = media.parse_wav(daemon.download(rec["recordingId"], "wav", tmp_path / "timeout.wav").read_bytes())
    assert_channel_exact(wav, rec, "caller", caller)
    assert_channel_exact(wav, rec, "callee", callee)


def test_a_held_tls_src_is_probed_with_options_on_its_tls_connection(daemon_factory, pki, clips, tmp_path):
    """Every stream held (a=inactive): siprecd's in-dialog OPTIONS probes arrive on the SRC's TLS connection
    with Via SIP/2.0/TLS and a Contact that names the TLS port; answered 200, the session stays paused."""
    daemon = daemon_factory(tls_config(pki, sip='heldSessionProbe = "1s"\n', media_='capture = "socket"\n'), tls=True)
    dialog = tls_dialog(daemon, pki)
    _, ports = dialog.start(PLAIN_OFFER)
    caller = RtpStream(clips["caller"], ports[0], SHORT)
    callee = RtpStream(clips["callee"], ports[1], SHORT)
    send_lockstep([caller, callee])
    dialog.reinvite(HELD)
    dialog.serve(3.5)
    probes = [r for r in dialog.received_requests if r.startswith("OPTIONS ")]
    assert len(probes) >= 2, dialog.received_requests
    for probe in probes:
        assert re.match(rf"SIP/2\.0/TLS 127\.0\.0\.1:{daemon.tls_port};branch=z9hG4bK", header(probe, "Via", "v")), probe
        assert header(probe, "Contact", "m") == f"<sip:siprecd@127.0.0.1:{daemon.tls_port};transport=tls>;+sip.srs", probe
    assert daemon.find_recording(dialog.call_id)["state"] == "paused"
    dialog.request("BYE")
    rec = daemon.wait_for_state(dialog.call_id, "ready")
    wav = media.parse_wav(daemon.download(rec["recordingId"], "wav", tmp_path / "held.wav").read_bytes())
    assert_channel_exact(wav, rec, "caller", caller)
    assert_channel_exact(wav, rec, "callee", callee)


def held_call(daemon, pki, clips, contact_port: int | None = None, certificate="good") -> tuple[Dialog, RtpStream, RtpStream]:
    """A TLS dialog (its Contact port `contact_port` if given), `SHORT` packets each way, then every stream
    held by re-INVITE."""
    dialog = tls_dialog(daemon, pki, certificate)
    if contact_port is not None:
        dialog.local = contact_port          # the Contact (and Via sent-by) name the SRC's listening port
    _, ports = dialog.start(PLAIN_OFFER)
    caller = RtpStream(clips["caller"], ports[0], SHORT)
    callee = RtpStream(clips["callee"], ports[1], SHORT)
    send_lockstep([caller, callee])
    dialog.reinvite(HELD)
    return dialog, caller, callee


def assert_ended_bit_exact_without_src_gone(daemon, dialog, caller, callee, tmp_path):
    rec = daemon.wait_for_state(dialog.call_id, "ready")
    assert not {"srcGone", "sessionExpired", "heldSessionTimeout", "rtpTimeout"} & set(rec["warnings"]), rec["warnings"]
    wav = media.parse_wav(daemon.download(rec["recordingId"], "wav", tmp_path / "held.wav").read_bytes())
    assert_channel_exact(wav, rec, "caller", caller)
    assert_channel_exact(wav, rec, "callee", callee)


def test_a_tls_src_that_reconnects_within_the_grace_keeps_its_session(daemon_factory, pki, clips, tmp_path):
    """The SBC's TLS connection drops while the call is held; it connects again (a new handshake) and sends
    an in-dialog request within reconnectGrace: the session goes on and is answered on the new connection."""
    daemon = daemon_factory(tls_config(pki, sip='reconnectGrace = "3s"\nheldSessionProbe = "0s"\n',
                                       media_='capture = "socket"\n'), tls=True)
    dialog, caller, callee = held_call(daemon, pki, clips)
    dialog.sock.close()
    dialog.sock = tlscerts.client_context(pki, pki.client).wrap_socket(
        socket.create_connection(("127.0.0.1", daemon.tls_port), timeout=5), server_hostname="localhost")
    dialog.buffer = b""
    dialog.request("OPTIONS")
    time.sleep(4.0)
    assert daemon.find_recording(dialog.call_id)["state"] == "paused"
    dialog.request("BYE")
    assert_ended_bit_exact_without_src_gone(daemon, dialog, caller, callee, tmp_path)
    assert metric(daemon, "siprecd_sip_tls_handshakes_total") == 2


def test_siprecd_reaches_a_held_tls_src_whose_connection_dropped_over_tls_to_its_contact(daemon_factory, pki, clips, tmp_path):
    """The SBC's TLS connection drops while the call is held and the SBC does not come back by itself: after
    reconnectGrace siprecd connects to the SBC's Contact (transport=tls) over TLS, presenting its certificate
    (which the SBC verifies against the same CA: siprecd's certificate carries clientAuth as well as
    serverAuth for that) and checking the SBC's against clientCA and allowedPeerNames; its OPTIONS arrives there; answered 200, the session stays, and the SBC's BYE
    on that connection ends it bit-exact."""
    daemon = daemon_factory(tls_config(pki, certificate=pki.server_both.cert, key=pki.server_both.key,
                                       tls='allowedPeerNames = ["sbc1.example.com"]\n',
                                       sip='reconnectGrace = "1s"\nheldSessionProbe = "0s"\n',
                                       media_='capture = "socket"\n'), tls=True)
    sbc = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    sbc.load_cert_chain(str(pki.sbc_both.cert), str(pki.sbc_both.key))
    sbc.load_verify_locations(str(pki.ca.cert))
    sbc.verify_mode = ssl.CERT_REQUIRED
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(2)
        listener.settimeout(20)
        dialog, caller, callee = held_call(daemon, pki, clips, contact_port=listener.getsockname()[1],
                                           certificate=pki.sbc_both)
        dialog.sock.close()
        try:
            conn, _ = listener.accept()
        except socket.timeout:
            raise AssertionError("siprecd did not connect to the SRC's Contact within 20 s") from None
        dialog.sock = sbc.wrap_socket(conn, server_side=True)
    dialog.buffer = b""
    assert dialog.sock.getpeercert(binary_form=True) == pki.server_both.der()
    probe = wait_for_request(dialog, "OPTIONS", timeout=10)
    assert probe.split("\r\n", 1)[0] == f"OPTIONS sip:src@127.0.0.1:{dialog.local};transport=tls SIP/2.0", probe
    assert re.match(rf"SIP/2\.0/TLS 127\.0\.0\.1:{daemon.tls_port};branch=z9hG4bK", header(probe, "Via", "v")), probe
    dialog.answer_request(probe)
    time.sleep(1.0)
    assert daemon.find_recording(dialog.call_id)["state"] == "paused"
    dialog.request("BYE")
    assert_ended_bit_exact_without_src_gone(daemon, dialog, caller, callee, tmp_path)


# ---- refused handshakes -------------------------------------------------------------

# reason: (extra [tls] lines, the PKI's client certificate to present (None: none), highest TLS version offered)
REFUSALS = {
    "noClientCertificate": ("", None, None),
    "untrustedCertificate": ("", "client_untrusted", None),
    "expiredCertificate": ("", "client_expired", None),
    "peerNameNotAllowed": ('allowedPeerNames = ["sbc1.example.com", "sbc2.example.com"]\n', "client_other_name", None),
    "protocolVersion": ('minVersion = "1.3"\n', "client", ssl.TLSVersion.TLSv1_2),
    "notTLS": ("", None, None),
}


def refused_handshake(sock: ssl.SSLSocket) -> str | None:
    """Handshakes and, if that seemed to work, sends an OPTIONS: how siprecd refused (None: it did not
    within 10 s). In TLS 1.3 the client's side of the handshake ends before the server has checked the
    client's certificate, so that refusal arrives as an alert on the first read."""
    sock.settimeout(10)
    try:
        sock.do_handshake()
    except (socket.timeout, TimeoutError):
        return None
    except (ssl.SSLError, OSError) as exc:
        return f"handshake failed: {exc!r}"
    try:
        sock.sendall(options())
    except (socket.timeout, TimeoutError):
        return None
    except (ssl.SSLError, OSError) as exc:
        return f"write failed: {exc!r}"
    return closed(sock, 10)


@pytest.mark.parametrize("reason", list(REFUSALS))
def test_a_refused_handshake_is_counted_logged_with_the_peer_and_the_next_src_still_records(
        daemon_factory, pki, clips, tmp_path, reason):
    extra, certificate, max_version = REFUSALS[reason]
    daemon = daemon_factory(tls_config(pki, tls=extra, media_='capture = "socket"\n'), tls=True)
    raw = socket.create_connection(("127.0.0.1", daemon.tls_port), timeout=10)
    try:
        if reason == "notTLS":
            raw.sendall(options())
            how = closed(raw, 10)
        else:
            ctx = tlscerts.client_context(pki, getattr(pki, certificate) if certificate else None, maximum_version=max_version)
            raw = ctx.wrap_socket(raw, server_hostname="localhost", do_handshake_on_connect=False)
            how = refused_handshake(raw)
    finally:
        raw.close()
    assert how, f"siprecd neither refused nor answered the {reason} connection within 10 s"
    try:
        wait_for(lambda: handshake_failures(daemon) == {reason: 1}, f"handshake failures {{{reason}: 1}}", 10)
    except AssertionError as exc:
        raise AssertionError(f"{exc}; /metrics has {handshake_failures(daemon)} (the client saw {how})") from None
    assert metric(daemon, "siprecd_sip_tls_handshakes_total") == 0
    lines = wait_for(lambda: refusal_lines(daemon), "a 'TLS handshake refused' log line", 10)
    assert len(lines) == 1, lines
    assert "127.0.0.1" in lines[0] and re.search(rf"""reason=["']?{reason}\b""", lines[0]), lines[0]
    # The next SRC, with a good certificate, is answered and recorded.
    secure_call(daemon, tls_dialog(daemon, pki), clips, tmp_path)
    assert metric(daemon, "siprecd_sip_tls_handshakes_total") == 1
    assert handshake_failures(daemon) == {reason: 1}
    assert daemon.alive()


def test_a_name_in_allowed_peer_names_is_matched_by_dns_or_ip_subject_alt_name(daemon_factory, pki, clips, tmp_path):
    """allowedPeerNames = ["127.0.0.1"] admits sbc1's certificate by its IP SAN; ["sbc9.other.example"]
    admits the other certificate by its DNS SAN."""
    by_ip = daemon_factory(tls_config(pki, tls='allowedPeerNames = ["127.0.0.1"]\n', media_='capture = "socket"\n'), tls=True)
    secure_call(by_ip, tls_dialog(by_ip, pki), clips, tmp_path / "ip")
    by_dns = daemon_factory(tls_config(pki, tls='allowedPeerNames = ["sbc9.other.example"]\n', media_='capture = "socket"\n'), tls=True)
    secure_call(by_dns, tls_dialog(by_dns, pki, certificate=pki.client_other_name), clips, tmp_path / "dns")
    assert handshake_failures(by_ip) == {} and handshake_failures(by_dns) == {}


def test_without_required_client_certificates_an_src_without_one_records(daemon_factory, pki, clips, tmp_path):
    """requireClientCertificate = false (no clientCA either): an SRC that presents no certificate is served,
    and its SDES keys are still taken (the signalling is encrypted)."""
    daemon = daemon_factory(tls_config(pki, tls="requireClientCertificate = false\n", client_ca=False,
                                       media_='capture = "socket"\n'), tls=True)
    secure_call(daemon, tls_dialog(daemon, pki, certificate=None), clips, tmp_path, suite="AEAD_AES_256_GCM")
    assert metric(daemon, "siprecd_sip_tls_handshakes_total") == 1
    assert handshake_failures(daemon) == {}


def test_certificate_chains_through_an_intermediate_ca_are_served_and_accepted(daemon_factory, pki, clips, tmp_path):
    """As most deployments have it: siprecd's certificate file holds the leaf and then the intermediate CA
    that signed it, the SBC's the same; each side trusts only the root. The SRC verifies siprecd's chain,
    siprecd verifies the SRC's against clientCA = the root, and the call records."""
    code, output = check_config(tmp_path, tls_section(pki.server_chain.cert, pki.server_chain.key, pki.ca.cert))
    assert code == 0, output
    daemon = daemon_factory(tls_config(pki, certificate=pki.server_chain.cert, key=pki.server_chain.key,
                                       tls='allowedPeerNames = ["sbc1.example.com"]\n', media_='capture = "socket"\n'), tls=True)
    dialog = tls_dialog(daemon, pki, certificate=pki.client_chain)
    assert dialog.sock.getpeercert(binary_form=True) == pki.server_chain.der()
    secure_call(daemon, dialog, clips, tmp_path / "call")
    assert metric(daemon, "siprecd_sip_tls_handshakes_total") == 1 and handshake_failures(daemon) == {}


def test_crlf_keepalives_over_tls_get_a_pong_and_keep_the_connection_for_the_next_call(daemon_factory, pki, clips, tmp_path):
    """RFC 5626 §3.5.1 over TLS: an SBC that opens its connection ahead of calls and keeps it alive with
    double-CRLF pings gets a single CRLF back each time, is not closed by tcpFirstMessageTimeout, and places
    its call on that connection later."""
    daemon = daemon_factory(tls_config(pki, sip='tcpFirstMessageTimeout = "2s"\n', media_='capture = "socket"\n'), tls=True)
    dialog = tls_dialog(daemon, pki)
    for _ in range(4):
        dialog.sock.sendall(b"\r\n\r\n")
        assert dialog.sock.recv(16) == b"\r\n", "no single-CRLF pong over TLS"
        time.sleep(1.0)
    secure_call(daemon, dialog, clips, tmp_path)


# ---- SIGHUP: a new certificate for new connections -----------------------------------------

def install(pair: tlscerts.CertKey, cert: os.PathLike, key: os.PathLike) -> None:
    """Puts `pair` in place of the files the daemon reads, each by an atomic rename."""
    for source, target in ((pair.cert, cert), (pair.key, key)):
        staging = f"{target}.new"
        shutil.copyfile(source, staging)
        os.replace(staging, target)


def reload_refusals(text: str) -> list[str]:
    """Log lines that say a TLS reload was refused (the old certificate kept)."""
    return [line for line in text.splitlines()
            if re.search(r"(?i)\btls\b|certificate|tls\.key", line)
            and re.search(r"(?i)refus|keep|kept|still|not reloaded|unchanged|cannot|invalid|fail", line)]


def test_sighup_gives_new_connections_the_new_certificate_while_the_call_on_the_old_one_goes_on(
        daemon_factory, pki, clips, tmp_path):
    """A call records on a TLS connection made with certificate v1. Mid-call the files are replaced with v2
    and siprecd gets SIGHUP: a new connection sees v2, the old connection still carries its dialog (an
    in-dialog OPTIONS is answered) and the call ends bit-exact. Then a broken key file and another SIGHUP:
    the reload is refused in the log and new connections still get v2."""
    live_cert, live_key = tmp_path / "live.pem", tmp_path / "live.key"
    install(pki.server, live_cert, live_key)
    daemon = daemon_factory(tls_config(pki, certificate=live_cert, key=live_key, media_='capture = "socket"\n'), tls=True)
    assert peer_certificate(daemon, pki) == pki.server.der()
    caller_key, callee_key = Keyed("AES_CM_128_HMAC_SHA1_80"), Keyed("AEAD_AES_128_GCM")
    dialog = tls_dialog(daemon, pki)
    assert dialog.sock.getpeercert(binary_form=True) == pki.server.der()
    _, ports = dialog.start(secure_offer(caller_key.crypto(), callee_key.crypto()))
    caller = RtpStream(clips["caller"], ports[0], 100, protect=caller_key)
    callee = RtpStream(clips["callee"], ports[1], 100, protect=callee_key)
    failure: list[BaseException] = []

    def send():
        try:
            send_concurrently([caller, callee])
        except BaseException as exc:
            failure.append(exc)

    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    time.sleep(0.3)
    install(pki.server_v2, live_cert, live_key)
    daemon.proc.send_signal(signal.SIGHUP)
    wait_for(lambda: peer_certificate(daemon, pki) == pki.server_v2.der(),
             "a new TLS connection is served certificate v2 after SIGHUP", 15)
    assert dialog.sock.getpeercert(binary_form=True) == pki.server.der()
    dialog.request("OPTIONS")                           # the old connection still carries the dialog
    sender.join(60)
    assert not sender.is_alive() and not failure, failure
    rec, _ = hang_up_and_check(daemon, dialog, caller, callee, tmp_path)
    assert [reception(rec, label)["authFailed"] for label in ("1", "2")] == [0, 0]

    # A broken key: the reload is refused, v2 stays.
    seen = len(daemon.log())
    live_key.write_text("-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5IGF0IGFsbA==\n-----END PRIVATE KEY-----\n")
    daemon.proc.send_signal(signal.SIGHUP)
    lines = wait_for(lambda: reload_refusals(daemon.log()[seen:]), "a log line saying the TLS reload was refused", 15)
    assert any(re.search(r"\berror\b", line, re.I) for line in lines), lines
    assert peer_certificate(daemon, pki) == pki.server_v2.der()
    secure_call(daemon, tls_dialog(daemon, pki), clips, tmp_path / "after")
    assert daemon.alive()


# ---- silent connections -------------------------------------------------------------

def test_tls_connections_that_complete_no_sip_message_are_closed_after_the_first_message_timeout(
        daemon_factory, pki, clips, tmp_path):
    """tcpFirstMessageTimeout = "1s" on the TLS port: a connection that handshakes and says nothing, one that
    handshakes and stops in the middle of an INVITE, and a TCP connection that never starts a handshake are
    all closed (the last counted as a handshake timeout); an SRC afterwards still records."""
    daemon = daemon_factory(tls_config(pki, sip='tcpFirstMessageTimeout = "1s"\n', media_='capture = "socket"\n'), tls=True)
    ctx = tlscerts.client_context(pki, pki.client)
    sockets: dict[str, socket.socket] = {}
    try:
        sockets["handshaken and silent"] = ctx.wrap_socket(
            socket.create_connection(("127.0.0.1", daemon.tls_port), timeout=10), server_hostname="localhost")
        sockets["handshaken, half an INVITE"] = ctx.wrap_socket(
            socket.create_connection(("127.0.0.1", daemon.tls_port), timeout=10), server_hostname="localhost")
        sockets["handshaken, half an INVITE"].sendall(
            b"INVITE sip:recorder@srs.example.com SIP/2.0\r\nVia: SIP/2.0/TLS 127.0.0.1;branch=z9hG4bK")
        sockets["no handshake"] = socket.create_connection(("127.0.0.1", daemon.tls_port), timeout=10)
        for name, sock in sockets.items():
            assert closed(sock, 20), f"the {name} connection is still open 20 s after it was opened (timeout 1 s)"
    finally:
        for sock in sockets.values():
            sock.close()
    wait_for(lambda: tls_connections(daemon) == 0, "siprecd_sip_tls_connections back to 0", 10)
    assert metric(daemon, "siprecd_sip_tls_handshakes_total") == 2
    wait_for(lambda: handshake_failures(daemon) == {"timeout": 1}, "handshake failures {timeout: 1}", 10)
    secure_call(daemon, tls_dialog(daemon, pki), clips, tmp_path)


def test_silent_connections_on_the_tls_port_share_max_tcp_connections_and_do_not_lock_srcs_out(
        daemon_factory, pki, clips, tmp_path):
    """maxTcpConnections = 16, filled by 8 TCP connections to the TLS port that never handshake and then 8
    silent ones to the SIP/TCP port: one table for both, so a TLS SRC and then a TCP SRC (the TLS one still
    connected) each make room by closing the oldest silent connection, both TLS-port ones, and are recorded."""
    daemon = daemon_factory(tls_config(pki, sip='maxTcpConnections = 16\ntcpFirstMessageTimeout = "60s"\n',
                                       media_='capture = "socket"\n'), tls=True)
    silent = []
    tls_src = None
    try:
        for port in [daemon.tls_port] * 8 + [daemon.sip_port] * 8:
            silent.append(socket.create_connection(("127.0.0.1", port), timeout=10))
            time.sleep(0.02)                # an order of age the daemon sees too
        time.sleep(0.5)
        tls_src = tls_dialog(daemon, pki)
        secure_call(daemon, tls_src, clips, tmp_path / "tls")
        tcp = Dialog(daemon.sip_port, "tcp")
        ok, ports = tcp.start(PLAIN_OFFER)
        plain_call_then_bye(daemon, tcp, ports, clips, tmp_path)
        evicted = [index for index, s in enumerate(silent) if closed(s, 0.2)]
        assert evicted == [0, 1], f"closed to make room: silent connections {evicted} (0-7 on the TLS port, oldest first)"
        assert metric(daemon, "siprecd_sip_tcp_evicted_total") == 2
    finally:
        for s in silent:
            s.close()
        if tls_src is not None:
            tls_src.close()


# ---- config check and start-up ------------------------------------------------------

LISTEN_TLS = '[sip]\nlisten = ["udp:127.0.0.1:5060", "tcp:127.0.0.1:5060", "tls:127.0.0.1:5061"]\n'


def check_config(tmp_path, text: str) -> tuple[int, str]:
    cfg = tmp_path / "tls.toml"
    cfg.write_text(text)
    out = siprecd_cli("config", "check", str(cfg))
    return out.returncode, out.stdout + out.stderr


def tls_section(cert, key, ca) -> str:
    return f'[tls]\ncertificate = "{cert}"\nkey = "{key}"\nclientCA = "{ca}"\n' + LISTEN_TLS


@pytest.mark.parametrize("case,key", [
    ("missing certificate", "tls.certificate"),
    ("certificate not PEM", "tls.certificate"),
    ("key of another certificate", "tls.key"),
    ("missing key", "tls.key"),
    ("expired certificate", "tls.certificate"),
    ("missing clientCA", "tls.clientCA"),
])
def test_config_check_refuses_tls_files_that_cannot_serve_and_names_the_key(pki, tmp_path, case, key):
    cert, key_file, ca = pki.server.cert, pki.server.key, pki.ca.cert
    if case == "missing certificate":
        cert = tmp_path / "missing.pem"
    elif case == "certificate not PEM":
        cert = tmp_path / "garbage.pem"
        cert.write_text("this is not a certificate\n")
    elif case == "key of another certificate":
        key_file = pki.mismatched_key
    elif case == "missing key":
        key_file = tmp_path / "missing.key"
    elif case == "expired certificate":
        cert, key_file = pki.server_expired.cert, pki.server_expired.key
    elif case == "missing clientCA":
        ca = tmp_path / "missing-ca.pem"
    code, output = check_config(tmp_path, tls_section(cert, key_file, ca))
    assert code == 1, f"config check accepted a {case} (exit {code}): {output}"
    assert key in output, f"the message for a {case} does not name {key}: {output}"
    if case == "expired certificate":
        assert "expired" in output.lower(), output


def test_config_check_accepts_good_tls_files_and_warns_of_a_certificate_expiring_within_30_days(pki, tmp_path):
    code, output = check_config(tmp_path, tls_section(pki.server_both.cert, pki.server_both.key, pki.ca.cert))
    assert code == 0, output
    assert not [line for line in output.splitlines() if "warning:" in line and "tls" in line.lower()], output
    # A certificate for server authentication only works, but siprecd's reconnects to a strict SBC would not.
    code, output = check_config(tmp_path, tls_section(pki.server.cert, pki.server.key, pki.ca.cert))
    assert code == 0, output
    [warning] = [line for line in output.splitlines() if "warning:" in line]
    assert "server authentication only" in warning and "clientAuth" in warning, output
    code, output = check_config(tmp_path, tls_section(pki.server_expiring.cert, pki.server_expiring.key, pki.ca.cert))
    assert code == 0, f"a certificate valid for 10 more days was refused: {output}"
    warnings = [line for line in output.splitlines() if "warning:" in line]
    assert any(("tls.certificate" in line or str(pki.server_expiring.cert) in line) and re.search(r"(?i)expir", line)
               for line in warnings), output


def names_the_missing_certificate(output: str) -> bool:
    """The message says the TLS section's certificate is what is missing ("tls.certificate", or "[tls]"
    with "certificate")."""
    return "tls.certificate" in output or ("[tls]" in output and "certificate" in output)


def test_a_tls_listener_without_a_certificate_is_refused_by_config_check_and_at_start(tmp_path):
    code, output = check_config(tmp_path, LISTEN_TLS)
    assert code == 1 and names_the_missing_certificate(output), f"exit {code}: {output}"
    would_be = Daemon(tmp_path / "no-certificate", None, tls=True)      # --sip-tls, no [tls] section
    try:
        run = subprocess.run(would_be.cmd, capture_output=True, text=True, timeout=30)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"siprecd started with a TLS listener and no certificate: {' '.join(would_be.cmd)}") from None
    assert run.returncode != 0 and names_the_missing_certificate(run.stdout + run.stderr), (run.returncode, run.stderr[-2000:])
    assert not list(would_be.data_dir.iterdir()), "siprecd wrote to its data directory before refusing the configuration"


# ---- the SDES policy ----------------------------------------------------------------

def test_sdes_keys_over_plain_sip_still_get_488_while_the_same_offer_over_tls_records(daemon_factory, pki, clips, tmp_path):
    """Without sdesOverPlainSIP, RTP/SAVP with a=crypto over plain UDP and TCP is refused with the reason;
    over TLS the same offer is answered and recorded."""
    daemon = daemon_factory(tls_config(pki, media_='capture = "socket"\n'), tls=True)
    for transport in ("udp", "tcp"):
        key = Keyed("AES_CM_128_HMAC_SHA1_80")
        plain = Dialog(daemon.sip_port, transport)
        reply = plain.request("INVITE", secure_offer(key.crypto(), key.crypto()), "application/sdp", expect=488)
        assert "sdesOverPlainSIP" in reply, reply
        plain.ack(plain.cseq)
        plain.close()
        assert key.inline not in daemon.log()
    secure_call(daemon, tls_dialog(daemon, pki), clips, tmp_path)


def test_srtp_required_refuses_plain_rtp_even_from_a_tls_src(daemon_factory, pki, clips, tmp_path):
    daemon = daemon_factory(tls_config(pki, media_='srtp = "required"\ncapture = "socket"\n'), tls=True)
    dialog = tls_dialog(daemon, pki)
    reply = dialog.request("INVITE", PLAIN_OFFER, "application/sdp", expect=488)
    assert 'srtp = "required"' in reply, reply
    dialog.ack(dialog.cseq)
    dialog.close()
    secure_call(daemon, tls_dialog(daemon, pki), clips, tmp_path)
