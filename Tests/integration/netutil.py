"""Free-port helpers (loopback only)."""

from __future__ import annotations

import random
import socket

_handed_out: set[int] = set()


def _can_bind(port: int, kind: int) -> bool:
    s = socket.socket(socket.AF_INET, kind)
    try:
        s.bind(("127.0.0.1", port))
        return True
    except OSError:
        return False
    finally:
        s.close()


def free_port(protocols: str = "udp+tcp", even_pair: bool = False) -> int:
    """A port free for the given protocols (and port+2 too if even_pair)."""
    kinds = [{"udp": socket.SOCK_DGRAM, "tcp": socket.SOCK_STREAM}[p] for p in protocols.split("+")]
    for _ in range(500):
        port = random.randrange(20000, 29998, 2 if even_pair else 1)
        wanted = [port, port + 2] if even_pair else [port]
        if any(p in _handed_out for p in wanted):
            continue
        if all(_can_bind(p, k) for p in wanted for k in kinds):
            _handed_out.update(wanted)
            return port
    raise RuntimeError("no free loopback port found")


def free_rtp_range(size: int = 100) -> tuple[int, int]:
    """A block of `size` UDP ports in 30000-60000 not handed out before in
    this test session, preferring ports below the kernel's ephemeral range
    so that no other socket grabs one while the daemon runs."""
    try:
        low_eph = int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
    except OSError:
        low_eph = 32768
    blocks = list(range(30000, 60000 - size + 1, size))
    preferred = [b for b in blocks if b + size <= low_eph]
    random.shuffle(preferred)
    rest = [b for b in blocks if b not in preferred]
    random.shuffle(rest)
    for base in preferred + rest:
        ports = range(base, base + size)
        if any(p in _handed_out for p in ports):
            continue
        if all(_can_bind(p, socket.SOCK_DGRAM) for p in ports):
            _handed_out.update(ports)
            return base, base + size - 1
    raise RuntimeError("no free RTP port block found")
