"""Logging to journald with the native protocol, read from a real datagram socket standing in for
/run/systemd/journal/socket: structured fields per entry (PRIORITY, SYSLOG_IDENTIFIER, RECORDING_ID,
CALL_ID, …), and a message repeated in a burst is suppressed and counted instead of flooding the journal."""

from __future__ import annotations

import socket
import struct
import time
import uuid
from pathlib import Path

import sipraw
from conftest import Daemon
from sipp_call import SippCall


def parse(datagram: bytes) -> dict[str, str]:
    fields, pos = {}, 0
    while pos < len(datagram):
        end = datagram.index(b"\n", pos)
        line = datagram[pos:end]
        if b"=" in line:
            name, _, value = line.partition(b"=")
            fields[name.decode()] = value.decode()
            pos = end + 1
        else:                                            # binary form: NAME\n<u64 le length><value>\n
            length = struct.unpack("<Q", datagram[end + 1:end + 9])[0]
            fields[line.decode()] = datagram[end + 9:end + 9 + length].decode()
            pos = end + 9 + length + 1
    return fields


def entries(sock: socket.socket) -> list[dict[str, str]]:
    out = []
    while True:
        try:
            out.append(parse(sock.recv(65536)))
        except BlockingIOError:
            return out


def bad_invite(sip_port: int) -> None:
    sdp = b"v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 18\r\na=rtpmap:18 G729/8000\r\n"
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    message = sipraw.build_request("INVITE", sip_port, sock.getsockname()[1], body=sdp,
                                   extra="Content-Type: application/sdp\r\nContact: <sip:src@127.0.0.1>\r\n")
    sock.sendto(message, ("127.0.0.1", sip_port))
    sock.close()


def test_structured_entries_and_rate_limited_repeats(tmp_path):
    path = tmp_path / "journal.sock"
    journal = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    journal.bind(str(path))
    journal.setblocking(False)
    daemon = Daemon(tmp_path / "siprecd", '[media]\ncapture = "socket"\n')
    daemon.env = {"SIPRECD_JOURNAL_SOCKET": str(path)}
    try:
        daemon.start()
        call = SippCall(daemon.sip_port, "udp", tmp_path / "call", pauses_ms=(300, 0, 0)).start()
        call.wait(timeout=30)
        rec = daemon.wait_for_state(call.call_id, "failed")
        time.sleep(0.5)
        got = entries(journal)
        started = [e for e in got if e.get("MESSAGE") == "recording started"]
        assert started, [e.get("MESSAGE") for e in got]
        entry = started[0]
        assert entry["RECORDING_ID"] == rec["recordingId"] and entry["CALL_ID"] == call.call_id, entry
        assert entry["PRIORITY"] == "6" and entry["SYSLOG_IDENTIFIER"] == "siprecd" and entry["CODE_FILE"], entry
        failed = [e for e in got if e.get("MESSAGE") == "recording failed"]
        assert failed and failed[0]["REASON"] == "No RTP media received", failed
        # A burst of 60 refused sessions: at most 10 entries a second, then a count of the rest. (Even a
        # loaded machine handles them within a few seconds, far fewer than 60 entries.)
        for _ in range(60):
            bad_invite(daemon.sip_port)
        time.sleep(1.5)
        bad_invite(daemon.sip_port)
        time.sleep(0.5)
        refused = [e for e in entries(journal) if e.get("MESSAGE", "").startswith("session refused")]
        assert 10 <= len(refused) <= 45, len(refused)
        assert all(e["PRIORITY"] == "4" for e in refused)
        assert any("repeats suppressed" in e["MESSAGE"] for e in refused), [e["MESSAGE"] for e in refused]
    finally:
        daemon.stop()
        journal.close()
