"""AMR and AMR-WB for the codec tests: an SRC's encoder (opencore-amrnb's and vo-amrwbenc's, through
ctypes: Debian's ffmpeg has neither encoder), frames packed into RTP payloads as RFC 4867 §4.3–4.4 lays them
out (bandwidth-efficient or octet-aligned), and two reference decoders — ffmpeg's own AMR-NB / AMR-WB
decoders (independent of the libraries siprecd links) and opencore's decoders called frame by frame (the
same libraries, so what siprecd records from them must match bit for bit; AMR-WB's 16 kHz then resampled to
8 kHz by speexdsp per packet, as siprecd does while its master is narrowband).

Frames are in the storage format of RFC 4867 §5.3: a header octet `FT << 3 | Q << 2`, then the frame's bits
padded to octets."""

from __future__ import annotations

import ctypes
import subprocess
from pathlib import Path

import numpy as np

import speexdsp

FRAME = 160          # samples per 20 ms frame
SPEECH_BITS = [95, 103, 118, 134, 148, 159, 204, 244, 39] + [0] * 6 + [0]   # by frame type; 15 NO_DATA
SPEECH_BITS_WB = [132, 177, 253, 285, 317, 365, 397, 461, 477, 40] + [0] * 6   # 14 SPEECH_LOST, 15 NO_DATA
MODES_WB = {"6.6": 0, "8.85": 1, "12.65": 2, "14.25": 3, "15.85": 4, "18.25": 5, "19.85": 6, "23.05": 7, "23.85": 8}
MODES = {"4.75": 0, "5.15": 1, "5.9": 2, "6.7": 3, "7.4": 4, "7.95": 5, "10.2": 6, "12.2": 7}

_lib = ctypes.CDLL("libopencore-amrnb.so.0")
_lib.Encoder_Interface_init.restype = ctypes.c_void_p
_lib.Encoder_Interface_init.argtypes = [ctypes.c_int]
_lib.Encoder_Interface_exit.argtypes = [ctypes.c_void_p]
_lib.Encoder_Interface_Encode.restype = ctypes.c_int
_lib.Encoder_Interface_Encode.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.POINTER(ctypes.c_int16),
                                          ctypes.POINTER(ctypes.c_uint8), ctypes.c_int]
_lib.Decoder_Interface_init.restype = ctypes.c_void_p
_lib.Decoder_Interface_exit.argtypes = [ctypes.c_void_p]
_lib.Decoder_Interface_Decode.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_uint8), ctypes.POINTER(ctypes.c_int16),
                                          ctypes.c_int]


_wb = ctypes.CDLL("libopencore-amrwb.so.0")
_wb.D_IF_init.restype = ctypes.c_void_p
_wb.D_IF_exit.argtypes = [ctypes.c_void_p]
_wb.D_IF_decode.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_uint8), ctypes.POINTER(ctypes.c_int16), ctypes.c_int]
_wbenc = ctypes.CDLL("libvo-amrwbenc.so.0")
_wbenc.E_IF_init.restype = ctypes.c_void_p
_wbenc.E_IF_exit.argtypes = [ctypes.c_void_p]
_wbenc.E_IF_encode.restype = ctypes.c_int
_wbenc.E_IF_encode.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.POINTER(ctypes.c_int16), ctypes.POINTER(ctypes.c_uint8), ctypes.c_int]


def frame_type(frame: bytes) -> int:
    return (frame[0] >> 3) & 0x0F


def encode(linear: np.ndarray, modes: list[str] | str = "12.2", dtx: bool = False) -> list[bytes]:
    """One storage-format frame per 20 ms; `modes` may name one mode per frame (cycled), as an SRC's
    encoder may change mode frame by frame. With DTX, silence becomes SID (type 8) and NO_DATA (15) frames."""
    modes = [modes] if isinstance(modes, str) else modes
    state = _lib.Encoder_Interface_init(1 if dtx else 0)
    out: list[bytes] = []
    buffer = (ctypes.c_uint8 * 64)()
    try:
        for index, start in enumerate(range(0, len(linear) - FRAME + 1, FRAME)):
            frame = np.ascontiguousarray(linear[start:start + FRAME], dtype=np.int16)
            count = _lib.Encoder_Interface_Encode(state, MODES[modes[index % len(modes)]],
                                                  frame.ctypes.data_as(ctypes.POINTER(ctypes.c_int16)), buffer, 0)
            out.append(bytes(buffer[:count]))
    finally:
        _lib.Encoder_Interface_exit(state)
    return out


