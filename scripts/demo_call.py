#!/usr/bin/env python3
"""Place one sample SIPREC call against a running siprecd, as an SBC would, and show the result.

    python3 scripts/demo_call.py [--sip 127.0.0.1:5060] [--api 127.0.0.1:8080] [--seconds 6] [--transport udp|tcp]

sipp sends the SIPREC INVITE (multipart SDP + RFC 7865 metadata, two labelled streams); this script sends
the two RTP streams (spoken sentences from espeak-ng: the caller in µ-law, the callee in A-law), then sipp
sends BYE. It prints the recording as the API lists it and where to download it. Needs sipp, sox and
espeak-ng (make test-deps installs them).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "Tests" / "integration"))

import media  # noqa: E402
from rtp_sender import RtpStream, send_concurrently  # noqa: E402
from sipp_call import SippCall  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sip", default="127.0.0.1:5060")
    parser.add_argument("--api", default="127.0.0.1:8080")
    parser.add_argument("--seconds", type=int, default=6)
    parser.add_argument("--transport", choices=["udp", "tcp"], default="udp")
    args = parser.parse_args()
    host, port = args.sip.rsplit(":", 1)
    if host != "127.0.0.1":
        print("this demo sends from 127.0.0.1; point --sip at a loopback siprecd", file=sys.stderr)
        return 2
    packets = args.seconds * 50
    work = Path(tempfile.mkdtemp(prefix="siprecd-demo-"))
    clips = media.build_clips(work / "media", seconds=max(8.0, args.seconds + 1))
    call = SippCall(int(port), args.transport, work / "sipp", mode="simple", pauses_ms=(packets * 20 + 1500, 0, 0)).start()
    try:
        port1, port2 = call.wait_ports()
        print(f"SIPREC session up (Call-ID {call.call_id}); sending {args.seconds} s of RTP to ports {port1} and {port2}")
        send_concurrently([RtpStream(clips["caller"], port1, packets), RtpStream(clips["callee"], port2, packets)])
        call.wait(timeout=60)
    finally:
        call.kill()
    print("BYE sent; waiting for the recording to be ready")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with urllib.request.urlopen(f"http://{args.api}/api/v1/recordings") as response:
            recordings = json.load(response)["recordings"]
        rec = next((r for r in recordings if r["sipRecCallId"] == call.call_id), None)
        if rec and rec["state"] not in ("recording", "paused"):
            print(json.dumps(rec, indent=2))
            rid = rec["recordingId"]
            print(f"\ncurl -o call.mp3 'http://{args.api}/api/v1/recordings/{rid}/audio?format=mp3'")
            print(f"curl -o call.wav 'http://{args.api}/api/v1/recordings/{rid}/audio?format=wav'")
            return 0 if rec["state"] == "ready" else 1
        time.sleep(0.3)
    print("the recording did not become ready within 30 s", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
