"""Writes captures of SIP calls with known audio, for replay tests (no third-party packet library).

Frames: Ethernet II (optionally 802.1Q / QinQ tagged), Linux cooked (SLL), IPv4 or IPv6, UDP or TCP;
IPv4 fragmentation of large UDP datagrams. Files: classic pcap (µs) or pcapng (ns, one interface).
"""

from __future__ import annotations

import ipaddress
import struct

ETH_IPV4, ETH_IPV6, ETH_VLAN, ETH_QINQ = 0x0800, 0x86DD, 0x8100, 0x88A8
LINKTYPE_ETHERNET, LINKTYPE_SLL = 1, 113


def _checksum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


class FrameBuilder:
    """Builds link-layer frames for one capture."""

    def __init__(self, link: int = LINKTYPE_ETHERNET, vlans: tuple[int, ...] = ()) -> None:
        self.link, self.vlans, self.ip_id = link, vlans, 1

    def _link(self, ethertype: int, payload: bytes) -> bytes:
        if self.link == LINKTYPE_SLL:
            return struct.pack("!HHH8sH", 0, 1, 6, b"\x02\x00\x00\x00\x00\x01\0\0", ethertype) + payload
        header = b"\x02\x00\x00\x00\x00\x02" + b"\x02\x00\x00\x00\x00\x01"
        tags = b""
        for i, vid in enumerate(self.vlans):
            tpid = ETH_QINQ if (i == 0 and len(self.vlans) > 1) else ETH_VLAN
            tags += struct.pack("!HH", tpid, vid & 0x0FFF)
        frame = header + tags + struct.pack("!H", ethertype) + payload
        return frame + b"\0" * max(0, 60 - len(frame))  # Ethernet minimum: padding must not leak

    def _ip(self, src: str, dst: str, proto: int, payload: bytes) -> list[bytes]:
        s, d = ipaddress.ip_address(src), ipaddress.ip_address(dst)
        if s.version == 6:
            header = struct.pack("!IHBB16s16s", 0x60000000, len(payload), proto, 64, s.packed, d.packed)
            return [self._link(ETH_IPV6, header + payload)]
        self.ip_id = (self.ip_id + 1) & 0xFFFF
        mtu_payload = 1480
        if len(payload) <= mtu_payload:
            return [self._link(ETH_IPV4, self._ipv4(s, d, proto, payload, 0, False))]
        frames, offset = [], 0
        while offset < len(payload):
            chunk = payload[offset:offset + mtu_payload]
            more = offset + len(chunk) < len(payload)
            frames.append(self._link(ETH_IPV4, self._ipv4(s, d, proto, chunk, offset, more)))
            offset += len(chunk)
        return frames

    def _ipv4(self, s, d, proto: int, payload: bytes, offset: int, more: bool) -> bytes:
        flags = (0x2000 if more else 0) | (offset // 8)
        header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), self.ip_id, flags, 64, proto, 0,
                             s.packed, d.packed)
        header = header[:10] + struct.pack("!H", _checksum(header)) + header[12:]
        return header + payload

    def udp(self, src: tuple[str, int], dst: tuple[str, int], payload: bytes) -> list[bytes]:
        header = struct.pack("!HHHH", src[1], dst[1], 8 + len(payload), 0)
        return self._ip(src[0], dst[0], 17, header + payload)

    def tcp(self, src: tuple[str, int], dst: tuple[str, int], seq: int, payload: bytes, flags: int = 0x18) -> list[bytes]:
        header = struct.pack("!HHIIBBHHH", src[1], dst[1], seq & 0xFFFFFFFF, 1, 5 << 4, flags, 65535, 0, 0)
        return self._ip(src[0], dst[0], 6, header + payload)


def write_pcap(path, link: int, records: list[tuple[int, bytes]]) -> None:
    """records: (time in ns, frame). Classic pcap, microsecond timestamps."""
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, link))
        for ns, frame in records:
            f.write(struct.pack("<IIII", ns // 1_000_000_000, ns % 1_000_000_000 // 1000, len(frame), len(frame)))
            f.write(frame)


def write_pcapng(path, link: int, records: list[tuple[int, bytes]]) -> None:
    """records: (time in ns, frame). pcapng with one interface at nanosecond resolution."""
    def block(kind: int, body: bytes) -> bytes:
        body += b"\0" * (-len(body) % 4)
        return struct.pack("<II", kind, len(body) + 12) + body + struct.pack("<I", len(body) + 12)
    with open(path, "wb") as f:
        f.write(block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1)))
        tsresol = struct.pack("<HHB3x", 9, 1, 9) + struct.pack("<HH", 0, 0)
        f.write(block(1, struct.pack("<HHI", link, 0, 65535) + tsresol))
        for ns, frame in records:
            f.write(block(6, struct.pack("<IIIII", 0, ns >> 32, ns & 0xFFFFFFFF, len(frame), len(frame))
                          + frame + b"\0" * (-len(frame) % 4)))