def decode_opencore(frames: list[bytes | None]) -> np.ndarray:
    """opencore's decoder over `frames` in order; None: a frame not received, left silent without calling
    the decoder — what a recorder does with a gap."""
    state = _lib.Decoder_Interface_init()
    out = np.zeros(len(frames) * FRAME, dtype=np.int16)
    signal = (ctypes.c_int16 * FRAME)()
    try:
        for index, frame in enumerate(frames):
            if frame is None:
                continue
            data = (ctypes.c_uint8 * len(frame)).from_buffer_copy(frame)
            _lib.Decoder_Interface_Decode(state, data, signal, 0)
            out[index * FRAME:(index + 1) * FRAME] = np.frombuffer(signal, dtype=np.int16)
    finally:
        _lib.Decoder_Interface_exit(state)
    return out


def decode_ffmpeg(frames: list[bytes], workdir: Path) -> np.ndarray:
    """ffmpeg's native AMR-NB decoder over the frames written as an .amr file (RFC 4867 §5: `#!AMR\\n`, then
    the storage-format frames)."""
    path = workdir / "reference.amr"
    path.write_bytes(b"#!AMR\n" + b"".join(frames))
    pcm = subprocess.run(["ffmpeg", "-v", "error", "-c:a", "amrnb", "-i", str(path), "-f", "s16le", "-ac", "1", "-ar", "8000", "-"],
                         capture_output=True, check=True).stdout
    return np.frombuffer(pcm, dtype="<i2").astype(np.int16)


def encode_wb(linear16k: np.ndarray, mode: str = "12.65", dtx: bool = False) -> list[bytes]:
    """vo-amrwbenc over 16 kHz samples: one storage-format frame per 20 ms (320 samples)."""
    state = _wbenc.E_IF_init()
    out: list[bytes] = []
    buffer = (ctypes.c_uint8 * 64)()
    try:
        for start in range(0, len(linear16k) - 320 + 1, 320):
            frame = np.ascontiguousarray(linear16k[start:start + 320], dtype=np.int16)
            count = _wbenc.E_IF_encode(state, MODES_WB[mode], frame.ctypes.data_as(ctypes.POINTER(ctypes.c_int16)), buffer, 1 if dtx else 0)
            out.append(bytes(buffer[:count]))
    finally:
        _wbenc.E_IF_exit(state)
    return out


def decode_opencore_wb(packets: list[list[bytes]], rate: int = 8000) -> np.ndarray:
    """opencore-amrwb over the frames of each packet in order, then (for a master at another `rate`)
    speexdsp one packet at a time."""
    state = _wb.D_IF_init()
    out: list[np.ndarray] = []
    signal = (ctypes.c_int16 * 320)()
    try:
        for frames in packets:
            wide = []
            for frame in frames:
                data = (ctypes.c_uint8 * len(frame)).from_buffer_copy(frame)
                _wb.D_IF_decode(state, data, signal, 0)
                wide.append(np.frombuffer(signal, dtype=np.int16).copy())
            out.append(np.concatenate(wide))
    finally:
        _wb.D_IF_exit(state)
    return speexdsp.resample_packets(out, 16000, rate)


def decode_ffmpeg_wb(frames: list[bytes], workdir: Path, rate: int = 8000) -> np.ndarray:
    """ffmpeg's native AMR-WB decoder over an .awb file (RFC 4867 §5: `#!AMR-WB\n` and the frames), to 8 kHz."""
    path = workdir / "reference.awb"
    path.write_bytes(b"#!AMR-WB\n" + b"".join(frames))
    pcm = subprocess.run(["ffmpeg", "-v", "error", "-c:a", "amrwb", "-i", str(path), "-f", "s16le", "-ac", "1", "-ar", str(rate), "-"],
                         capture_output=True, check=True).stdout
    return np.frombuffer(pcm, dtype="<i2").astype(np.int16)


def payload(frames: list[bytes], octet_aligned: bool, cmr: int = 15, wideband: bool = False) -> bytes:
    """One RTP payload (RFC 4867 §4.3 bandwidth-efficient, §4.4 octet-aligned) holding `frames` in order."""
    bits: list[int] = []

    def put(value: int, count: int) -> None:
        bits.extend((value >> i) & 1 for i in reversed(range(count)))

    put(cmr, 4)
    if octet_aligned:
        put(0, 4)
    for index, frame in enumerate(frames):
        put(1 if index < len(frames) - 1 else 0, 1)
        put(frame_type(frame), 4)
        put((frame[0] >> 2) & 1, 1)
        if octet_aligned:
            put(0, 2)
    sizes = SPEECH_BITS_WB if wideband else SPEECH_BITS
    for frame in frames:
        for bit in range(sizes[frame_type(frame)]):
            bits.append((frame[1 + bit // 8] >> (7 - bit % 8)) & 1)
        if octet_aligned:
            bits.extend([0] * (-len(bits) % 8))
    bits.extend([0] * (-len(bits) % 8))
    return bytes(int("".join(map(str, bits[i:i + 8])), 2) for i in range(0, len(bits), 8))
