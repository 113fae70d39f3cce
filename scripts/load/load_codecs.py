"""The codecs `scripts/bench_load.py --codec` sends: for each, what the SRC's SDP offers, the 20 ms payloads of
the speech encoded by an independent encoder (ffmpeg, bcg729, opencore, vo-amrwbenc: the integration tests'
helpers), and the reference decode of a stream's payloads at the master's rate, which the sampled recordings
must match bit for bit."""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

import amr
import g722
import g726
import g729
import opus
import speexdsp


@dataclass
class LoadCodec:
    name: str
    payload_type: int
    sdp: str               # the m-line's formats' a= lines (without telephone-event)
    ts_step: int           # RTP clock units per 20 ms packet
    master_rate: int       # what `masterRate = "auto"` gives
    payloads: list[bytes]
    reference: Callable[[list[int]], np.ndarray]   # the decode of the payloads at these indices, in order

    def content(self) -> bytes:
        """rtpload's payload file: each payload as a 2-byte little-endian length and its bytes."""
        return b"".join(struct.pack("<H", len(p)) + p for p in self.payloads)

    def expected(self, start: int, count: int) -> np.ndarray:
        """The reference decode of `count` payloads from index `start` (wrapping), as a stream sends them."""
        return self.reference([(start + i) % len(self.payloads) for i in range(count)])


NAMES = ["pcmu", "g729", "g726-32", "amr", "g722", "amr-wb", "opus"]


def make(name: str, clip, workdir: Path) -> LoadCodec:
    """`clip`: media.Clip, 8 kHz speech (a multiple of 20 ms) and its µ-law bytes; every stream's audio is a
    slice of it."""
    workdir.mkdir(parents=True, exist_ok=True)
    speech8k = clip.decoded
    packets = len(speech8k) // 160
    if name == "pcmu":
        payloads = [clip.encoded[160 * i:160 * (i + 1)] for i in range(packets)]
        return LoadCodec(name, 0, "a=rtpmap:0 PCMU/8000", 160, 8000, payloads,
                         lambda ix: np.concatenate([speech8k[160 * i:160 * (i + 1)] for i in ix]))
    if name == "g729":
        frames = g729.encode(speech8k)
        payloads = [frames[2 * i] + frames[2 * i + 1] for i in range(packets)]
        return LoadCodec(name, 18, "a=rtpmap:18 G729/8000\r\na=fmtp:18 annexb=no", 160, 8000, payloads,
                         lambda ix: g729.decode_bcg729([f for i in ix for f in (frames[2 * i], frames[2 * i + 1])]))
    if name == "g726-32":
        data = g726.encode(speech8k, 32, workdir)
        payloads = [data[80 * i:80 * (i + 1)] for i in range(len(data) // 80)]
        return LoadCodec(name, 112, "a=rtpmap:112 G726-32/8000", 160, 8000, payloads,
                         lambda ix: g726.decode_spandsp(b"".join(payloads[i] for i in ix), 32))
    if name == "amr":
        frames = amr.encode(speech8k, "12.2")
        payloads = [amr.payload([f], octet_aligned=False) for f in frames]
        return LoadCodec(name, 97, "a=rtpmap:97 AMR/8000", 160, 8000, payloads,
                         lambda ix: amr.decode_opencore([frames[i] for i in ix]))
    wide = speexdsp.resample_packets([speech8k], 8000, 16000)
    if name == "g722":
        data = g722.encode(wide, workdir)
        payloads = [data[160 * i:160 * (i + 1)] for i in range(len(data) // 160)]
        return LoadCodec(name, 9, "a=rtpmap:9 G722/8000", 160, 16000, payloads,
                         lambda ix: g722.decode_spandsp([payloads[i] for i in ix], 16000))
    if name == "amr-wb":
        frames = amr.encode_wb(wide, "12.65")
        payloads = [amr.payload([f], octet_aligned=False, wideband=True) for f in frames]
        return LoadCodec(name, 98, "a=rtpmap:98 AMR-WB/16000", 320, 16000, payloads,
                         lambda ix: amr.decode_opencore_wb([[frames[i]] for i in ix], 16000))
    if name == "opus":
        payloads, _ = opus.encode(speech8k, 8000, 20, workdir)
        return LoadCodec(name, 111, "a=rtpmap:111 opus/48000/2\r\na=fmtp:111 useinbandfec=1", 960, 16000, payloads,
                         lambda ix: opus.decode_libopus([payloads[i] for i in ix], 16000))
    raise ValueError(f"unknown codec {name}: one of {', '.join(NAMES)}")
