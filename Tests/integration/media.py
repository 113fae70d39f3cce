"""Known test audio for the siprecd integration tests.

Two different speech clips are synthesised with espeak-ng, resampled to
8 kHz mono with sox and encoded to G.711 with sox: the caller clip as
mu-law (PCMU, payload type 0), the callee clip as A-law (PCMA, payload
type 8).  The reference decode (G.711 bytes -> int16) is also done by sox,
so the expected recording never depends on our own G.711 tables.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np

SAMPLE_RATE = 8000
SAMPLES_PER_PACKET = 160  # 20 ms at 8 kHz

CALLER_TEXT = ("the caller speaks on the left channel one two three "
               "four five six seven eight nine ten")
CALLEE_TEXT = ("hello this is the callee answering on the right channel, "
               "the weather is cold and windy today")


@dataclass(frozen=True)
class Clip:
    """One G.711-encoded clip and its sox reference decode.

    ``encoded[i]`` decodes to ``decoded[i]`` (G.711 is sample-by-sample).
    """

    name: str
    codec: str          # "PCMU" or "PCMA"
    payload_type: int   # 0 or 8
    encoded: bytes
    decoded: np.ndarray  # int16, same length as encoded

    def packets(self, count: int) -> list[bytes]:
        """The first ``count`` 160-byte payloads of the clip."""
        need = count * SAMPLES_PER_PACKET
        assert need <= len(self.encoded), (
            f"{self.name} clip has only {len(self.encoded)} samples, test needs {need}")
        return [self.encoded[i:i + SAMPLES_PER_PACKET]
                for i in range(0, need, SAMPLES_PER_PACKET)]


def _run(cmd: list[str]) -> None:
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({res.returncode}): {res.stderr}")


def _make_clip(workdir: Path, name: str, text: str, espeak_args: list[str],
               encoding: str, codec: str, payload_type: int, seconds: float) -> Clip:
    speech = workdir / f"{name}_speech.wav"
    mono8k = workdir / f"{name}_8k.wav"
    g711 = workdir / f"{name}.{'ul' if encoding == 'mu-law' else 'al'}"
    pcm = workdir / f"{name}.s16"
    _run(["espeak-ng", *espeak_args, "-w", str(speech), text])
    # 8 kHz mono 16-bit; pad with silence / cut to an exact length.
    _run(["sox", str(speech), "-r", str(SAMPLE_RATE), "-c", "1", "-b", "16", str(mono8k),
          "pad", "0.2", str(seconds), "trim", "0", str(seconds)])
    _run(["sox", str(mono8k), "-t", "raw", "-e", encoding, "-b", "8", "-c", "1",
          "-r", str(SAMPLE_RATE), str(g711)])
    # Independent reference decoder: sox.
    _run(["sox", "-t", "raw", "-e", encoding, "-b", "8", "-r", str(SAMPLE_RATE), "-c", "1",
          str(g711), "-t", "raw", "-e", "signed", "-b", "16", "-c", "1", "-L", str(pcm)])
    encoded = g711.read_bytes()
    decoded = np.frombuffer(pcm.read_bytes(), dtype="<i2").astype(np.int16)
    assert len(encoded) == len(decoded) == int(seconds * SAMPLE_RATE), (
        f"{name}: unexpected clip length {len(encoded)} / {len(decoded)}")
    assert np.abs(decoded.astype(np.int32)).max() > 1000, f"{name}: clip is silent"
    return Clip(name, codec, payload_type, encoded, decoded)


def build_clips(workdir: Path, seconds: float = 8.0, caller_text: str = CALLER_TEXT,
                callee_text: str = CALLEE_TEXT) -> dict[str, Clip]:
    """Create the caller (PCMU) and callee (PCMA) clips in ``workdir``."""
    workdir.mkdir(parents=True, exist_ok=True)
    caller = _make_clip(workdir, "caller", caller_text,
                        ["-v", "en-us", "-s", "140", "-p", "35"],
                        "mu-law", "PCMU", 0, seconds)
    callee = _make_clip(workdir, "callee", callee_text,
                        ["-v", "en-gb", "-s", "165", "-p", "75"],
                        "a-law", "PCMA", 8, seconds)
    return {"caller": caller, "callee": callee}


# --------------------------------------------------------------------------
# WAV / MP3 reading and comparison helpers
# --------------------------------------------------------------------------

@dataclass
class Wav:
    sample_rate: int
    channels: int
    bits: int
    samples: np.ndarray  # shape (frames, channels), int16


def parse_wav(data: bytes) -> Wav:
    """Minimal RIFF/WAVE reader (PCM and WAVE_FORMAT_EXTENSIBLE PCM)."""
    assert data[:4] == b"RIFF" and data[8:12] == b"WAVE", "audio is not a RIFF/WAVE file"
    pos, fmt, pcm = 12, None, None
    while pos + 8 <= len(data):
        cid = data[pos:pos + 4]
        size = int.from_bytes(data[pos + 4:pos + 8], "little")
        body = data[pos + 8:pos + 8 + size]
        if cid == b"fmt ":
            fmt = body
        elif cid == b"data":
            pcm = data[pos + 8:] if size in (0, 0xFFFFFFFF) else body
            break
        pos += 8 + size + (size & 1)
    assert fmt is not None and pcm is not None, "WAV has no fmt or data chunk"
    tag = int.from_bytes(fmt[0:2], "little")
    channels = int.from_bytes(fmt[2:4], "little")
    rate = int.from_bytes(fmt[4:8], "little")
    bits = int.from_bytes(fmt[14:16], "little")
    if tag == 0xFFFE and len(fmt) >= 26:
        tag = int.from_bytes(fmt[24:26], "little")
    assert tag == 1, f"WAV is not integer PCM (format tag {tag:#x})"
    assert bits == 16, f"WAV is {bits}-bit, expected 16-bit"
    frame = channels * 2
    usable = len(pcm) - len(pcm) % frame
    samples = np.frombuffer(pcm[:usable], dtype="<i2").reshape(-1, channels)
    return Wav(rate, channels, bits, samples.astype(np.int16))


def decode_mp3(mp3_path: Path, out_wav: Path) -> Wav:
    """Decode with mpg123 (an independent decoder) to a WAV file."""
    _run(["mpg123", "-q", "-w", str(out_wav), str(mp3_path)])
    return parse_wav(out_wav.read_bytes())


def best_correlation(x: np.ndarray, y: np.ndarray, max_lag: int) -> tuple[float, int]:
    """Largest normalised cross-correlation of x against y over lags
    -max_lag..max_lag (x[n + lag] ~ y[n]), normalised by the global energies
    (a conservative lower bound of the per-overlap value)."""
    x = x.astype(np.float64)
    y = y.astype(np.float64)
    n = max(len(x), len(y)) + max_lag + 1
    size = 1 << (2 * n - 1).bit_length()
    spec = np.fft.rfft(x, size) * np.conj(np.fft.rfft(y, size))
    full = np.fft.irfft(spec, size)  # full[lag] = sum x[n + lag] y[n]
    lags = np.arange(-max_lag, max_lag + 1)
    vals = full[lags % size]
    denom = np.sqrt(np.dot(x, x) * np.dot(y, y))
    if denom == 0:
        return 0.0, 0
    i = int(np.argmax(vals))
    return float(vals[i] / denom), int(lags[i])


def first_difference(actual: np.ndarray, expected: np.ndarray) -> int | None:
    """Index of the first differing sample, or None if equal (length included)."""
    n = min(len(actual), len(expected))
    diff = np.nonzero(actual[:n] != expected[:n])[0]
    if len(diff):
        return int(diff[0])
    if len(actual) != len(expected):
        return n
    return None


def mixed_clip(first: Clip, second: Clip, switch_every: int) -> tuple[Clip, dict[int, int]]:
    """A clip whose 20 ms packets alternate between two codecs every `switch_every` packets (an SRC that
    forks a call as it switches between PCMU and PCMA), and the payload type of each packet."""
    packets = min(len(first.encoded), len(second.encoded)) // SAMPLES_PER_PACKET
    encoded, decoded, payload_types = bytearray(), [], {}
    for i in range(packets):
        source = first if (i // switch_every) % 2 == 0 else second
        at = i * SAMPLES_PER_PACKET
        encoded += source.encoded[at:at + SAMPLES_PER_PACKET]
        decoded.append(source.decoded[at:at + SAMPLES_PER_PACKET])
        payload_types[i] = source.payload_type
    return Clip(f"{first.name}+{second.name}", "PCMU,PCMA", first.payload_type, bytes(encoded),
                np.concatenate(decoded).astype(np.int16)), payload_types
