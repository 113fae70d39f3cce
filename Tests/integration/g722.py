"""G.722 for the codec tests: ffmpeg's encoder as the SRC's (16 kHz speech in, 64 kbit/s, one octet per
8000 Hz RTP tick), ffmpeg's decoder as the independent reference (decoded at 16 kHz, then resampled to the
narrowband master's 8 kHz by ffmpeg's resampler), and what siprecd does through ctypes — spandsp's decoder
to 16 kHz, speexdsp's resampler (quality 4) to 8 kHz, packet by packet — which must match bit for bit."""

from __future__ import annotations

import ctypes
import subprocess
from pathlib import Path

import numpy as np

import speexdsp

PAYLOAD_TYPE = 9
SAMPLE_RATE_8000 = 1

_lib = ctypes.CDLL("libspandsp.so.2")
_lib.g722_decode_init.restype = ctypes.c_void_p
_lib.g722_decode_init.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int]
_lib.g722_decode.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_int16), ctypes.c_char_p, ctypes.c_int]
_lib.g722_decode_free.argtypes = [ctypes.c_void_p]


def tones16(seed: int, samples: int = 150 * 320) -> np.ndarray:
    """The codec tests' speech-like tones (test_codecs.tones) sampled at 16 kHz: four tones of 200–2500 Hz."""
    rng = np.random.default_rng(seed)
    t = np.arange(samples) / 16000
    envelope = 0.55 + 0.45 * np.sin(2 * np.pi * 1.3 * t + seed)
    x = sum(a * np.sin(2 * np.pi * f * t + p) for a, f, p in zip(rng.uniform(0.2, 1, 4), rng.uniform(200, 2500, 4), rng.uniform(0, 6.28, 4)))
    return (x / np.abs(x).max() * 9000 * envelope).astype(np.int16)


def encode(linear16k: np.ndarray, workdir: Path) -> bytes:
    pcm = workdir / "g722-in.s16"
    pcm.write_bytes(np.ascontiguousarray(linear16k, dtype="<i2").tobytes())
    return subprocess.run(["ffmpeg", "-v", "error", "-f", "s16le", "-ar", "16000", "-ac", "1", "-i", str(pcm),
                           "-c:a", "g722", "-f", "g722", "-"], capture_output=True, check=True).stdout


def decode_ffmpeg(data: bytes, workdir: Path, rate: int = 8000) -> np.ndarray:
    raw = workdir / "reference.g722"
    raw.write_bytes(data)
    pcm = subprocess.run(["ffmpeg", "-v", "error", "-f", "g722", "-i", str(raw), "-f", "s16le", "-ac", "1", "-ar", str(rate), "-"],
                         capture_output=True, check=True).stdout
    return np.frombuffer(pcm, dtype="<i2").astype(np.int16)


def decode_spandsp(payloads: list[bytes], rate: int = 8000) -> np.ndarray:
    """spandsp's decoder at 16 kHz, then (for a master at another `rate`) speexdsp's resampler, over the
    payloads in order, one call each (as siprecd decodes packets)."""
    state = _lib.g722_decode_init(None, 64000, 0)
    out: list[np.ndarray] = []
    try:
        for payload in payloads:
            wide = (ctypes.c_int16 * (2 * len(payload)))()
            count = _lib.g722_decode(state, wide, payload, len(payload))
            out.append(np.frombuffer(wide, dtype=np.int16)[:count].copy())
    finally:
        _lib.g722_decode_free(state)
    return speexdsp.resample_packets(out, 16000, rate)
