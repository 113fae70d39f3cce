"""tshark writing what crosses lo to a pcap file, for tests that look at the wire or replay it."""

from __future__ import annotations

import signal
import subprocess
import time


class LoopbackCapture:
    """Captures lo under a BPF `filter_` into `path` from construction until `stop()` (or the end of a `with`)."""

    def __init__(self, path, filter_: str) -> None:
        self.path = path
        self.proc = subprocess.Popen(["tshark", "-i", "lo", "-f", filter_, "-w", str(path)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 15
        line = ""
        while time.monotonic() < deadline and "Capturing on" not in line:
            line = self.proc.stderr.readline()
        assert "Capturing on" in line, f"tshark did not start capturing: {line!r}"
        time.sleep(1.0)  # dumpcap announces the capture slightly before its filter is in place

    def stop(self) -> None:
        time.sleep(1.0)  # let the last packets reach the file
        self.proc.send_signal(signal.SIGINT)
        self.proc.wait(timeout=15)

    def __enter__(self) -> "LoopbackCapture":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
