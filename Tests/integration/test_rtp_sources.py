"""RTP from an unexpected source (issue 7): a stream records one sender. A second sender aiming loud RTP at
a recorded port during the call is counted and dropped, and the call is recorded bit for bit; an SRC that
fails over to a new source port after a quiet half second is followed, with nothing lost on either side."""

from __future__ import annotations

import re
import socket
import struct
import threading
import time

import pytest

from calls import hang_up_and_check, record_call
from checks import part_for
from rtp_sender import RtpStream, send_concurrently
from sipdialog import SDP, Dialog

SOCKET_CONFIG = '[media]\ncapture = "socket"\n'
PCAP_CONFIG = '[media]\ncapture = "pcap"\ninterface = "lo"\n'


def reception(rec: dict, role: str) -> dict:
    label = part_for(rec, role)["label"]
    matching = [r for r in rec["reception"] if str(r["label"]) == str(label)]
    assert len(matching) == 1, rec["reception"]
    return matching[0]


class StraySender:
    """Full-scale µ-law (0x00) at the real cadence, another SSRC, from its own port."""

    def __init__(self, port: int, packets: int, delay: float):
        self.port, self.packets, self.delay, self.sent = port, packets, delay, 0
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        time.sleep(self.delay)
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.bind(("127.0.0.1", 0))
        start = time.monotonic()
        for i in range(self.packets):
            time.sleep(max(0.0, start + i * 0.02 + 0.01 - time.monotonic()))   # between the SRC's packets
            sock.sendto(struct.pack("!BBHII", 0x80, 0, 1000 + i, 160 * i, 0xBADC0DE) + b"\x00" * 160,
                        ("127.0.0.1", self.port))
            self.sent += 1
        sock.close()

    def join(self) -> int:
        self.thread.join(30)
        return self.sent


@pytest.mark.parametrize("config", [SOCKET_CONFIG, PCAP_CONFIG], ids=["socket", "pcap"])
def test_a_second_sender_on_a_recorded_port_is_not_recorded(daemon_factory, clips, tmp_path, config):
    if config is PCAP_CONFIG and not hasattr(socket, "AF_PACKET"):
        pytest.skip("no AF_PACKET")
    daemon = daemon_factory(config)
    strays: list[StraySender] = []

    def inject(_rec_id, ports):
        # Starts once the SRC's own RTP is flowing; 2 s of noise at both ports, interleaved with the SRC's.
        strays.extend(StraySender(port, 100, 0.3) for port in ports)

    rec, *_ = record_call(daemon, clips, tmp_path, 150, during=inject)   # both channels bit-exact
    sent = [s.join() for s in strays]
    assert sent == [100, 100]
    for role in ("caller", "callee"):
        r = reception(rec, role)
        assert r["foreignSource"] == 100 and r["sourceChanges"] == 0, r
        assert part_for(rec, role)["packets"] == 150, part_for(rec, role)
    status = daemon.api_json("/api/v1/status")
    assert status["drops"]["foreignSource"] == 200, status["drops"]
    metrics = daemon.api_get("/metrics").body.decode()
    assert "siprecd_rtp_dropped_foreign_source_total 200\n" in metrics


def test_an_src_that_fails_over_to_a_new_source_port_is_followed(daemon_factory, clips, tmp_path):
    daemon = daemon_factory(SOCKET_CONFIG)
    # The caller stream moves to another source port after packet 75, following a 1 s silence; its
    # sequence numbers and timestamps continue (the fail-over keeps the RTP session).
    rec, _wav, caller, _callee, _ = record_call(daemon, clips, tmp_path, 150,
                                                caller_options={"pauses": {75: 1000}, "new_source_at": 75})
    r = reception(rec, "caller")
    assert r["sourceChanges"] == 1 and r["foreignSource"] == 0, r
    assert part_for(rec, "caller")["packets"] == 150 and part_for(rec, "caller")["lost"] == 0
    assert reception(rec, "callee")["sourceChanges"] == 0


def test_media_moved_by_a_reinvite_is_followed_at_once(daemon_factory, clips, tmp_path):
    """The SRC re-INVITEs and sends from a new source port 100 ms later, well inside the 0.5 s a stray sender
    would have to wait: the renegotiation re-opens the choice, so nothing is dropped."""
    daemon = daemon_factory(SOCKET_CONFIG)
    d = Dialog(daemon.sip_port)
    ok = d.request("INVITE", SDP, "application/sdp")
    d.ack(1)
    ports = [int(p) for p in re.findall(r"^m=audio (\d+)", ok, re.M)]

    def reinvite():
        d.request("INVITE", SDP, "application/sdp")
        d.ack(d.cseq)

    caller = RtpStream(clips["caller"], ports[0], 150, pauses={75: 100}, new_source_at=75, before={75: reinvite})
    callee = RtpStream(clips["callee"], ports[1], 150)
    send_concurrently([caller, callee])
    time.sleep(0.5)
    rec, _ = hang_up_and_check(daemon, d, caller, callee, tmp_path)
    r = reception(rec, "caller")
    assert r["sourceChanges"] == 1 and r["foreignSource"] == 0, r
