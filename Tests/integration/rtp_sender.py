"""A small, exact RTP sender for the integration tests.

Every packet is 12-byte RTP header + 160 bytes of G.711 (20 ms at 8 kHz).
Packets are paced against time.monotonic() targets derived from the RTP
timestamp, so there is no cumulative sleep drift.  A pause (an SBC stream
going inactive and coming back) sends nothing for N ms; the next packet's
timestamp is advanced by exactly the paused samples (N * 8) while the
sequence number stays contiguous.  Everything sent is recorded, so the
expected recording can be computed exactly.
"""

from __future__ import annotations

import random
import socket
import struct
import threading
import time
from dataclasses import dataclass, field

import numpy as np

from media import SAMPLE_RATE, SAMPLES_PER_PACKET, Clip


@dataclass
class SentPacket:
    seq: int
    ts: int
    clip_offset: int      # index of the payload's first sample in the clip
    wall_time: float      # time.time() when sent


@dataclass
class RtpStream:
    clip: Clip
    dest_port: int
    packet_count: int
    # {packet index: pause in ms}: before sending packet #index, stay silent.
    pauses: dict[int, int] = field(default_factory=dict)
    dest_host: str = "127.0.0.1"
    ssrc: int = field(default_factory=lambda: random.randint(1, 0xFFFFFFFF))
    # Chosen so that neither sequence nor timestamp wraps during a test.
    first_seq: int = field(default_factory=lambda: random.randint(0, 60000))
    first_ts: int = field(default_factory=lambda: random.randint(0, 0x7FFFFFFF))
    # From packet #index on, send from a new socket (another source port): an SBC fail-over.
    new_source_at: int | None = None
    # The source port (SO_REUSEPORT, so a test can send other datagrams from the same sender); 0: any.
    source_port: int = 0
    # {packet index: callable}: run in the sender thread just before packet #index (e.g. a re-INVITE).
    before: dict = field(default_factory=dict)
    # {packet index: payload type}: packets sent with another payload type than the clip's (a clip whose
    # packets mix codecs, e.g. media.mixed_clip).
    payload_types: dict = field(default_factory=dict)
    # RTP timestamp units (8 kHz samples) per packet: 160 for 20 ms, more for packets of several frames.
    samples_per_packet: int = SAMPLES_PER_PACKET
    # SRTP: turns each RTP packet into what goes on the wire (e.g. a pylibsrtp session's protect).
    protect: object = None
    sent: list[SentPacket] = field(default_factory=list)
    error: BaseException | None = None

    def __post_init__(self) -> None:
        for index, ms in self.pauses.items():
            assert ms % 20 == 0 and 0 < index < self.packet_count, "pause must be n*20 ms inside the stream"

    def schedule(self) -> list[tuple[int, int, int]]:
        """(seq, ts, clip_offset) of every packet, pauses applied."""
        out, ts = [], self.first_ts
        for i in range(self.packet_count):
            if i in self.pauses:
                ts += self.pauses[i] * SAMPLE_RATE // 1000
            out.append(((self.first_seq + i) & 0xFFFF, ts & 0xFFFFFFFF, i * self.samples_per_packet))
            ts += self.samples_per_packet
        return out

    def run(self, start_monotonic: float | None = None) -> None:
        payloads = self.clip.packets(self.packet_count)
        start = start_monotonic if start_monotonic is not None else time.monotonic()
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            if self.source_port:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            sock.bind(("127.0.0.1", self.source_port))
            for index, (seq, ts, offset) in enumerate(self.schedule()):
                if index in self.before:
                    self.before[index]()
                if index == self.new_source_at:
                    sock.close()
                    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                    sock.bind(("127.0.0.1", 0))
                target = start + (ts - self.first_ts) / SAMPLE_RATE
                delay = target - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                marker = 0x80 if index == 0 or index in self.pauses else 0
                header = struct.pack("!BBHII", 0x80, marker | self.payload_types.get(index, self.clip.payload_type),
                                     seq, ts, self.ssrc)
                packet = header + payloads[index]
                sock.sendto(self.protect(packet) if self.protect else packet, (self.dest_host, self.dest_port))
                self.sent.append(SentPacket(seq, ts, offset, time.time()))
        finally:
            sock.close()

    # ---- expectations -------------------------------------------------
    @property
    def span_samples(self) -> int:
        """Samples from the first sent sample to the end of the last packet."""
        assert self.sent, "no RTP packet was sent"
        return self.sent[-1].ts - self.sent[0].ts + self.samples_per_packet

    def expected_samples(self) -> np.ndarray:
        """What the recording must contain from the stream's startSample on:
        each packet's decoded payload at (ts - first ts), zeros elsewhere."""
        out = np.zeros(self.span_samples, dtype=np.int16)
        base = self.sent[0].ts
        for p in self.sent:
            at = p.ts - base
            out[at:at + self.samples_per_packet] = self.clip.decoded[p.clip_offset:p.clip_offset + self.samples_per_packet]
        return out

    @property
    def first_wall_time(self) -> float:
        return self.sent[0].wall_time


def send_concurrently(streams: list[RtpStream], timeout: float = 120.0) -> None:
    """Send all streams in parallel threads starting at the same instant."""
    start = time.monotonic() + 0.05

    def worker(stream: RtpStream) -> None:
        try:
            stream.run(start)
        except BaseException as exc:  # reported below
            stream.error = exc

    threads = [threading.Thread(target=worker, args=(s,), daemon=True) for s in streams]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
        assert not t.is_alive(), "RTP sender thread did not finish"
    for s in streams:
        if s.error is not None:
            raise AssertionError(f"RTP sender to port {s.dest_port} failed: {s.error!r}")
        assert len(s.sent) == s.packet_count, f"only {len(s.sent)} of {s.packet_count} RTP packets sent"


def send_lockstep(streams: list[RtpStream], after: dict | None = None, just_before: dict | None = None) -> None:
    """Sends every stream from this one thread: packet i of each stream back to back, paced on its RTP
    timestamp, so the order against signalling is exact. `after[i]()` runs right after packet i of every
    stream was sent (a re-INVITE or BYE with no gap behind the last packet), `just_before[i]()` right before
    packet i is sent (after the pacing sleep). The streams need the same packet count and pauses. A stream's
    `protect` (SRTP) applies as in `RtpStream.run`; its `before` hooks do not run here."""
    after, just_before = after or {}, just_before or {}
    count = streams[0].packet_count
    assert all(s.packet_count == count and s.pauses == streams[0].pauses for s in streams), "streams must be alike"
    payloads = [s.clip.packets(count) for s in streams]
    schedules = [s.schedule() for s in streams]
    socks = []
    try:
        for s in streams:
            sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            sock.bind(("127.0.0.1", s.source_port))
            socks.append(sock)
        start = time.monotonic() + 0.05
        for i in range(count):
            target = start + (schedules[0][i][1] - streams[0].first_ts) / SAMPLE_RATE
            delay = target - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            if i in just_before:
                just_before[i]()
            for s, sock, schedule, pay in zip(streams, socks, schedules, payloads):
                seq, ts, offset = schedule[i]
                marker = 0x80 if i == 0 or i in s.pauses else 0
                pt = s.payload_types.get(i, s.clip.payload_type)
                packet = struct.pack("!BBHII", 0x80, marker | pt, seq, ts, s.ssrc) + pay[i]
                sock.sendto(s.protect(packet) if s.protect else packet, (s.dest_host, s.dest_port))
                s.sent.append(SentPacket(seq, ts, offset, time.time()))
            if i in after:
                after[i]()
    finally:
        for sock in socks:
            sock.close()
