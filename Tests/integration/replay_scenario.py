"""SIPREC calls with known audio, written as capture files for `siprecd replay`."""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

import media
import pcapgen
from rtp_sender import RtpStream, SentPacket

BASE_NS = 1_763_900_000_000_000_000  # a fixed capture start (2025-11)
METADATA = """<?xml version="1.0" encoding="UTF-8"?>
<recording xmlns="urn:ietf:params:xml:ns:recording:1">
  <datamode>complete</datamode>
  <session session_id="c2Vzc2lvbg=="><sipSessionID>replay-session</sipSessionID></session>
  <participant participant_id="YWxpY2U="><nameID aor="sip:alice@example.com"><name>Alice</name></nameID></participant>
  <participant participant_id="Ym9i"><nameID aor="sip:bob@example.com"><name>Bob</name></nameID></participant>
  <stream stream_id="c3Qx" session_id="c2Vzc2lvbg=="><label>1</label></stream>
  <stream stream_id="c3Qy" session_id="c2Vzc2lvbg=="><label>2</label></stream>
  <participantstreamassoc participant_id="YWxpY2U="><send>c3Qx</send></participantstreamassoc>
  <participantstreamassoc participant_id="Ym9i"><send>c3Qy</send></participantstreamassoc>
  {padding}
</recording>
"""


