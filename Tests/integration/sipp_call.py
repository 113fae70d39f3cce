"""Runs scenarios/siprec_uac.xml with sipp and reads its message log."""

from __future__ import annotations

import re
import subprocess
import time
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import netutil

SCENARIO = Path(__file__).resolve().parent / "scenarios" / "siprec_uac.xml"
TRANSPORTS = {"udp": "u1", "tcp": "t1"}


@dataclass
class SipMessage:
    wall_time: float
    direction: str  # "sent" or "received"
    text: str

    @property
    def start_line(self) -> str:
        return self.text.split("\r\n", 1)[0].split("\n", 1)[0]

    def header(self, name: str) -> str | None:
        head = re.split(r"\r?\n\r?\n", self.text, maxsplit=1)[0]
        for line in re.split(r"\r?\n", head)[1:]:
            key, _, value = line.partition(":")
            if key.strip().lower() == name.lower():
                return value.strip()
        return None

    @property
    def body(self) -> str:
        parts = re.split(r"\r?\n\r?\n", self.text, maxsplit=1)
        return parts[1] if len(parts) > 1 else ""


class SippCall:
    """One SIPREC call from sipp to the daemon.

    mode: "full" (pause/resume re-INVITEs), "simple" (INVITE, BYE) or
    "nobye" (INVITE, then sipp ends without BYE).  pauses_ms are the
    scenario's pause1/pause2/pause3.
    """

    def __init__(self, sip_port: int, transport: str, workdir: Path, mode: str = "simple",
                 pauses_ms: tuple[int, int, int] = (1000, 1000, 1000), conversation_id: str | None = None,
                 service: str = "recorder") -> None:
        self.transport = transport
        self.workdir = workdir
        workdir.mkdir(parents=True, exist_ok=True)
        self.call_id = f"siprec-it-{transport}-{uuid.uuid4().hex[:12]}@127.0.0.1"
        self.conversation_id = conversation_id or f"conv-{uuid.uuid4().hex[:12]}"
        self.portfile = workdir / "ports.txt"
        self.message_file = workdir / "sipp_messages.log"
        self.error_file = workdir / "sipp_errors.log"
        self.stdout_file = workdir / "sipp_stdout.log"
        self.cmd = [
            "sipp", f"127.0.0.1:{sip_port}",
            "-sf", str(SCENARIO),
            "-t", TRANSPORTS[transport],
            "-i", "127.0.0.1",
            "-p", str(netutil.free_port("udp+tcp")),
            "-mp", str(netutil.free_port("udp", even_pair=True)),
            "-s", service,
            "-m", "1",
            "-cid_str", self.call_id,
            "-set", "portfile", str(self.portfile),
            "-set", "mode", mode,
            "-set", "pause1", str(pauses_ms[0]),
            "-set", "pause2", str(pauses_ms[1]),
            "-set", "pause3", str(pauses_ms[2]),
            "-set", "convid", self.conversation_id,
            "-trace_msg", "-message_file", str(self.message_file),
            "-trace_err", "-error_file", str(self.error_file),
            "-timeout", "120s", "-timeout_error",
            "-nostdin", "-nr",
        ]
        self.proc: subprocess.Popen | None = None

    def start(self) -> "SippCall":
        self._stdout = open(self.stdout_file, "wb")
        self.proc = subprocess.Popen(self.cmd, stdout=self._stdout, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, cwd=self.workdir)
        return self

    def diagnostics(self) -> str:
        out = [f"sipp command: {' '.join(self.cmd)}"]
        for f in (self.error_file, self.message_file):
            if f.exists():
                out.append(f"--- {f.name} ---\n{f.read_text(errors='replace')[-6000:]}")
        if self.stdout_file.exists():
            out.append(f"--- sipp output (tail) ---\n{self.stdout_file.read_text(errors='replace')[-2000:]}")
        return "\n".join(out)

    def wait_ports(self, timeout: float = 15.0) -> tuple[int, int]:
        """The two RTP ports of the daemon's 200 OK (written by the scenario)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.portfile.exists():
                text = self.portfile.read_text().split()
                if len(text) == 2:
                    return int(text[0]), int(text[1])
            if self.proc.poll() is not None:
                break
            time.sleep(0.005)
        raise AssertionError("daemon did not answer the SIPREC INVITE with a 200 OK carrying "
                             "two m=audio ports\n" + self.diagnostics())

    def wait(self, timeout: float = 120.0) -> None:
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError(f"sipp call did not finish within {timeout} s\n" + self.diagnostics())
        finally:
            self._stdout.close()
        assert rc == 0, f"sipp call failed (exit {rc}): the daemon did not follow the SIP flow\n" + self.diagnostics()

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)

    # ---- message log -----------------------------------------------------
    def messages(self) -> list[SipMessage]:
        text = self.message_file.read_text(errors="replace")
        out = []
        for block in re.split(r"^-{20,} ", text, flags=re.M)[1:]:
            stamp, _, rest = block.partition("\n")
            kind, _, msg = rest.partition("\n")
            when = datetime.strptime(stamp.strip(), "%Y-%m-%d %H:%M:%S.%f").timestamp()
            direction = "sent" if " sent" in kind else "received"
            out.append(SipMessage(when, direction, msg.strip("\r\n") + "\r\n"))
        return out

    def sent_requests(self, method: str) -> list[SipMessage]:
        return [m for m in self.messages()
                if m.direction == "sent" and m.start_line.startswith(method + " ")]

    def final_responses(self, method: str) -> list[SipMessage]:
        """Final (>= 200) responses received for ``method``, in order."""
        out = []
        for m in self.messages():
            if m.direction != "received" or not m.start_line.startswith("SIP/2.0 "):
                continue
            code = int(m.start_line.split()[1])
            cseq = (m.header("CSeq") or "").split()
            if code >= 200 and len(cseq) == 2 and cseq[1] == method:
                out.append(m)
        return out
