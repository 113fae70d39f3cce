"""A raw SIPREC dialog over UDP, TCP or TLS (the conference, SRC-misbehaviour and field-dialect tests): requests
built by hand so a test can send what sipp will not (partial metadata UPDATEs, retransmission storms, BYE
before ACK, delayed offers, session timers), and requests siprecd sends inside the dialog (OPTIONS probes,
session refreshes, BYE) answered as a real SRC would."""

from __future__ import annotations

import re
import socket
import ssl
import uuid

STREAM_TRANSPORTS = ("tcp", "tls")


class Dialog:
    def __init__(self, sip_port: int, transport: str = "udp", host: str = "127.0.0.1",
                 domain: str = "srs.example.com", ssl_context: ssl.SSLContext | None = None,
                 server_hostname: str | None = "localhost", scheme: str = "sip") -> None:
        """`host`: the loopback address the SRC sends from (127.0.0.2 … to test `[sip] allow`); `domain`: the
        Request-URI host, which names the tenant. TLS (`sip_port` is then the daemon's TLS port): the
        connection is made with `ssl_context` (the SRC's certificate and trust) and handshaken at once,
        `server_hostname` is the name checked in the server's certificate (None: no SNI, for a context that
        does not check names); framed as TCP. `scheme`: "sips" puts sips: URIs in the Request-URI, To and
        Contact."""
        assert transport in ("udp", "tcp", "tls"), transport
        assert scheme in ("sip", "sips"), scheme
        self.transport = transport
        self.host = host
        self.domain = domain
        self.scheme = scheme
        if transport in STREAM_TRANSPORTS:
            self.sock = socket.create_connection(("127.0.0.1", sip_port), timeout=5, source_address=(host, 0))
            if transport == "tls":
                assert ssl_context is not None, "a TLS dialog needs an ssl_context"
                try:
                    self.sock = ssl_context.wrap_socket(self.sock, server_hostname=server_hostname)
                except BaseException:
                    self.sock.close()
                    raise
        else:
            self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            self.sock.bind((host, 0))
        self.sock.settimeout(5)
        self.local = self.sock.getsockname()[1]
        self.sip_port = sip_port
        self.call_id = f"raw-{uuid.uuid4().hex[:10]}@127.0.0.1"
        self.from_tag = uuid.uuid4().hex[:8]
        self.to_tag = ""
        self.cseq = 0
        self.buffer = b""
        # How requests from siprecd are answered, by method (200 when not listed); None: not answered.
        self.answers: dict[str, int | None] = {}
        # Requests siprecd sent in the dialog, as received (start line and headers).
        self.received_requests: list[str] = []
        # The head (start line and headers) of the last request built.
        self.last_request = ""

    # ---- sending ------------------------------------------------------------
    def build(self, method: str, body: str = "", content_type: str = "", extra: str = "") -> bytes:
        """The next request of the dialog, as bytes (a new CSeq and branch)."""
        self.cseq += 1
        to = f"<{self.scheme}:recorder@{self.domain}>" + (f";tag={self.to_tag}" if self.to_tag else "")
        via = self.transport.upper()
        # A sips: Contact implies TLS (RFC 5630 §3.1.3: no transport=tls with sips).
        contact_transport = f";transport={self.transport}" if self.transport in STREAM_TRANSPORTS and self.scheme == "sip" else ""
        head = (f"{method} {self.scheme}:recorder@{self.domain} SIP/2.0\r\n"
                f"Via: SIP/2.0/{via} {self.host}:{self.local};branch=z9hG4bK-{uuid.uuid4().hex[:12]};rport\r\n"
                f"Max-Forwards: 70\r\nFrom: <sip:src@{self.host}>;tag={self.from_tag}\r\nTo: {to}\r\n"
                f"Call-ID: {self.call_id}\r\nCSeq: {self.cseq} {method}\r\n"
                f"Contact: <{self.scheme}:src@{self.host}:{self.local}{contact_transport}>;+sip.src\r\n"
                + ("Require: siprec\r\n" if method == "INVITE" and not self.to_tag else "")
                + extra
                + (f"Content-Type: {content_type}\r\n" if body else "")
                + f"Content-Length: {len(body.encode())}\r\n\r\n")
        self.last_request = head
        return head.encode() + body.encode()

    def send_raw(self, data: bytes) -> None:
        if self.transport in STREAM_TRANSPORTS:
            self.sock.sendall(data)
        else:
            self.sock.sendto(data, ("127.0.0.1", self.sip_port))

    def ack(self, cseq: int, body: str = "", content_type: str = "application/sdp") -> None:
        """The ACK for the 2xx to the INVITE with `cseq` (an ACK carries the INVITE's CSeq number)."""
        saved = self.cseq
        self.cseq = cseq - 1
        self.send_raw(self.build("ACK", body, content_type if body else ""))
        self.cseq = saved

    def start(self, offer: str, extra: str = "") -> tuple[str, list[int]]:
        """INVITE with `offer` (SDP), ACK; returns the 200 OK and the RTP ports it answered."""
        ok = self.request("INVITE", offer, "application/sdp", extra=extra)
        self.ack(self.cseq)
        return ok, answered_ports(ok)

    def reinvite(self, offer: str, extra: str = "") -> str:
        """A re-INVITE with `offer` and its ACK; returns the 200 OK."""
        ok = self.request("INVITE", offer, "application/sdp", extra=extra)
        self.ack(self.cseq)
        return ok

    def request(self, method: str, body: str = "", content_type: str = "", extra: str = "",
                expect: int | None = 200) -> str:
        """Sends a request; returns its final response (asserting `expect`, unless None)."""
        self.send_raw(self.build(method, body, content_type, extra))
        return "" if method == "ACK" else self.final_response(method, expect)

    # ---- receiving ----------------------------------------------------------
    def receive(self) -> str:
        """The next SIP message from siprecd (TCP and TLS: framed by Content-Length)."""
        if self.transport not in STREAM_TRANSPORTS:
            return self.sock.recv(65535).decode(errors="replace")
        while True:
            head_end = self.buffer.find(b"\r\n\r\n")
            if head_end >= 0:
                head = self.buffer[:head_end].decode(errors="replace")
                match = re.search(r"^(?:Content-Length|l)\s*:\s*(\d+)", head, re.M | re.I)
                total = head_end + 4 + (int(match.group(1)) if match else 0)
                if len(self.buffer) >= total:
                    message, self.buffer = self.buffer[:total], self.buffer[total:]
                    return message.decode(errors="replace")
            chunk = self.sock.recv(65535)
            if not chunk:
                raise ConnectionError(f"siprecd closed the SIP/{self.transport.upper()} connection")
            self.buffer += chunk

    def answer_request(self, message: str) -> None:
        """Answers a request siprecd sent in the dialog (OPTIONS probe, UPDATE refresh, BYE)."""
        self.received_requests.append(message.split("\r\n\r\n", 1)[0])
        method = message.split(" ", 1)[0]
        status = self.answers.get(method, 200)
        if status is None or method == "ACK":
            return
        head = message.split("\r\n\r\n", 1)[0].split("\r\n")
        keep = [line for line in head[1:] if re.match(r"^(Via|v|From|f|To|t|Call-ID|i|CSeq)\s*:", line, re.I)]
        response = f"SIP/2.0 {status} {'OK' if status == 200 else 'Call/Transaction Does Not Exist' if status == 481 else 'Error'}\r\n"
        response += "\r\n".join(keep) + "\r\nContent-Length: 0\r\n\r\n"
        self.send_raw(response.encode())

    def serve(self, seconds: float) -> None:
        """Answers whatever siprecd sends for `seconds` (an SRC idling in a held call)."""
        import time
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.sock.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                message = self.receive()
            except (socket.timeout, TimeoutError):
                continue
            if not message.startswith("SIP/2.0"):
                self.answer_request(message)
        self.sock.settimeout(5)

    def final_response(self, method: str, expect: int | None = 200) -> str:
        """Reads until the final response (answering requests siprecd sends meanwhile); the INVITE's To tag
        is kept."""
        while True:
            reply = self.receive()
            if not reply.startswith("SIP/2.0"):
                self.answer_request(reply)
                continue
            code = int(reply.split(" ", 2)[1])
            if code >= 200:
                if expect is not None:
                    assert code == expect, f"{method} answered {reply.splitlines()[0]}"
                if method == "INVITE" and code < 300 and not self.to_tag:
                    self.to_tag = re.search(r"^(?:To|t)\s*:.*;tag=([^;\r\n]+)", reply, re.M | re.I).group(1)
                return reply

    def close(self) -> None:
        self.sock.close()


