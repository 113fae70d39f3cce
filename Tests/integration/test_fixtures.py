"""Real SIPREC bodies from the field, sent to the real daemon inside an INVITE over UDP.

Each fixture must be answered (or refused) correctly, and the recording it opens must name the right
caller and callee. No RTP is sent, so each recording ends `failed` with "No RTP media received" — which
is itself what a user of a recorder must see for such a call.
"""

from __future__ import annotations

import socket
import time
import uuid
from pathlib import Path

import pytest

import sipraw

FIXTURES = Path(__file__).resolve().parents[1] / "Support" / "Fixtures" / "vendor-bodies"

# fixture -> (m-lines answered with a port, direction in the answer, caller label, callee label, warning)
CASES = {
    "acme-siprec-offer.txt": (2, "recvonly", "16777227", "16777228", None),
    "broadworks-offer-2.txt": (2, "recvonly", "10", "20", None),
    "cisco-siprec-offer.txt": (2, "recvonly", "1", "2", None),
    "inactive-sdp-offer.txt": (2, "inactive", "1", "2", None),
    "connectel-offer.txt": (2, "recvonly", "1", "2", None),
    "connectel-offer2.txt": (2, "recvonly", "1", "2", None),
    "procomm-siprec-offer.txt": (2, "recvonly", "a_leg", "b_leg", None),
    # Ribbon/Sonus: callData names the original caller, who sends on the second m-line.
    "sonus-siprec-offer.txt": (2, "recvonly", "2", "1", None),
    # Damaged in transit: the call is still recorded, channels by SDP order, with the reason kept.
    "broadworks-offer.txt": (1, "recvonly", "1", None, "metadataInvalid"),
    "non-siprec-payload.txt": (1, "recvonly", "1", None, None),
}


def invite_for(fixture: str, sip_port: int, local_port: int, call_id: str) -> bytes:
    body = (FIXTURES / fixture).read_bytes()
    multipart = fixture != "non-siprec-payload.txt"
    if multipart:
        first = next(line for line in body.splitlines() if line.startswith(b"--"))
        content_type = f"multipart/mixed;boundary={first[2:].strip().decode()}"
    else:
        body = body.lstrip()
        content_type = "application/sdp"
    extra = "Require: siprec\r\n" if multipart else ""
    head = (f"INVITE sip:recorder@srs.example.com SIP/2.0\r\n"
            f"Via: SIP/2.0/UDP 127.0.0.1:{local_port};branch=z9hG4bK-{uuid.uuid4().hex[:12]};rport\r\n"
            f"Max-Forwards: 70\r\n"
            f"From: <sip:src@127.0.0.1>;tag=fx{uuid.uuid4().hex[:6]}\r\n"
            f"To: <sip:recorder@srs.example.com>\r\n"
            f"Call-ID: {call_id}\r\n"
            f"CSeq: 1 INVITE\r\n"
            f"Contact: <sip:src@127.0.0.1:{local_port}>{';+sip.src' if multipart else ''}\r\n"
            f"{extra}"
            f"Content-Type: {content_type}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n")
    return head.encode() + body


def final_response(sock: socket.socket, timeout: float = 5.0) -> bytes:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        sock.settimeout(max(0.05, deadline - time.monotonic()))
        data, _ = sock.recvfrom(65535)
        code, _ = sipraw.parse_response(data)
        if code >= 200:
            return data
    raise AssertionError("no final response to the INVITE")


def in_dialog(method: str, ok: bytes, sip_port: int, local_port: int, call_id: str, cseq: int) -> bytes:
    head = ok.split(b"\r\n\r\n", 1)[0].decode()
    from_line = next(l for l in head.split("\r\n") if l.lower().startswith("from:"))
    to_line = next(l for l in head.split("\r\n") if l.lower().startswith("to:"))
    return (f"{method} sip:siprecd@127.0.0.1:{sip_port} SIP/2.0\r\n"
            f"Via: SIP/2.0/UDP 127.0.0.1:{local_port};branch=z9hG4bK-{uuid.uuid4().hex[:12]};rport\r\n"
            f"Max-Forwards: 70\r\n{from_line}\r\n{to_line}\r\nCall-ID: {call_id}\r\n"
            f"CSeq: {cseq} {method}\r\nContent-Length: 0\r\n\r\n").encode()


