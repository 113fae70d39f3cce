"""re-INVITE glare (issue 7), with RTP flowing all along:
- an offer arriving before the ACK that carries the SRC's answer to *our* offer (its re-INVITE had no SDP)
  is answered 491 Request Pending; after the ACK the same change goes through;
- a re-INVITE sent before the ACK of the previous re-INVITE's 200 completes that one: its 200 is no longer
  retransmitted, and the session goes on;
and the recording is bit for bit what was sent."""

from __future__ import annotations

import re
import socket
import threading
import time

from calls import hang_up_and_check
from rtp_sender import RtpStream, send_concurrently
from sipdialog import SDP, Dialog


def responses(dialog: Dialog, seconds: float) -> list[str]:
    out, deadline = [], time.monotonic() + seconds
    while time.monotonic() < deadline:
        dialog.sock.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            out.append(dialog.sock.recv(65535).decode(errors="replace"))
        except socket.timeout:
            break
    dialog.sock.settimeout(5)
    return out


def final_to(dialog: Dialog, cseq: int, timeout: float = 5) -> str:
    """The first final response for CSeq `cseq` (others, e.g. 2xx retransmissions, are skipped)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        reply = dialog.sock.recv(65535).decode(errors="replace")
        if re.search(rf"^CSeq:\s*{cseq}\s", reply, re.M | re.I) and int(reply.split(" ", 2)[1]) >= 200:
            return reply
    raise AssertionError(f"no final response for CSeq {cseq}")


def ack_failure(dialog: Dialog, response: str) -> None:
    """The ACK for a non-2xx final response: part of the INVITE transaction (its Via branch and CSeq)."""
    via = re.search(r"^Via:.*$", response, re.M | re.I).group(0)
    to = re.search(r"^To:.*$", response, re.M | re.I).group(0)
    cseq = re.search(r"^CSeq:\s*(\d+)", response, re.M | re.I).group(1)
    message = (f"ACK sip:recorder@srs.example.com SIP/2.0\r\n{via}\r\nMax-Forwards: 70\r\n"
               f"From: <sip:src@127.0.0.1>;tag={dialog.from_tag}\r\n{to}\r\nCall-ID: {dialog.call_id}\r\n"
               f"CSeq: {cseq} ACK\r\nContent-Length: 0\r\n\r\n")
    dialog.sock.sendto(message.encode(), ("127.0.0.1", dialog.sip_port))


def reinvite(dialog: Dialog, sdp: str = "") -> int:
    dialog.sock.sendto(dialog.build("INVITE", sdp, "application/sdp" if sdp else ""), ("127.0.0.1", dialog.sip_port))
    return dialog.cseq


def test_reinvite_glare_with_rtp_flowing(daemon_factory, clips, tmp_path):
    daemon = daemon_factory('[media]\ncapture = "socket"\n')
    d = Dialog(daemon.sip_port)
    ok = d.request("INVITE", SDP, "application/sdp")
    d.ack(1)
    ports = [int(p) for p in re.findall(r"^m=audio (\d+)", ok, re.M)]
    caller, callee = RtpStream(clips["caller"], ports[0], 250), RtpStream(clips["callee"], ports[1], 250)
    sender = threading.Thread(target=send_concurrently, args=([caller, callee],), daemon=True)
    sender.start()
    time.sleep(0.5)

    # 1. A re-INVITE without SDP: our 200 carries an offer, the SRC's answer is due in the ACK.
    offerless = reinvite(d)
    ours = final_to(d, offerless)
    assert ours.startswith("SIP/2.0 200") and "m=audio" in ours
    #    Before that ACK, the SRC sends an offer of its own: glare, 491.
    crossing = reinvite(d, SDP)
    answer = final_to(d, crossing)
    assert answer.startswith("SIP/2.0 491 Request Pending"), answer.splitlines()[0]
    ack_failure(d, answer)
    #    The ACK with the answer, then the retried change goes through.
    d.ack(offerless, SDP)
    retried = reinvite(d, SDP)
    assert final_to(d, retried).startswith("SIP/2.0 200")
    d.ack(retried)

    # 2. A re-INVITE before the ACK of the previous one's 200: the earlier 200 stops being retransmitted.
    first = reinvite(d, SDP)
    assert final_to(d, first).startswith("SIP/2.0 200")
    second = reinvite(d, SDP)
    assert final_to(d, second).startswith("SIP/2.0 200")
    d.ack(second)
    later = responses(d, 3.0)       # T1 = 500 ms: an unacknowledged 200 would come again at 0.5, 1.5, 3.5 s
    again = [r for r in later if re.search(rf"^CSeq:\s*{first}\s", r, re.M | re.I)]
    assert not again, f"the 200 to CSeq {first} was retransmitted {len(again)} times after CSeq {second}"
    stray = [r.splitlines()[0] for r in later if not r.startswith("SIP/2.0 200")]
    assert not stray, f"the 491 was acknowledged, yet: {stray}"

    sender.join(30)
    hang_up_and_check(daemon, d, caller, callee, tmp_path)
