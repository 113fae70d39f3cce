"""A raw SIPREC dialog over UDP (the conference and SRC-misbehaviour tests): requests built by hand so a
test can send what sipp will not (partial metadata UPDATEs, retransmission storms, BYE before ACK)."""

from __future__ import annotations

import re
import socket
import uuid


class Dialog:
    def __init__(self, sip_port: int) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(5)
        self.local = self.sock.getsockname()[1]
        self.sip_port = sip_port
        self.call_id = f"raw-{uuid.uuid4().hex[:10]}@127.0.0.1"
        self.from_tag = uuid.uuid4().hex[:8]
        self.to_tag = ""
        self.cseq = 0

    def build(self, method: str, body: str = "", content_type: str = "") -> bytes:
        """The next request of the dialog, as bytes (a new CSeq and branch)."""
        self.cseq += 1
        to = f"<sip:recorder@srs.example.com>" + (f";tag={self.to_tag}" if self.to_tag else "")
        head = (f"{method} sip:recorder@srs.example.com SIP/2.0\r\n"
                f"Via: SIP/2.0/UDP 127.0.0.1:{self.local};branch=z9hG4bK-{uuid.uuid4().hex[:12]};rport\r\n"
                f"Max-Forwards: 70\r\nFrom: <sip:src@127.0.0.1>;tag={self.from_tag}\r\nTo: {to}\r\n"
                f"Call-ID: {self.call_id}\r\nCSeq: {self.cseq} {method}\r\n"
                f"Contact: <sip:src@127.0.0.1:{self.local}>;+sip.src\r\n"
                + ("Require: siprec\r\n" if method == "INVITE" else "")
                + (f"Content-Type: {content_type}\r\n" if body else "")
                + f"Content-Length: {len(body.encode())}\r\n\r\n")
        return head.encode() + body.encode()

    def ack(self, cseq: int, body: str = "", content_type: str = "application/sdp") -> None:
        """The ACK for the 2xx to the INVITE with `cseq` (an ACK carries the INVITE's CSeq number)."""
        saved = self.cseq
        self.cseq = cseq - 1
        self.sock.sendto(self.build("ACK", body, content_type if body else ""), ("127.0.0.1", self.sip_port))
        self.cseq = saved

    def request(self, method: str, body: str = "", content_type: str = "") -> str:
        self.sock.sendto(self.build(method, body, content_type), ("127.0.0.1", self.sip_port))
        return "" if method == "ACK" else self.final_response(method)

    def final_response(self, method: str) -> str:
        """Reads until the final response; 200 expected (the INVITE's To tag is kept)."""
        while True:
            reply = self.sock.recv(65535).decode(errors="replace")
            code = int(reply.split(" ", 2)[1])
            if code >= 200:
                assert code == 200, f"{method} answered {reply.splitlines()[0]}"
                if method == "INVITE":
                    self.to_tag = re.search(r"^To:.*;tag=([^;\r\n]+)", reply, re.M | re.I).group(1)
                return reply


def multipart(sdp: str, metadata: str) -> str:
    return (f"--B\r\nContent-Type: application/sdp\r\n\r\n{sdp}\r\n--B\r\nContent-Type: application/rs-metadata+xml\r\n"
            f"Content-Disposition: recording-session\r\n\r\n{metadata}\r\n--B--\r\n")


SDP = ("v=0\r\no=src 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
       "m=audio 40000 RTP/AVP 0\r\na=sendonly\r\na=label:1\r\nm=audio 40002 RTP/AVP 8\r\na=sendonly\r\na=label:2\r\n")
