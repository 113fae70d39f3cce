#!/usr/bin/env python3
"""Seed corpora for the fuzz targets from the repository's fixtures (scripts/fuzz.sh calls this):

    python3 scripts/fuzz_corpus.py OUTDIR

OUTDIR/<target>/ gets the real SIPREC bodies (as multipart bodies, as SDP and XML parts, inside SIP
INVITEs), the field capture, RTP and framed packets cut from it, the REST bodies from docs/api.md's
examples, and the shipped configuration; plus every regression input in Tests/fuzz/<target>/.
"""

from __future__ import annotations

import re
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    out = Path(sys.argv[1])
    seeds: dict[str, list[bytes]] = {t: [] for t in ("sip", "sdp", "multipart", "metadata", "rtp", "reassembler",
                                                      "packet", "pcap", "json", "rest", "config")}
    for body_file in sorted((ROOT / "Tests/Support/Fixtures/vendor-bodies").glob("*.txt")):
        body = body_file.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        boundary = re.search(rb"--([^\r\n]+)", body)
        if not boundary:
            continue
        seeds["multipart"].append(boundary.group(1) + b"\n" + body)
        for part in body.split(b"--" + boundary.group(1)):
            head, _, content = part.partition(b"\r\n\r\n")
            if b"application/sdp" in head:
                seeds["sdp"].append(content)
            elif b"xml" in head:
                seeds["metadata"].append(content)
        seeds["sip"].append(b"INVITE sip:recorder@srs.example.com SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1\r\n"
                            b"From: <sip:src@10.0.0.1>;tag=1\r\nTo: <sip:recorder@srs.example.com>\r\nCall-ID: seed@10.0.0.1\r\n"
                            b"CSeq: 1 INVITE\r\nContact: <sip:src@10.0.0.1>;+sip.src\r\nRequire: siprec\r\n"
                            b"Content-Type: multipart/mixed;boundary=" + boundary.group(1) + b"\r\n"
                            b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
    # An SRTP offer with SDES keys (RFC 4568's example key; every suite, MKI, lifetime, session parameters).
    seeds["sdp"].append(b"v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n"
                        b"m=audio 4000 RTP/SAVP 0 101\r\na=label:1\r\n"
                        b"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:4;"
                        b"inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz|2^20|2:4 KDR=0 WSH=128\r\n"
                        b"a=crypto:2 AEAD_AES_256_GCM inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKis=\r\n"
                        b"m=audio 4002 RTP/SAVPF 8\r\na=crypto:3 AEAD_AES_128_GCM inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGw== UNENCRYPTED_SRTCP -X=1\r\n")
    capture = (ROOT / "Tests/integration/fixtures/sip_rtp.pcap").read_bytes()
    seeds["pcap"].append(capture)
    # Frames of the capture: Ethernet frames for `packet` (first byte 1 = Ethernet), UDP payloads as RTP.
    little = capture[:4] == b"\xd4\xc3\xb2\xa1"
    at, frames = 24, []
    while at + 16 <= len(capture) and len(frames) < 400:
        length = struct.unpack(("<" if little else ">") + "I", capture[at + 8:at + 12])[0]
        frames.append(capture[at + 16:at + 16 + length])
        at += 16 + length
    for frame in frames[:40]:
        seeds["packet"].append(bytes([1]) + frame)
    rtp = [f[42:] for f in frames if len(f) > 54 and f[42] >> 6 == 2]
    seeds["rtp"] += rtp[:20]
    stream = b"".join(bytes([min(255, len(p))]) + struct.pack(">H", i) + p[:255] for i, p in enumerate(rtp[:50]))
    seeds["reassembler"].append(stream)
    # A G.729 stream (payload type 18): two 10-byte frames per packet, then one ending with a 2-byte SID.
    g729 = [struct.pack(">BBHII", 0x80, 18, i, i * 160, 0x729) + bytes((i * 7 + j) & 0xFF for j in range(20 if i < 9 else 22))
            for i in range(10)]
    seeds["reassembler"].append(b"".join(bytes([len(p)]) + struct.pack(">H", i) + p for i, p in enumerate(g729)))
    # G.726-32 (96, 80 bytes a packet) then G.726-40 (97, 100 bytes), and a 40 kbit/s payload that is no whole sample.
    g726 = [struct.pack(">BBHII", 0x80, 96 if i < 5 else 97, i, i * 160, 0x726) + bytes((i * 11 + j) & 0xFF for j in range(80 if i < 5 else 100))
            for i in range(10)] + [struct.pack(">BBHII", 0x80, 97, 10, 1600, 0x726) + bytes(7)]
    seeds["reassembler"].append(b"".join(bytes([len(p)]) + struct.pack(">H", i) + p for i, p in enumerate(g726)))
    # AMR: bandwidth-efficient (98, one 12.2 kbit/s frame, 32 bytes) and octet-aligned (99, two frames: 12.2
    # and SID), then a reserved frame type (12) and a ToC that never ends.
    def noise(i: int, n: int) -> bytes:
        return bytes((i * 13 + j * 7) & 0xFF for j in range(n))
    amr = [struct.pack(">BBHII", 0x80, 98, i, i * 160, 0xA3) + bytes([0xF3, 0xC0 | noise(i, 1)[0] & 0x3F]) + noise(i, 29) + bytes([noise(i, 1)[0] & 0xFC])
           for i in range(5)]
    amr += [struct.pack(">BBHII", 0x80, 99, i, i * 320, 0xA3) + bytes([0xF0, 0xBC, 0x44]) + noise(i, 30) + bytes([0x10]) + noise(i, 5)
            for i in range(5, 9)]
    amr += [struct.pack(">BBHII", 0x80, 99, 9, 2880, 0xA3) + bytes([0xF0, 0x64]), struct.pack(">BBHII", 0x80, 98, 10, 3040, 0xA3) + bytes([0xFF] * 9)]
    seeds["reassembler"].append(b"".join(bytes([len(p)]) + struct.pack(">H", i) + p for i, p in enumerate(amr)))
    # G.722 (9, 160 octets) and AAL2-G726-24 (100, 60 octets), then an AAL2 payload that is no whole sample.
    wide = [struct.pack(">BBHII", 0x80, 9 if i < 4 else 100, i, i * 160, 0x722) + noise(i, 160 if i < 4 else 60) for i in range(8)]
    wide.append(struct.pack(">BBHII", 0x80, 100, 8, 1280, 0x722) + noise(8, 7))
    seeds["reassembler"].append(b"".join(bytes([len(p)]) + struct.pack(">H", i) + p for i, p in enumerate(wide)))
    # Opus (111, 48 kHz clock): code-0 packets of 20 ms (TOC 0x08: SILK NB 20 ms), a code-3 packet of three
    # frames, and two that do not parse (code 3 without its count byte, a code-2 length past the end).
    op = [struct.pack(">BBHII", 0x80, 111, i, i * 960, 0x0905) + bytes([0x08]) + noise(i, 30) for i in range(5)]
    op.append(struct.pack(">BBHII", 0x80, 111, 5, 4800, 0x0905) + bytes([0x0B, 0x03]) + noise(5, 30))
    op += [struct.pack(">BBHII", 0x80, 111, 6, 7680, 0x0905) + bytes([0x03]),
           struct.pack(">BBHII", 0x80, 111, 7, 8640, 0x0905) + bytes([0x02, 0xFC, 1, 2])]
    seeds["reassembler"].append(b"".join(bytes([len(p)]) + struct.pack(">H", i) + p for i, p in enumerate(op)))
    # AMR-WB on a 16 kHz clock: 12.65 kbit/s bandwidth-efficient (112, 33 bytes), then octet-aligned SID +
    # NO_DATA (113), then a reserved frame type (12).
    wb = [struct.pack(">BBHII", 0x80, 112, i, i * 320, 0xB1) + bytes([0xF1, 0x40 | noise(i, 1)[0] & 0x3F]) + noise(i, 30) + bytes([0x80])
          for i in range(4)]
    wb += [struct.pack(">BBHII", 0x80, 113, 4, 1280, 0xB1) + bytes([0xF0, 0xCC, 0x7C]) + noise(4, 5),
           struct.pack(">BBHII", 0x80, 113, 5, 1600, 0xB1) + bytes([0xF0, 0x64])]
    seeds["reassembler"].append(b"".join(bytes([len(p)]) + struct.pack(">H", i) + p for i, p in enumerate(wb)))
    rest = [b'{"command":"start","callKey":"4711","role":"agent"}', b'{"command":"stop","callKey":"4711"}',
            b'{"requestedBy":"supervisor-7"}', b'{"inbound":"inactive","outbound":"nochange"}',
            b'{"recordingId":"3f0c2a8e-0000-4000-8000-000000000001","replyId":"x","destinationBucket":"archive","fileName":"a.mp3",'
            b'"trim":{"start":1000,"end":2000},"beep":[{"startTime":1,"endTime":2,"channel":"left"}]}',
            b'{"toMerge":[{"recordingId":"a","startTime":1},{"recordingId":"b","startTime":2}],"replyId":"x","destinationBucket":"archive"}']
    # First byte: the decoder (0 device API, 1 + 4k control action k, 2 + 4k cloud command k, 3 merge).
    selectors = [0, 0, 1, 1 + 4 * 4, 2 + 4 * 3, 3]
    for selector, body in zip(selectors, rest):
        seeds["rest"].append(bytes([selector]) + body)
        seeds["json"].append(body)
    seeds["config"].append((ROOT / "rootfs-overlay/etc/siprecd/siprecd.toml").read_bytes())
    for target, items in seeds.items():
        folder = out / target
        folder.mkdir(parents=True, exist_ok=True)
        regressions = ROOT / "Tests" / "fuzz" / target
        if regressions.is_dir():
            items += [p.read_bytes() for p in sorted(regressions.iterdir()) if p.is_file()]
        for i, item in enumerate(items):
            (folder / f"seed-{i:03d}").write_bytes(item)
        print(f"{target}: {len(items)} seeds")


if __name__ == "__main__":
    main()
