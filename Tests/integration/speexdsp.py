"""speexdsp's resampler through ctypes, as siprecd uses it where a stream's rate is not the master's (a
wideband stream on a narrowband master, 16 kHz to 8 kHz; a narrowband one on a wideband master, 8 kHz to
16 kHz): quality 4, fed packet by packet (its filter history carries across packets)."""

from __future__ import annotations

import ctypes

import numpy as np

_lib = ctypes.CDLL("libspeexdsp.so.1")
_lib.speex_resampler_init.restype = ctypes.c_void_p
_lib.speex_resampler_init.argtypes = [ctypes.c_uint32, ctypes.c_uint32, ctypes.c_uint32, ctypes.c_int, ctypes.POINTER(ctypes.c_int)]
_lib.speex_resampler_process_int.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.POINTER(ctypes.c_int16),
                                             ctypes.POINTER(ctypes.c_uint32), ctypes.POINTER(ctypes.c_int16),
                                             ctypes.POINTER(ctypes.c_uint32)]
_lib.speex_resampler_destroy.argtypes = [ctypes.c_void_p]


class Resampler:
    """One stream's resampler from `source` to `target` Hz: each packet of N samples gives N × target / source
    (zeros should it give fewer)."""

    def __init__(self, source: int = 16000, target: int = 8000) -> None:
        error = ctypes.c_int(0)
        self.source, self.target = source, target
        self._state = _lib.speex_resampler_init(1, source, target, 4, ctypes.byref(error))
        assert self._state and error.value == 0, error.value

    def packet(self, wide: np.ndarray) -> np.ndarray:
        wide = np.ascontiguousarray(wide, dtype=np.int16)
        want = len(wide) * self.target // self.source
        narrow = (ctypes.c_int16 * max(1, want))()
        consumed, produced = ctypes.c_uint32(len(wide)), ctypes.c_uint32(want)
        _lib.speex_resampler_process_int(self._state, 0, wide.ctypes.data_as(ctypes.POINTER(ctypes.c_int16)), ctypes.byref(consumed),
                                         narrow, ctypes.byref(produced))
        out = np.zeros(want, dtype=np.int16)
        out[:produced.value] = np.frombuffer(narrow, dtype=np.int16)[:produced.value]
        return out

    def close(self) -> None:
        _lib.speex_resampler_destroy(self._state)


class WideToNarrow(Resampler):
    """16 kHz → 8 kHz."""

    def __init__(self) -> None:
        super().__init__(16000, 8000)


def resample_packets(packets: list[np.ndarray], source: int, target: int) -> np.ndarray:
    """`packets` (each a packet's decoded samples at `source` Hz) resampled packet by packet, as siprecd does."""
    if source == target:
        return np.concatenate(packets)
    resampler = Resampler(source, target)
    try:
        return np.concatenate([resampler.packet(p) for p in packets])
    finally:
        resampler.close()