@dataclass
class Scenario:
    ipv6: bool = False
    vlans: tuple[int, ...] = ()
    link: int = pcapgen.LINKTYPE_ETHERNET
    sip_over_tcp: bool = False
    fragmented_invite: bool = False
    loss: tuple[int, ...] = ()
    duplicates: tuple[int, ...] = ()
    reorder: tuple[int, ...] = ()       # packet i arrives after packet i + 1
    packets: int = 150
    pcapng: bool = False
    call_id: str = "replay-call-1@src.example.com"
    # {caller packet index: (digit code, duration in samples)}: an RFC 4733 event starting at that packet.
    dtmf: dict[int, tuple[int, int]] = field(default_factory=dict)
    streams: list[RtpStream] = field(default_factory=list)
    # (first packet after the pause, pause ms): the SRC's a=inactive re-INVITE 0.1 ms after the last packet
    # before it (both streams), the a=sendonly one 5 ms before the first after it.
    pause: tuple[int, int] | None = None
    # The BYE 0.1 ms after the last packet instead of 200 ms.
    tight_bye: bool = False
    # Each m-line's formats and their a=rtpmap/a=fmtp lines (the SRC's offer and the SRS's answer alike).
    formats: tuple[tuple[str, str], tuple[str, str]] = (
        ("0 101", "a=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n"), ("8", "a=rtpmap:8 PCMA/8000\r\n"))
    # What the caller and callee send (clips or test_codecs.CodedClip; each names its payload type), when
    # not the fixture's PCMU and PCMA clips.
    sent: tuple | None = None
    # SRTP: the m-lines' profile, the attribute lines each m-line of the offer and of the answer adds
    # (a=crypto, a=fingerprint), and what protects each stream's packets (e.g. a pylibsrtp session's protect).
    proto: str = "RTP/AVP"
    offer_lines: tuple[str, str] = ("", "")
    answer_lines: tuple[str, str] = ("", "")
    protect: tuple = ()
    # A re-key: from packet `rekey_at` on both streams are protected by `rekey_protect`, announced by a
    # re-INVITE (offer and answer with `rekey_offer_lines` / `rekey_answer_lines`) 5 ms before that packet.
    rekey_at: int | None = None
    rekey_offer_lines: tuple[str, str] = ("", "")
    rekey_answer_lines: tuple[str, str] = ("", "")
    rekey_protect: tuple = ()

    @property
    def src(self) -> str:
        return "fd00::1" if self.ipv6 else "10.0.0.1"

    @property
    def srs(self) -> str:
        return "fd00::2" if self.ipv6 else "10.0.0.2"

    def sdp(self, host: str, ports: tuple[int, int], direction: str, lines: tuple[str, str] | None = None) -> str:
        family = "IP6" if self.ipv6 else "IP4"
        text = f"v=0\r\no=- 1 1 IN {family} {host}\r\ns=-\r\nc=IN {family} {host}\r\nt=0 0\r\n"
        extra = lines or (self.offer_lines if host == self.src else self.answer_lines)
        for index, (port, (formats, maps)) in enumerate(zip(ports, self.formats)):
            text += f"m=audio {port} {self.proto} {formats}\r\n{maps}a=label:{index + 1}\r\na={direction}\r\n{extra[index]}"
        return text

    def sip(self, start: str, headers: list[str], body: str = "", content_type: str | None = None) -> bytes:
        lines = [start] + headers
        if content_type:
            lines.append(f"Content-Type: {content_type}")
        lines.append(f"Content-Length: {len(body.encode())}")
        return ("\r\n".join(lines) + "\r\n\r\n" + body).encode()

    def write(self, clips: dict[str, media.Clip], path: Path) -> Path:
        b = pcapgen.FrameBuilder(self.link, self.vlans)
        src_sip, srs_sip = (self.src, 5060), (self.srs, 5060)
        host = f"[{self.srs}]" if self.ipv6 else self.srs
        transport = "TCP" if self.sip_over_tcp else "UDP"
        common = [f"Via: SIP/2.0/{transport} {'[' + self.src + ']' if self.ipv6 else self.src}:5060;branch=z9hG4bK-replay1",
                  "From: <sip:src@src.example.com>;tag=src1", "To: <sip:recorder@srs.example.com>",
                  f"Call-ID: {self.call_id}"]
        padding = "<!-- " + "x" * 3000 + " -->" if self.fragmented_invite else ""
        body = ("--B\r\nContent-Type: application/sdp\r\n\r\n" + self.sdp(self.src, (40000, 40002), "sendonly")
                + "\r\n--B\r\nContent-Type: application/rs-metadata+xml\r\nContent-Disposition: recording-session\r\n\r\n"
                + METADATA.replace("{padding}", padding) + "\r\n--B--\r\n")
        invite = self.sip(f"INVITE sip:recorder@{host} SIP/2.0", common + [
            "CSeq: 1 INVITE", "Require: siprec", f"Contact: <sip:src@{'[' + self.src + ']' if self.ipv6 else self.src}>;+sip.src"],
            body, "multipart/mixed;boundary=B")
        ok = self.sip("SIP/2.0 200 OK", common[:2] + ["To: <sip:recorder@srs.example.com>;tag=srs1", common[3],
                      "CSeq: 1 INVITE", f"Contact: <sip:srs@{host}>;+sip.srs"],
                      self.sdp(self.srs, (30000, 30002), "recvonly"), "application/sdp")
        to_tag = ["To: <sip:recorder@srs.example.com>;tag=srs1"]
        ack = self.sip(f"ACK sip:srs@{host} SIP/2.0", common[:2] + to_tag + [common[3], "CSeq: 1 ACK"])
        bye = self.sip(f"BYE sip:srs@{host} SIP/2.0", common[:2] + to_tag + [common[3], "CSeq: 2 BYE"])
        records: list[tuple[int, bytes]] = []
        seq = {"c2s": 1000, "s2c": 5000}

        def send_sip(at: int, data: bytes, to_srs: bool) -> None:
            a, z = (src_sip, srs_sip) if to_srs else (srs_sip, src_sip)
            if not self.sip_over_tcp:
                records.extend((at, f) for f in b.udp(a, z, data))
                return
            key = "c2s" if to_srs else "s2c"
            # Split across three segments, the middle one out of order.
            third = max(1, len(data) // 3)
            pieces = [(0, data[:third]), (2 * third, data[2 * third:]), (third, data[third:2 * third])]
            for n, (offset, piece) in enumerate(pieces):
                records.extend((at + n * 1000, f) for f in b.tcp(a, z, seq[key] + offset, piece))
            seq[key] += len(data)

        send_sip(BASE_NS, invite, True)
        send_sip(BASE_NS + 20_000_000, ok, False)
        send_sip(BASE_NS + 30_000_000, ack, True)
        rtp_start = BASE_NS + 100_000_000
        pauses = {self.pause[0]: self.pause[1]} if self.pause else {}
        caller_clip, callee_clip = self.sent or (clips["caller"], clips["callee"])
        self.streams = [RtpStream(caller_clip, 30000, self.packets, pauses=dict(pauses)),
                        RtpStream(callee_clip, 30002, self.packets, pauses=dict(pauses))]

        def arrival(stream_index: int, packet: int) -> int:
            """Packets arrive on their RTP timestamps' schedule; the callee's 0.3 ms after the caller's."""
            stream = self.streams[stream_index]
            ts = stream.schedule()[packet][1]
            return rtp_start + (ts - stream.first_ts) * 1_000_000_000 // 8000 + stream_index * 300_000

        if self.pause:
            first_after = self.pause[0]
            for cseq, direction, at in ((2, "inactive", arrival(1, first_after - 1) + 100_000),
                                        (3, "sendonly", arrival(0, first_after) - 5_000_000)):
                reinvite = self.sip(f"INVITE sip:srs@{host} SIP/2.0", common[:2] + to_tag + [common[3], f"CSeq: {cseq} INVITE"],
                                    self.sdp(self.src, (40000, 40002), direction), "application/sdp")
                answer = self.sip("SIP/2.0 200 OK", common[:2] + to_tag + [common[3], f"CSeq: {cseq} INVITE"],
                                  self.sdp(self.srs, (30000, 30002), "recvonly" if direction == "sendonly" else "inactive"),
                                  "application/sdp")
                reack = self.sip(f"ACK sip:srs@{host} SIP/2.0", common[:2] + to_tag + [common[3], f"CSeq: {cseq} ACK"])
                send_sip(at, reinvite, True)
                send_sip(at + 2_000_000 if direction == "inactive" else at + 1_000_000, answer, False)
                send_sip(at + 3_000_000 if direction == "inactive" else at + 2_000_000, reack, True)
            bye = bye.replace(b"CSeq: 2 BYE", b"CSeq: 4 BYE")
        if self.rekey_at is not None:
            at = arrival(0, self.rekey_at) - 5_000_000
            reinvite = self.sip(f"INVITE sip:srs@{host} SIP/2.0", common[:2] + to_tag + [common[3], "CSeq: 2 INVITE"],
                                self.sdp(self.src, (40000, 40002), "sendonly", self.rekey_offer_lines), "application/sdp")
            answer = self.sip("SIP/2.0 200 OK", common[:2] + to_tag + [common[3], "CSeq: 2 INVITE"],
                              self.sdp(self.srs, (30000, 30002), "recvonly", self.rekey_answer_lines), "application/sdp")
            reack = self.sip(f"ACK sip:srs@{host} SIP/2.0", common[:2] + to_tag + [common[3], "CSeq: 2 ACK"])
            send_sip(at, reinvite, True)
            send_sip(at + 1_000_000, answer, False)
            send_sip(at + 2_000_000, reack, True)
            bye = bye.replace(b"CSeq: 2 BYE", b"CSeq: 3 BYE")
        rtp: list[tuple[int, bytes]] = []
        for n, stream in enumerate(self.streams):
            payloads = stream.clip.packets(self.packets)
            frames = []
            for i, (sq, ts, offset) in enumerate(stream.schedule()):
                at = arrival(n, i)
                header = struct.pack("!BBHII", 0x80, stream.clip.payload_type | (0x80 if i == 0 else 0), sq, ts, stream.ssrc)
                protect = self.rekey_protect if self.rekey_at is not None and i >= self.rekey_at else self.protect
                packet = protect[n](header + payloads[i]) if protect else header + payloads[i]
                frame = b.udp((self.src, 40000 + 2 * n), (self.srs, stream.dest_port), packet)[0]
                if i in self.loss:
                    continue
                stream.sent.append(SentPacket(sq, ts, offset, at / 1e9))
                frames.append((at, frame, i))
            for i in self.reorder:  # swap arrival order, keep the arrival times
                a = next(k for k, f in enumerate(frames) if f[2] == i)
                frames[a], frames[a + 1] = (frames[a][0], frames[a + 1][1], i + 1), (frames[a + 1][0], frames[a][1], i)
            for at, frame, i in frames:
                rtp.append((at, frame))
                if i in self.duplicates:
                    rtp.append((at + 1_000, frame))
            if n == 0:
                schedule = stream.schedule()
                for index, (code, duration) in self.dtmf.items():
                    sq0, ts0, _ = schedule[index]
                    # Progress packets every 20 ms, then the end packet three times (RFC 4733 §2.5.1.4).
                    steps = list(range(160, duration, 160)) + [duration] * 3
                    for k, dur in enumerate(steps):
                        end = 0x80 if dur == duration else 0
                        payload = struct.pack("!BBH", code, end | 10, dur)
                        header = struct.pack("!BBHII", 0x80, 101 | (0x80 if k == 0 else 0), (sq0 + 30000 + k) & 0xFFFF,
                                             ts0, stream.ssrc)
                        at = rtp_start + index * 20_000_000 + k * 20_000_000 + 5_000
                        rtp.append((at, b.udp((self.src, 40000), (self.srs, stream.dest_port), header + payload)[0]))
        records.extend(rtp)
        end = arrival(1, self.packets - 1) + 100_000 if self.tight_bye else rtp_start + self.packets * 20_000_000 + 200_000_000
        send_sip(end, bye, True)
        records.sort(key=lambda r: r[0])
        (pcapgen.write_pcapng if self.pcapng else pcapgen.write_pcap)(path, self.link, records)
        return path
