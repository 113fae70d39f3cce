"""G.726 for the codec tests: ffmpeg's encoder (RFC 3551 packing: "g726le", codewords from the least
significant bit) as the SRC's, ffmpeg's decoder as the independent reference, and spandsp's decoder through
ctypes (the library siprecd links, so what siprecd records from it must match bit for bit).

At 40 kbit/s ffmpeg and spandsp disagree on what the codewords mean (the packing is the same: unpacked by
hand and fed to spandsp one codeword per octet, ffmpeg's 40 kbit/s stream still decodes to a 0.68
correlation with the speech, while each library's own encoder and decoder agree at 0.999). spandsp is the
implementation FreeSWITCH and Asterisk use, so for 40 kbit/s the SRC's encoder here is spandsp's and the
reference is the speech itself."""

from __future__ import annotations

import ctypes
import subprocess
from pathlib import Path

import numpy as np

_lib = ctypes.CDLL("libspandsp.so.2")
_lib.g726_init.restype = ctypes.c_void_p
_lib.g726_init.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int, ctypes.c_int]
_lib.g726_decode.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_int16), ctypes.c_char_p, ctypes.c_int]
_lib.g726_free.argtypes = [ctypes.c_void_p]
_lib.g726_encode.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int16), ctypes.c_int]
PACKING_LEFT, PACKING_RIGHT, ENCODING_LINEAR = 1, 2, 0


def encode(linear: np.ndarray, kbits: int, workdir: Path, aal2: bool = False) -> bytes:
    """ffmpeg's G.726 encoder at `kbits` (16, 24, 32, 40) kbit/s over 8 kHz mono samples: "g726le" packs
    codewords from the least significant bit (RFC 3551), "g726" from the most (AAL2)."""
    pcm = workdir / f"g726-{kbits}.s16"
    pcm.write_bytes(np.ascontiguousarray(linear, dtype="<i2").tobytes())
    codec = "g726" if aal2 else "g726le"
    return subprocess.run(["ffmpeg", "-v", "error", "-f", "s16le", "-ar", "8000", "-ac", "1", "-i", str(pcm),
                           "-c:a", codec, "-b:a", f"{kbits}k", "-f", codec, "-"], capture_output=True, check=True).stdout


def decode_ffmpeg(data: bytes, kbits: int, workdir: Path, aal2: bool = False) -> np.ndarray:
    raw = workdir / f"g726-{kbits}.g726"
    raw.write_bytes(data)
    pcm = subprocess.run(["ffmpeg", "-v", "error", "-f", "g726" if aal2 else "g726le", "-code_size", str(kbits // 8), "-ar", "8000",
                          "-i", str(raw), "-f", "s16le", "-"], capture_output=True, check=True).stdout
    return np.frombuffer(pcm, dtype="<i2").astype(np.int16)


def decode_spandsp(data: bytes, kbits: int, aal2: bool = False) -> np.ndarray:
    state = _lib.g726_init(None, kbits * 1000, ENCODING_LINEAR, PACKING_LEFT if aal2 else PACKING_RIGHT)
    out = (ctypes.c_int16 * (len(data) * 8))()
    try:
        count = _lib.g726_decode(state, out, data, len(data))
    finally:
        _lib.g726_free(state)
    return np.frombuffer(out, dtype=np.int16)[:count].copy()


def encode_spandsp(linear: np.ndarray, kbits: int) -> bytes:
    samples = np.ascontiguousarray(linear, dtype=np.int16)
    state = _lib.g726_init(None, kbits * 1000, ENCODING_LINEAR, PACKING_RIGHT)
    out = ctypes.create_string_buffer(len(samples))
    try:
        count = _lib.g726_encode(state, out, samples.ctypes.data_as(ctypes.POINTER(ctypes.c_int16)), len(samples))
    finally:
        _lib.g726_free(state)
    return out.raw[:count]
