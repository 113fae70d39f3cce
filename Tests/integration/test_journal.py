"""Logging to journald with the native protocol, read from a real datagram socket standing in for
/run/systemd/journal/socket: structured fields per entry (PRIORITY, SYSLOG_IDENTIFIER, RECORDING_ID,
CALL_ID, …), and a message repeated in a burst is suppressed and counted instead of flooding the journal."""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
import time
import uuid
from pathlib import Path

import pytest

import sipraw
from conftest import Daemon
from sipp_call import SippCall
from calls import record_call


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


class Journal:
    """Stands in for journald: a datagram socket read continuously (its queue is only
    net.unix.max_dgram_qlen entries deep, 10 by default), keeping every entry."""

    def __init__(self, path: Path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(str(path))
        self.sock.settimeout(0.1)
        self.got: list[dict[str, str]] = []
        self.reading = threading.Event()
        self.reading.set()
        self.closed = False
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        while not self.closed:
            if not self.reading.is_set():
                time.sleep(0.05)
                continue
            try:
                self.got.append(parse(self.sock.recv(65536)))
            except (TimeoutError, socket.timeout):
                pass

    def messages(self, prefix: str) -> list[dict[str, str]]:
        return [e for e in list(self.got) if e.get("MESSAGE", "").startswith(prefix)]

    def wait_for(self, prefix: str, timeout: float = 10) -> list[dict[str, str]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not self.messages(prefix):
            time.sleep(0.1)
        return self.messages(prefix)

    def close(self) -> None:
        self.closed = True
        self.thread.join()
        self.sock.close()


def bad_invite(sip_port: int) -> None:
    sdp = b"v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 3\r\na=rtpmap:3 GSM/8000\r\n"
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    message = sipraw.build_request("INVITE", sip_port, sock.getsockname()[1], body=sdp,
                                   extra="Content-Type: application/sdp\r\nContact: <sip:src@127.0.0.1>\r\n")
    sock.sendto(message, ("127.0.0.1", sip_port))
    sock.close()


@contextlib.contextmanager
def logging_to_journal(tmp_path: Path):
    """A running siprecd whose log goes to a Journal."""
    path = tmp_path / "journal.sock"
    journal = Journal(path)
    daemon = Daemon(tmp_path / "siprecd", '[media]\ncapture = "socket"\n')
    daemon.env = {"SIPRECD_JOURNAL_SOCKET": str(path)}
    try:
        daemon.start()
        yield journal, daemon
    finally:
        daemon.stop()
        journal.close()


def test_structured_entries_and_rate_limited_repeats(tmp_path):
    with logging_to_journal(tmp_path) as (journal, daemon):
        call = SippCall(daemon.sip_port, "udp", tmp_path / "call", pauses_ms=(300, 0, 0)).start()
        call.wait(timeout=30)
        rec = daemon.wait_for_state(call.call_id, "failed")
        started = journal.wait_for("recording started")
        assert started, [e.get("MESSAGE") for e in journal.got]
        entry = started[0]
        assert entry["RECORDING_ID"] == rec["recordingId"] and entry["CALL_ID"] == call.call_id, entry
        assert entry["PRIORITY"] == "6" and entry["SYSLOG_IDENTIFIER"] == "siprecd" and entry["CODE_FILE"], entry
        failed = journal.wait_for("recording failed")
        assert failed and failed[0]["REASON"] == "No RTP media received", failed
        # A burst of 60 refused sessions: at most 10 entries a second, then, once that second is over, one
        # entry with the count of the rest; every one of the 60 is accounted for.
        for _ in range(60):
            bad_invite(daemon.sip_port)
        journal.wait_for("session refused: ")
        # Every summary in (a burst that spans a second boundary has two, the last one written up to a
        # second after the burst): the plain entries are those that are not summaries.
        deadline = time.monotonic() + 10
        while True:
            summaries = journal.messages("session refused: ")
            refused = [e for e in journal.messages("session refused") if e not in summaries]
            suppressed = sum(int(e["SIPRECD_SUPPRESSED"]) for e in summaries)
            if len(refused) + suppressed >= 60 or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        time.sleep(1.5)   # nothing more may come
        summaries = journal.messages("session refused: ")
        refused = [e for e in journal.messages("session refused") if e not in summaries]
        assert summaries, [e["MESSAGE"] for e in refused]
        assert all(e["PRIORITY"] == "4" for e in refused + summaries)
        suppressed = sum(int(e["SIPRECD_SUPPRESSED"]) for e in summaries)
        assert all(e["MESSAGE"] == f"session refused: {e['SIPRECD_SUPPRESSED']} repeats suppressed" for e in summaries)
        assert len(refused) + suppressed == 60 and len(refused) <= 45, (len(refused), suppressed)


def test_a_stalled_journal_never_blocks_a_call(tmp_path, clips):
    """journald behind (its socket queue full, nobody reading): the daemon drops log entries instead of
    waiting, records the call bit-exact, and once journald reads again the first entry says how many
    were lost."""
    qlen = int(Path("/proc/sys/net/unix/max_dgram_qlen").read_text())
    if qlen > 100:
        pytest.skip(f"net.unix.max_dgram_qlen is {qlen}: filling the queue at ≤ 10 entries a second takes too long")
    with logging_to_journal(tmp_path) as (journal, daemon):
        journal.wait_for("siprecd ready")
        journal.reading.clear()
        time.sleep(0.3)
        for _ in range(qlen + 20):                  # distinct calls: fills the queue whatever its depth
            bad_invite(daemon.sip_port)
            time.sleep(0.11)                         # ≤ 10 a second: none is suppressed as a repeat
        rec, *_ = record_call(daemon, clips, tmp_path / "call", 150)     # both channels checked bit-exact
        assert rec["state"] == "ready"
        journal.reading.set()
        busy = journal.wait_for("journal busy: ")
        assert busy, [e.get("MESSAGE") for e in journal.got][-5:]
        assert int(busy[0]["SIPRECD_DROPPED_ENTRIES"]) >= 20 and busy[0]["PRIORITY"] == "4"

