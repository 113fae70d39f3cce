"""Opus for the codec tests: ffmpeg's encoder (libopus, into an Ogg file whose packets are read back here:
RFC 7845 pages, RFC 3533 lacing) as the SRC's, ffmpeg's own Opus decoder as the independent reference (not
libopus: ffmpeg's native one, resampled to 8 kHz), and what siprecd does through ctypes — libopus's decoder at
16 kHz, speexdsp's resampler to 8 kHz, packet by packet — which must match bit for bit."""

from __future__ import annotations

import ctypes
import subprocess
from pathlib import Path

import numpy as np

import speexdsp

_lib = ctypes.CDLL("libopus.so.0")
_lib.opus_decoder_create.restype = ctypes.c_void_p
_lib.opus_decoder_create.argtypes = [ctypes.c_int32, ctypes.c_int, ctypes.POINTER(ctypes.c_int)]
_lib.opus_decode.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int32, ctypes.POINTER(ctypes.c_int16), ctypes.c_int, ctypes.c_int]
_lib.opus_decoder_destroy.argtypes = [ctypes.c_void_p]
_lib.opus_packet_get_nb_samples.argtypes = [ctypes.c_char_p, ctypes.c_int32, ctypes.c_int32]


def encode(linear: np.ndarray, rate: int, frame_ms: float, workdir: Path, channels: int = 1,
           bitrate: str = "24k", fec_loss: int | None = None) -> tuple[list[bytes], Path]:
    """ffmpeg's libopus encoder over `linear` (`rate` Hz, interleaved when stereo): the Opus packets (one per
    `frame_ms`), and the Ogg file they came from. `fec_loss`: in-band FEC for that expected loss (percent)."""
    pcm, ogg = workdir / "opus-in.s16", workdir / f"opus-{frame_ms}.opus"
    pcm.write_bytes(np.ascontiguousarray(linear, dtype="<i2").tobytes())
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "s16le", "-ar", str(rate), "-ac", str(channels), "-i", str(pcm),
                    "-c:a", "libopus", "-b:a", bitrate, "-application", "voip", "-frame_duration", str(frame_ms),
                    "-vbr", "off", *(["-fec", "1", "-packet_loss", str(fec_loss)] if fec_loss is not None else []), str(ogg)],
                   check=True)
    return ogg_packets(ogg.read_bytes())[2:], ogg   # after OpusHead and OpusTags


def ogg_packets(data: bytes) -> list[bytes]:
    """The packets of an Ogg stream (one logical stream), joined across pages."""
    packets, current, at = [], b"", 0
    while at + 27 <= len(data):
        assert data[at:at + 4] == b"OggS", f"no Ogg page at {at}"
        segments = data[at + 26]
        table = data[at + 27:at + 27 + segments]
        at += 27 + segments
        for size in table:
            current += data[at:at + size]
            at += size
            if size < 255:
                packets.append(current)
                current = b""
    return packets


def decode_libopus(packets: list[bytes], rate: int = 8000) -> np.ndarray:
    """libopus mono at `rate` (16 kHz then speexdsp for an 8 kHz master), over the packets in order, one
    call each."""
    decode_rate = max(16000, rate)
    error = ctypes.c_int(0)
    state = _lib.opus_decoder_create(decode_rate, 1, ctypes.byref(error))
    assert state and error.value == 0
    out: list[np.ndarray] = []
    room = decode_rate * 120 // 1000
    buffer = (ctypes.c_int16 * room)()
    try:
        for packet in packets:
            count = _lib.opus_decode(state, packet, len(packet), buffer, room, 0)
            assert count > 0, f"libopus refused a packet ({count})"
            out.append(np.frombuffer(buffer, dtype=np.int16)[:count].copy())
    finally:
        _lib.opus_decoder_destroy(state)
    return speexdsp.resample_packets(out, decode_rate, rate)


def decode_libopus_lossy(packets: list[bytes], lost: set[int], rate: int, fec: bool) -> np.ndarray:
    """libopus mono at `rate` (16 or 48 kHz) over `packets` of which those at the indices `lost` never
    arrived: silence there (`fec` False: what a recorder without concealment keeps, the decoder not told),
    or libopus's concealment — PLC, and for the loss's last frame the in-band FEC of the packet after it
    (RFC 7587 §3.2) — decoded in one call with the next packet, as a receiver does."""
    error = ctypes.c_int(0)
    state = _lib.opus_decoder_create(rate, 1, ctypes.byref(error))
    assert state and error.value == 0
    room = rate * 120 // 1000
    buffer = (ctypes.c_int16 * room)()
    out: list[np.ndarray] = []
    index = 0
    try:
        while index < len(packets):
            run = 0
            while index + run in lost:
                run += 1
            if run:
                frame = _lib.opus_packet_get_nb_samples(packets[index + run], len(packets[index + run]), rate)
                if fec:
                    nxt = packets[index + run]
                    count = _lib.opus_decode(state, nxt, len(nxt), buffer, frame * run, 1)
                    out.append(np.frombuffer(buffer, dtype=np.int16)[:count].copy())
                else:
                    out.append(np.zeros(frame * run, dtype=np.int16))
                index += run
                continue
            count = _lib.opus_decode(state, packets[index], len(packets[index]), buffer, room, 0)
            assert count > 0, f"libopus refused a packet ({count})"
            out.append(np.frombuffer(buffer, dtype=np.int16)[:count].copy())
            index += 1
    finally:
        _lib.opus_decoder_destroy(state)
    return np.concatenate(out)


def decode_ffmpeg(ogg: Path, rate: int = 8000) -> np.ndarray:
    """ffmpeg's native Opus decoder (not libopus) over the Ogg file, to mono at `rate`."""
    pcm = subprocess.run(["ffmpeg", "-v", "error", "-c:a", "opus", "-i", str(ogg), "-f", "s16le", "-ac", "1", "-ar", str(rate), "-"],
                         capture_output=True, check=True).stdout
    return np.frombuffer(pcm, dtype="<i2").astype(np.int16)
