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


def encode(linear: np.ndarray, rate: int, frame_ms: float, workdir: Path, channels: int = 1,
           bitrate: str = "24k") -> tuple[list[bytes], Path]:
    """ffmpeg's libopus encoder over `linear` (`rate` Hz, interleaved when stereo): the Opus packets (one per
    `frame_ms`), and the Ogg file they came from."""
    pcm, ogg = workdir / "opus-in.s16", workdir / f"opus-{frame_ms}.opus"
    pcm.write_bytes(np.ascontiguousarray(linear, dtype="<i2").tobytes())
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "s16le", "-ar", str(rate), "-ac", str(channels), "-i", str(pcm),
                    "-c:a", "libopus", "-b:a", bitrate, "-application", "voip", "-frame_duration", str(frame_ms),
                    "-vbr", "off", str(ogg)], check=True)
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


def decode_libopus(packets: list[bytes]) -> np.ndarray:
    """libopus at 16 kHz mono, then speexdsp to 8 kHz, over the packets in order, one call each."""
    error = ctypes.c_int(0)
    state = _lib.opus_decoder_create(16000, 1, ctypes.byref(error))
    assert state and error.value == 0
    resampler = speexdsp.WideToNarrow()
    out: list[np.ndarray] = []
    buffer = (ctypes.c_int16 * 1920)()
    try:
        for packet in packets:
            count = _lib.opus_decode(state, packet, len(packet), buffer, 1920, 0)
            assert count > 0, f"libopus refused a packet ({count})"
            out.append(resampler.packet(np.frombuffer(buffer, dtype=np.int16)[:count]))
    finally:
        _lib.opus_decoder_destroy(state)
        resampler.close()
    return np.concatenate(out)


def decode_ffmpeg(ogg: Path) -> np.ndarray:
    """ffmpeg's native Opus decoder (not libopus) over the Ogg file, to 8 kHz mono."""
    pcm = subprocess.run(["ffmpeg", "-v", "error", "-c:a", "opus", "-i", str(ogg), "-f", "s16le", "-ac", "1", "-ar", "8000", "-"],
                         capture_output=True, check=True).stdout
    return np.frombuffer(pcm, dtype="<i2").astype(np.int16)
