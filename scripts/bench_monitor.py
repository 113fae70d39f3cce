#!/usr/bin/env python3
"""How far behind the call `siprecd monitor` plays (BENCHMARKS.md section 8).

    python3 scripts/bench_monitor.py SIPRECD_BIN [--runs 3] [--seconds 20]

Starts siprecd (socket capture), places a SIPREC call with sipp and sends both G.711 streams at the real
20 ms cadence for SECONDS, joins with `siprecd monitor` 2 s in, on an ALSA device routed to a file (the
`file` plugin over `null`, so the device itself adds nothing), and reads the delay the monitor reports for
every piece it plays: the wall-clock time it hands the samples to ALSA minus the call time of those samples
(recording start + position). A real sound card adds its buffer on top: PCMOutput asks for 250 ms.
The call ends 0.2 s after its last packet, so the figures are for audio that flows, not for a hold.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import json
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "Tests" / "integration"))
import media  # noqa: E402
import netutil  # noqa: E402
from rtp_sender import RtpStream, send_concurrently  # noqa: E402
from sipp_call import SippCall  # noqa: E402

ASOUNDRC = 'pcm.benchtap {\n type file\n slave.pcm "null"\n file "%s"\n format "raw"\n}\n'


def run_once(binary: str, seconds: int, workdir: Path, clips) -> str:
    api, sip = netutil.free_port("tcp"), netutil.free_port("udp+tcp")
    low, high = netutil.free_rtp_range(100)
    data = workdir / "data"
    config = workdir / "siprecd.toml"
    config.write_text('[media]\ncapture = "socket"\n[api]\ncontrolSocket = "none"\n')
    proc = subprocess.Popen([binary, "run", "--config", str(config), "--sip", f"127.0.0.1:{sip}", "--api", f"127.0.0.1:{api}",
                             "--rtp-ports", f"{low}-{high}", "--data-dir", str(data)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    home = workdir / "home"
    home.mkdir()
    (home / ".asoundrc").write_text(ASOUNDRC % (workdir / "heard.raw"))
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{api}/healthz").read()
                break
            except OSError:
                time.sleep(0.1)
        packets = seconds * 50
        call = SippCall(sip, "udp", workdir / "call", pauses_ms=(packets * 20 + 200, 0, 0)).start()
        p1, p2 = call.wait_ports()
        streams = [RtpStream(clips["caller"], p1, packets), RtpStream(clips["callee"], p2, packets)]
        sender = threading.Thread(target=send_concurrently, args=(streams,), daemon=True)
        sender.start()
        time.sleep(2.0)
        listing = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{api}/api/v1/recordings").read())
        rec = listing["recordings"][0]["recordingId"]
        monitor = subprocess.run([binary, "monitor", rec, "--device", "benchtap", "--config", str(config),
                                  "--data-dir", str(data)], capture_output=True, text=True, timeout=seconds + 60,
                                 env={**os.environ, "HOME": str(home)})
        sender.join(60)
        call.wait(60)
        return monitor.stderr.strip().splitlines()[-1]
    finally:
        proc.terminate()
        proc.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        clips = media.build_clips(Path(tmp) / "clips", seconds=args.seconds + 1)
        print("| run | monitor's report |\n|---|---|")
        for n in range(args.runs):
            workdir = Path(tmp) / f"run{n}"
            workdir.mkdir()
            line = run_once(args.binary, args.seconds, workdir, clips)
            print(f"| {n + 1} | {re.sub(r'^monitor: ', '', line)} |")


if __name__ == "__main__":
    main()
