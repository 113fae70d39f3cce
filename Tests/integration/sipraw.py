"""Hand-made SIP messages over raw sockets (for malformed-input tests)."""

from __future__ import annotations

import random
import socket
import time
import uuid


def build_request(method: str, sip_port: int, local_port: int, transport: str = "UDP",
                  start_line: str | None = None, body: bytes = b"",
                  content_length: int | None = None, extra: str = "") -> bytes:
    branch = f"z9hG4bK-{uuid.uuid4().hex[:16]}"
    line = start_line or f"{method} sip:recorder@127.0.0.1:{sip_port} SIP/2.0"
    length = len(body) if content_length is None else content_length
    head = (f"{line}\r\n"
            f"Via: SIP/2.0/{transport} 127.0.0.1:{local_port};branch={branch};rport\r\n"
            f"Max-Forwards: 70\r\n"
            f"From: <sip:tester@127.0.0.1>;tag={random.randint(1, 10**9)}\r\n"
            f"To: <sip:recorder@127.0.0.1>\r\n"
            f"Call-ID: raw-{uuid.uuid4().hex}@127.0.0.1\r\n"
            f"CSeq: 1 {method}\r\n"
            f"{extra}"
            f"Content-Length: {length}\r\n\r\n")
    return head.encode() + body


def parse_response(data: bytes) -> tuple[int, dict[str, str]]:
    head = data.split(b"\r\n\r\n", 1)[0].decode(errors="replace").split("\r\n")
    parts = head[0].split(" ", 2)
    assert len(parts) >= 2 and parts[0] == "SIP/2.0" and parts[1].isdigit(), (
        f"not a SIP response: {head[0]!r}")
    headers = {}
    for line in head[1:]:
        key, _, value = line.partition(":")
        headers.setdefault(key.strip().lower(), value.strip())
    return int(parts[1]), headers


def udp_request(sip_port: int, method: str, timeout: float = 5.0, **kwargs) -> tuple[int, dict[str, str]] | None:
    """Send one request over UDP; return the first final response (or None)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        sock.bind(("127.0.0.1", 0))
        data = build_request(method, sip_port, sock.getsockname()[1], **kwargs)
        sock.sendto(data, ("127.0.0.1", sip_port))
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            sock.settimeout(left)
            try:
                reply, _ = sock.recvfrom(65535)
            except socket.timeout:
                return None
            code, headers = parse_response(reply)
            if code >= 200:
                return code, headers
    finally:
        sock.close()


def udp_send_raw(port: int, payloads: list[bytes], source_port: int = 0) -> None:
    """Sends datagrams to a loopback port, from `source_port` when given (shared with the socket already
    bound there, which must have SO_REUSEPORT too: the same sender as far as the receiver can tell)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        if source_port:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            sock.bind(("127.0.0.1", source_port))
        for p in payloads:
            sock.sendto(p, ("127.0.0.1", port))
    finally:
        sock.close()