def multipart(sdp: str, metadata: str) -> str:
    return (f"--B\r\nContent-Type: application/sdp\r\n\r\n{sdp}\r\n--B\r\nContent-Type: application/rs-metadata+xml\r\n"
            f"Content-Disposition: recording-session\r\n\r\n{metadata}\r\n--B--\r\n")


def answered_ports(reply: str) -> list[int]:
    """The m= ports of the SDP in a response (or request)."""
    return [int(p) for p in re.findall(r"^m=audio (\d+)", reply, re.M)]


def sdp(*streams: tuple[int, str, str], connection: str = "127.0.0.1", extra: str = "") -> str:
    """An SRC's SDP: one m-line per (port, formats, direction) with labels 1, 2, …; the rtpmaps of the
    formats siprecd may see (PCMU 0, PCMA 8, telephone-event 101, G729 18, G722 9; GSM 3, which siprecd does
    not decode: the tests' codec that cannot be recorded; G.726 at 32/16/24/40 kbit/s on 96–99, AAL2-G726-32 on 100; AMR
    octet-aligned on 110, bandwidth-efficient on 111)."""
    maps = {"0": "PCMU/8000", "8": "PCMA/8000", "101": "telephone-event/8000", "18": "G729/8000", "9": "G722/8000",
            "3": "GSM/8000", "96": "G726-32/8000", "97": "G726-16/8000", "98": "G726-24/8000", "99": "G726-40/8000",
            "100": "AAL2-G726-32/8000", "110": "AMR/8000", "111": "AMR/8000"}
    fmtps = {"110": "octet-align=1; mode-set=0,2,5,7", "111": "mode-change-capability=2"}
    text = f"v=0\r\no=src 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 {connection}\r\nt=0 0\r\n{extra}"
    for index, (port, formats, direction) in enumerate(streams):
        text += f"m=audio {port} RTP/AVP {formats}\r\n"
        for pt in formats.split():
            text += f"a=rtpmap:{pt} {maps[pt]}\r\n"
            if pt in fmtps:
                text += f"a=fmtp:{pt} {fmtps[pt]}\r\n"
        text += f"a={direction}\r\na=label:{index + 1}\r\n"
    return text


SDP = ("v=0\r\no=src 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
       "m=audio 40000 RTP/AVP 0\r\na=sendonly\r\na=label:1\r\nm=audio 40002 RTP/AVP 8\r\na=sendonly\r\na=label:2\r\n")
