"""speexdsp's resampler through ctypes, as siprecd uses it for a wideband stream on a narrowband master:
16 kHz to 8 kHz, quality 4, fed packet by packet (its filter history carries across packets)."""

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


class WideToNarrow:
    """One stream's 16 kHz → 8 kHz resampler: each packet of N samples gives N / 2 (zeros should it give fewer)."""

    def __init__(self) -> None:
        error = ctypes.c_int(0)
        self._state = _lib.speex_resampler_init(1, 16000, 8000, 4, ctypes.byref(error))
        assert self._state and error.value == 0, error.value

    def packet(self, wide: np.ndarray) -> np.ndarray:
        wide = np.ascontiguousarray(wide, dtype=np.int16)
        want = len(wide) // 2
        narrow = (ctypes.c_int16 * max(1, want))()
        consumed, produced = ctypes.c_uint32(2 * want), ctypes.c_uint32(want)
        _lib.speex_resampler_process_int(self._state, 0, wide.ctypes.data_as(ctypes.POINTER(ctypes.c_int16)), ctypes.byref(consumed),
                                         narrow, ctypes.byref(produced))
        out = np.zeros(want, dtype=np.int16)
        out[:produced.value] = np.frombuffer(narrow, dtype=np.int16)[:produced.value]
        return out

    def close(self) -> None:
        _lib.speex_resampler_destroy(self._state)