@pytest.mark.parametrize("fixture", sorted(CASES))
def test_field_body_is_answered_and_mapped(daemon, fixture):
    answered, direction, caller_label, callee_label, warning = CASES[fixture]
    call_id = f"fixture-{uuid.uuid4().hex[:10]}@127.0.0.1"
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        sock.bind(("127.0.0.1", 0))
        local_port = sock.getsockname()[1]
        sock.sendto(invite_for(fixture, daemon.sip_port, local_port, call_id), ("127.0.0.1", daemon.sip_port))
        ok = final_response(sock)
        code, headers = sipraw.parse_response(ok)
        assert code == 200, f"{fixture}: INVITE answered {code}, expected 200"
        assert headers.get("content-type") == "application/sdp", f"{fixture}: answer is {headers.get('content-type')}"
        sdp = ok.split(b"\r\n\r\n", 1)[1].decode()
        mlines = [l for l in sdp.split("\r\n") if l.startswith("m=")]
        accepted = [l for l in mlines if l.split()[1] != "0"]
        assert len(accepted) == answered, f"{fixture}: {len(accepted)} m-lines accepted, expected {answered}:\n{sdp}"
        assert sdp.count(f"a={direction}") == answered, f"{fixture}: answer is not {direction}:\n{sdp}"
        sock.sendto(in_dialog("ACK", ok, daemon.sip_port, local_port, call_id, 1), ("127.0.0.1", daemon.sip_port))
        sock.sendto(in_dialog("BYE", ok, daemon.sip_port, local_port, call_id, 2), ("127.0.0.1", daemon.sip_port))
        bye_code, _ = sipraw.parse_response(final_response(sock))
        assert bye_code == 200, f"{fixture}: BYE answered {bye_code}"
    finally:
        sock.close()

    rec = daemon.wait_for_state(call_id, "failed", timeout=20)
    assert rec["reason"] == "No RTP media received", f"{fixture}: reason {rec['reason']!r}"
    parts = {p["role"]: p for p in rec["meta"]["recordingsPartsInfo"]}
    assert str(parts["caller"]["label"]) == caller_label, f"{fixture}: caller is {parts['caller']}"
    if callee_label is not None:
        assert str(parts["callee"]["label"]) == callee_label, f"{fixture}: callee is {parts['callee']}"
    assert parts["caller"]["channel"] == 0, f"{fixture}: the caller is not the master's first channel"
    assert rec["channelAssignment"]["reason"], f"{fixture}: channel assignment is not explained"
    if warning:
        assert warning in rec["warnings"], f"{fixture}: warnings {rec['warnings']} lack {warning}"
        assert rec.get("metadataError"), f"{fixture}: the metadata problem is not reported"
    elif fixture != "non-siprec-payload.txt":
        assert "metadataInvalid" not in rec["warnings"], f"{fixture}: metadata refused: {rec.get('metadataError')}"
        assert rec["participants"], f"{fixture}: no participants from the metadata"


RULES_CONFIG = """[media]
capture = "socket"
[[rules]]
destUser = "nomatch*"
role = "wrong"
[[rules]]
destUser = "rec*"
role = "agent"
callKey = "header:X-ConversationId"
"""


def test_recording_rule_takes_the_call_key_from_a_header(daemon_factory):
    daemon = daemon_factory(RULES_CONFIG)
    call_id = f"rule-{uuid.uuid4().hex[:10]}@127.0.0.1"
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        sock.bind(("127.0.0.1", 0))
        local_port = sock.getsockname()[1]
        invite = invite_for("cisco-siprec-offer.txt", daemon.sip_port, local_port, call_id)
        invite = invite.replace(b"CSeq: 1 INVITE\r\n", b"CSeq: 1 INVITE\r\nX-ConversationId: conv-4711\r\n", 1)
        sock.sendto(invite, ("127.0.0.1", daemon.sip_port))
        ok = final_response(sock)
        assert sipraw.parse_response(ok)[0] == 200
        sock.sendto(in_dialog("ACK", ok, daemon.sip_port, local_port, call_id, 1), ("127.0.0.1", daemon.sip_port))
        sock.sendto(in_dialog("BYE", ok, daemon.sip_port, local_port, call_id, 2), ("127.0.0.1", daemon.sip_port))
        final_response(sock)
    finally:
        sock.close()
    rec = daemon.wait_for_state(call_id, "failed", timeout=20)
    assert rec["callKey"] == "conv-4711", f"callKey {rec.get('callKey')!r}, the INVITE carried X-ConversationId: conv-4711"
    assert rec["role"] == "agent", f"role {rec.get('role')!r}: the second rule (rec*) should have matched"
