"""G.729 for the codec tests: an SRC's encoder (bcg729's, through ctypes: Debian's ffmpeg has no G.729
encoder), frames packed into RTP payloads as RFC 3551 §4.5.6 says, and two reference decoders — ffmpeg's
own G.729 decoder (independent of the library siprecd links) and bcg729's decoder called frame by frame
(the same library, so what siprecd records from it must match bit for bit)."""

from __future__ import annotations

import ctypes
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np

FRAME = 80          # samples per 10 ms frame
PAYLOAD_TYPE = 18

_lib = ctypes.CDLL("libbcg729.so.0")
_lib.initBcg729EncoderChannel.restype = ctypes.c_void_p
_lib.initBcg729EncoderChannel.argtypes = [ctypes.c_uint8]
_lib.closeBcg729EncoderChannel.argtypes = [ctypes.c_void_p]
_lib.bcg729Encoder.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_int16), ctypes.POINTER(ctypes.c_uint8),
                               ctypes.POINTER(ctypes.c_uint8)]
_lib.initBcg729DecoderChannel.restype = ctypes.c_void_p
_lib.closeBcg729DecoderChannel.argtypes = [ctypes.c_void_p]
_lib.bcg729Decoder.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_uint8), ctypes.c_uint8, ctypes.c_uint8,
                               ctypes.c_uint8, ctypes.c_uint8, ctypes.POINTER(ctypes.c_int16)]


def encode(linear: np.ndarray, vad: bool = False) -> list[bytes]:
    """One entry per 10 ms frame: 10 bytes (speech), and with VAD (Annex B) also 2 (SID) or 0 (nothing sent)."""
    channel = _lib.initBcg729EncoderChannel(1 if vad else 0)
    out: list[bytes] = []
    buffer = (ctypes.c_uint8 * 10)()
    length = ctypes.c_uint8(0)
    try:
        for start in range(0, len(linear) - FRAME + 1, FRAME):
            frame = np.array(linear[start:start + FRAME], dtype=np.int16)   # a copy: bcg729 filters its input in place
            _lib.bcg729Encoder(channel, frame.ctypes.data_as(ctypes.POINTER(ctypes.c_int16)), buffer, ctypes.byref(length))
            out.append(bytes(buffer[:length.value]))
    finally:
        _lib.closeBcg729EncoderChannel(channel)
    return out


def decode_bcg729(frames: list[bytes | None], erased: set[int] = frozenset()) -> np.ndarray:
    """bcg729's decoder over `frames` in order (10 bytes: speech, 2: SID); None or b"": a frame not received,
    left silent without calling the decoder — what a recorder does with a DTX gap; the frames of `erased`
    (indices) were lost, and bcg729's frame erasure conceals them."""
    channel = _lib.initBcg729DecoderChannel()
    out = np.zeros(len(frames) * FRAME, dtype=np.int16)
    signal = (ctypes.c_int16 * FRAME)()
    try:
        for index, frame in enumerate(frames):
            if index in erased:
                _lib.bcg729Decoder(channel, None, 0, 1, 0, 0, signal)
                out[index * FRAME:(index + 1) * FRAME] = np.frombuffer(signal, dtype=np.int16)
                continue
            if not frame:
                continue
            data = (ctypes.c_uint8 * len(frame)).from_buffer_copy(frame)
            _lib.bcg729Decoder(channel, data, len(frame), 0, 1 if len(frame) == 2 else 0, 0, signal)
            out[index * FRAME:(index + 1) * FRAME] = np.frombuffer(signal, dtype=np.int16)
    finally:
        _lib.closeBcg729DecoderChannel(channel)
    return out


def decode_ffmpeg(frames: list[bytes], workdir: Path) -> np.ndarray:
    """ffmpeg's G.729 decoder over speech frames (its raw G.729 format holds 10-byte frames only)."""
    assert all(len(f) == 10 for f in frames), "ffmpeg's raw G.729 reader takes 10-byte frames only"
    raw = workdir / "reference.g729"
    raw.write_bytes(b"".join(frames))
    pcm = subprocess.run(["ffmpeg", "-v", "error", "-f", "g729", "-i", str(raw), "-f", "s16le", "-ac", "1", "-ar", "8000", "-"],
                         capture_output=True, check=True).stdout
    return np.frombuffer(pcm, dtype="<i2").astype(np.int16)


@dataclass(frozen=True)
class G729Clip:
    """Speech as G.729, duck-typed like media.Clip for rtp_sender.RtpStream: 20 ms packets of two frames."""

    name: str
    frames: list[bytes]
    codec: str = "G729"
    payload_type: int = PAYLOAD_TYPE

    def packets(self, count: int) -> list[bytes]:
        assert 2 * count <= len(self.frames), f"{self.name}: {len(self.frames)} frames, {2 * count} needed"
        return [self.frames[2 * i] + self.frames[2 * i + 1] for i in range(count)]
