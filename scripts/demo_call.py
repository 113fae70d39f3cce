#!/usr/bin/env python3
"""Place one sample SIPREC call against a running siprecd, as an SBC would, and show the result.

    python3 scripts/demo_call.py [--sip 127.0.0.1:5060] [--api 127.0.0.1:8080] [--seconds 20]
                                 [--transport udp|tcp] [--token JWT | --user NAME:PASSWORD]
    make demo-call SECONDS=60

sipp sends the SIPREC INVITE (multipart SDP + RFC 7865 metadata, two labelled streams); this script sends
the two RTP streams (speech from espeak-ng that runs the whole call: the caller in µ-law counting the
seconds, the callee in A-law), then sipp sends BYE. While it runs, pause or mute the recording through the
API and hear the gap afterwards. It prints the recording as the API lists it and how to download it.
Needs sipp, sox and espeak-ng (make test-deps installs them).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import shutil
import socket
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "Tests" / "integration"))

import media  # noqa: E402
from rtp_sender import RtpStream, send_concurrently  # noqa: E402
from sipp_call import SippCall  # noqa: E402

START_HINT = "start it first in another terminal: make run"


class DemoError(Exception):
    """A problem the user can fix; printed as one line, no traceback."""


def api_get(api: str, path: str, auth: str | None) -> dict:
    request = urllib.request.Request(f"http://{api}{path}")
    if auth:
        request.add_header("Authorization", auth)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return json.load(response)
    except urllib.error.HTTPError as error:
        if error.code == 401:
            raise DemoError(f"the API on {api} needs credentials: pass --token JWT or --user NAME:PASSWORD") from None
        raise DemoError(f"the API on {api} answered {path} with HTTP {error.code}: {error.read()[:200]!r}") from None
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise DemoError(f"siprecd is not answering on its API {api} ({reason}): {START_HINT}") from None


def sip_answers(host: str, port: int, transport: str) -> bool:
    """True when something answers a SIP OPTIONS on host:port (any response counts)."""
    tag = uuid.uuid4().hex[:10]
    kind = socket.SOCK_DGRAM if transport == "udp" else socket.SOCK_STREAM
    with socket.socket(socket.AF_INET, kind) as sock:
        sock.settimeout(2)
        try:
            sock.connect((host, port))
            local_port = sock.getsockname()[1]
            request = (f"OPTIONS sip:recorder@{host}:{port} SIP/2.0\r\n"
                       f"Via: SIP/2.0/{transport.upper()} {host}:{local_port};branch=z9hG4bK{tag}\r\n"
                       f"From: <sip:demo@{host}>;tag={tag}\r\nTo: <sip:recorder@{host}>\r\n"
                       f"Call-ID: demo-probe-{tag}\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n")
            sock.sendall(request.encode())
            return sock.recv(4096).startswith(b"SIP/2.0 ")
        except OSError:
            return False


def spoken_texts(seconds: int) -> tuple[str, str]:
    """Speech for the whole call: the caller counts the seconds, the callee talks between."""
    caller = " ".join(f"caller, second {n}." for n in range(1, seconds + 1))
    callee = " ".join("this is the callee on the right channel, still talking." for _ in range(seconds // 3 + 1))
    return caller, callee


def place_call(args: argparse.Namespace, host: str, port: int, work: Path, auth: str | None) -> str:
    packets = args.seconds * 50
    caller_text, callee_text = spoken_texts(args.seconds)
    clips = media.build_clips(work / "media", seconds=args.seconds + 1.0, caller_text=caller_text,
                              callee_text=callee_text)
    call = SippCall(port, args.transport, work / "sipp", mode="simple", pauses_ms=(packets * 20 + 500, 0, 0)).start()
    try:
        try:
            port1, port2 = call.wait_ports()
        except AssertionError:
            raise DemoError(f"siprecd on {host}:{port} did not answer the SIPREC INVITE with a 200 OK "
                            f"(see its log, or run: siprecd doctor)") from None
        print(f"SIPREC session up (Call-ID {call.call_id}); sending {args.seconds} s of speech to RTP ports "
              f"{port1} and {port2}")
        live = next((r for r in api_get(args.api, "/api/v1/recordings?limit=20", auth)["recordings"]
                     if r["sipRecCallId"] == call.call_id), None)
        if live:
            print(f"  while it runs, pause it and hear the gap later: curl -fsS -X POST "
                  f"http://{args.api}/api/v1/recordings/{live['recordingId']}/pause (then .../resume)")
        send_concurrently([RtpStream(clips["caller"], port1, packets), RtpStream(clips["callee"], port2, packets)])
        try:
            call.wait(timeout=60)
        except AssertionError:
            raise DemoError("the SIP dialog did not end cleanly (BYE not answered): see siprecd's log") from None
    finally:
        call.kill()
    return call.call_id


def wait_for_recording(args: argparse.Namespace, call_id: str, auth: str | None) -> int:
    print("BYE sent; waiting for the recording to be ready")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        recordings = api_get(args.api, "/api/v1/recordings", auth)["recordings"]
        rec = next((r for r in recordings if r["sipRecCallId"] == call_id), None)
        if rec and rec["state"] not in ("recording", "paused"):
            print(json.dumps(rec, indent=2))
            rid = rec["recordingId"]
            credentials = " -H 'Authorization: ...'" if auth else ""
            print(f"\ncurl -fo call.mp3{credentials} 'http://{args.api}/api/v1/recordings/{rid}/audio?format=mp3'")
            print(f"curl -fo call.wav{credentials} 'http://{args.api}/api/v1/recordings/{rid}/audio?format=wav'")
            return 0 if rec["state"] == "ready" else 1
        time.sleep(0.3)
    raise DemoError("the recording did not become ready within 30 s of the BYE: see siprecd's log")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sip", default="127.0.0.1:5060")
    parser.add_argument("--api", default="127.0.0.1:8080")
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("DEMO_SECONDS") or 20))
    parser.add_argument("--transport", choices=["udp", "tcp"], default="udp")
    parser.add_argument("--token", help="an API token (Bearer JWT) when [api] auth is jwt")
    parser.add_argument("--user", help="NAME:PASSWORD when [api] auth is basic")
    args = parser.parse_args()
    if not 2 <= args.seconds <= 3600:
        parser.error(f"--seconds must be from 2 to 3600, got {args.seconds}")
    host, _, port_text = args.sip.rpartition(":")
    if host != "127.0.0.1" or not port_text.isdigit():
        parser.error("this demo sends from 127.0.0.1: point --sip at a loopback siprecd, e.g. 127.0.0.1:5060")
    port = int(port_text)
    auth = f"Bearer {args.token}" if args.token else (
        "Basic " + base64.b64encode(args.user.encode()).decode() if args.user else None)
    work = Path(tempfile.mkdtemp(prefix="siprecd-demo-"))
    try:
        api_get(args.api, "/api/v1/status", auth)
        if not sip_answers(host, port, args.transport):
            raise DemoError(f"nothing answers SIP over {args.transport.upper()} on {host}:{port}: {START_HINT} "
                            "(or pass --sip HOST:PORT)")
        call_id = place_call(args, host, port, work, auth)
        return wait_for_recording(args, call_id, auth)
    except DemoError as error:
        print(f"demo-call: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("demo-call: interrupted", file=sys.stderr)
        return 130
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
