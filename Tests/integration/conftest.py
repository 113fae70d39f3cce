"""Fixtures for the siprecd end-to-end tests.

The daemon binary is $SIPRECD_BIN (default /work/main/.build/debug/siprecd,
i.e. <repo>/.build/debug/siprecd).  If it does not exist every test that
needs it is skipped.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import media  # noqa: E402
import netutil  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[2]
SIPRECD_BIN = Path(os.environ.get("SIPRECD_BIN", REPO_ROOT / ".build" / "debug" / "siprecd"))
TERMINAL_STATES = {"ready", "failed"}


class ApiResponse:
    def __init__(self, status: int, headers: dict, body: bytes) -> None:
        self.status, self.headers, self.body = status, headers, body

    def json(self):
        try:
            return json.loads(self.body)
        except ValueError:
            raise AssertionError(f"API answered HTTP {self.status} with non-JSON body: {self.body[:300]!r}")


class Daemon:
    """A running siprecd with its ports, data dir and stderr log."""

    def __init__(self, workdir: Path, config_text: str | None = None, tls: bool = False) -> None:
        """`tls`: also listen for SIP over TLS on `tls_port` (`--sip-tls`; the [tls] section of the config
        names the certificate); otherwise `tls_port` is None."""
        self.workdir = workdir
        self.data_dir = workdir / "data"
        self.data_dir.mkdir(parents=True)
        self.log_path = workdir / "siprecd.stderr.log"
        self.sip_port = netutil.free_port("udp+tcp")
        self.api_port = netutil.free_port("tcp")
        self.rtp_low, self.rtp_high = netutil.free_rtp_range(100)
        self.tls_port: int | None = netutil.free_port("tcp") if tls else None
        self.cmd = [str(SIPRECD_BIN), "run"]
        if config_text is not None:
            config = workdir / "siprecd.toml"
            config.write_text(config_text)
            self.cmd += ["--config", str(config)]
        self.cmd += ["--sip", f"127.0.0.1:{self.sip_port}",
                     "--api", f"127.0.0.1:{self.api_port}",
                     "--rtp-ports", f"{self.rtp_low}-{self.rtp_high}",
                     "--data-dir", str(self.data_dir)]
        if self.tls_port is not None:
            self.cmd += ["--sip-tls", f"127.0.0.1:{self.tls_port}"]
        self.proc: subprocess.Popen | None = None
        self.exit_code: int | None = None
        # Extra environment for the process (e.g. NOTIFY_SOCKET), on top of the test's own.
        self.env: dict[str, str] = {}

    # ---- lifecycle ---------------------------------------------------------
    def start(self, timeout: float = 30.0) -> None:
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(self.cmd, stdout=self._log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, env={**os.environ, **self.env})
        deadline = time.monotonic() + timeout
        last = "no answer"
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"siprecd exited with code {self.proc.returncode} during startup "
                                     f"({' '.join(self.cmd)})\n{self.log()}")
            try:
                r = self.api_get("/healthz", timeout=1.0)
                # Up: healthy, or up and refusing sessions because the data disk is below minFree.
                if (r.status, r.json().get("status")) in ((200, "ok"), (503, "lowDisk")):
                    return
                last = f"HTTP {r.status} {r.body[:200]!r}"
            except (OSError, AssertionError) as exc:
                last = repr(exc)
            time.sleep(0.1)
        raise AssertionError(f"siprecd /healthz not ok within {timeout} s (last: {last})\n{self.log()}")

    def stop(self, timeout: float = 15.0) -> None:
        if self.proc is None or self.exit_code is not None:
            return
        died_early = self.proc.poll()
        if died_early is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
                self.exit_code = self.proc.returncode
                raise AssertionError(f"siprecd did not stop within {timeout} s of SIGTERM")
        self.exit_code = self.proc.returncode
        self._log.close()
        assert died_early is None, f"siprecd died during the test (exit code {died_early})"

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return "(no log)"

    # ---- HTTP API ----------------------------------------------------------
    def api_get(self, path: str, timeout: float = 10.0) -> ApiResponse:
        url = f"http://127.0.0.1:{self.api_port}{path}"
        try:
            with urllib.request.urlopen(url, timeout=timeout) as resp:
                return ApiResponse(resp.status, dict(resp.headers), resp.read())
        except urllib.error.HTTPError as err:
            return ApiResponse(err.code, dict(err.headers or {}), err.read())
        except OSError as err:  # refused, reset, timed out, closed without response
            raise AssertionError(f"GET {path} on the siprecd API failed: {err!r}") from err

    def api_request(self, method: str, path: str, body=None, headers: dict | None = None,
                    timeout: float = 30.0) -> ApiResponse:
        """Any method; `body` (a dict, or bytes/str sent as is) as JSON."""
        data = body if isinstance(body, bytes) else body.encode() if isinstance(body, str) else \
            None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(f"http://127.0.0.1:{self.api_port}{path}", data=data, method=method,
                                     headers={"Content-Type": "application/json", **(headers or {})})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                return ApiResponse(resp.status, dict(resp.headers), resp.read())
        except urllib.error.HTTPError as err:
            return ApiResponse(err.code, dict(err.headers or {}), err.read())
        except OSError as err:
            raise AssertionError(f"{method} {path} on the siprecd API failed: {err!r}") from err

    def api_post(self, path: str, body=None, headers: dict | None = None) -> ApiResponse:
        return self.api_request("POST", path, body if body is not None else b"", headers)

    def api_json(self, path: str):
        r = self.api_get(path)
        assert r.status == 200, f"GET {path} answered HTTP {r.status}: {r.body[:300]!r}"
        return r.json()

    def recordings(self) -> list[dict]:
        body = self.api_json("/api/v1/recordings")
        assert isinstance(body.get("recordings"), list), f"recording list has no 'recordings' array: {body}"
        return body["recordings"]

    def find_recording(self, key: str) -> dict | None:
        for rec in self.recordings():
            if key in (rec.get("recordingId"), rec.get("sipRecCallId")):
                return rec
        return None

    def wait_for_state(self, key: str, state: str, timeout: float = 30.0) -> dict:
        """Wait until the recording with id or SIPREC Call-ID `key` is in `state`."""
        deadline = time.monotonic() + timeout
        rec = None
        while time.monotonic() < deadline:
            assert self.alive(), f"siprecd died while waiting for recording {key} to become {state}"
            rec = self.find_recording(key)
            if rec is not None:
                if rec.get("state") == state:
                    return rec
                if rec.get("state") in TERMINAL_STATES and state in TERMINAL_STATES:
                    raise AssertionError(f"recording {key} ended as {rec.get('state')!r}, expected "
                                         f"{state!r}: {json.dumps(rec, indent=1)}")
            time.sleep(0.2)
        raise AssertionError(f"recording {key} not {state!r} within {timeout} s; last seen: "
                             f"{json.dumps(rec, indent=1) if rec else 'not listed at all'}")

    def download(self, rec_id: str, fmt: str, dest: Path) -> Path:
        r = self.api_get(f"/api/v1/recordings/{rec_id}/audio?format={fmt}", timeout=60)
        assert r.status == 200, f"downloading the {fmt} of {rec_id} answered HTTP {r.status}: {r.body[:300]!r}"
        assert len(r.body) > 0, f"the {fmt} download of {rec_id} is empty"
        dest.write_bytes(r.body)
        return dest


def passive_follower(srs: Daemon, workdir: Path) -> Daemon:
    """A passive siprecd on lo (libpcap) following `srs`'s SIP port (UDP and TCP) and RTP range instead of
    ports of its own; not started."""
    passive = Daemon(workdir, (
        '[sip]\nmode = "passive"\n'
        f'listen = ["udp:127.0.0.1:{srs.sip_port}", "tcp:127.0.0.1:{srs.sip_port}"]\n'
        '[media]\ncapture = "pcap"\ninterface = "lo"\n'))
    passive.cmd = [c.replace(f"127.0.0.1:{passive.sip_port}", f"127.0.0.1:{srs.sip_port}")
                   .replace(f"{passive.rtp_low}-{passive.rtp_high}", f"{srs.rtp_low}-{srs.rtp_high}")
                   for c in passive.cmd]
    return passive


# ---- fixtures -----------------------------------------------------------------

@pytest.fixture(scope="session")
def clips(tmp_path_factory) -> dict[str, media.Clip]:
    """Caller (PCMU) and callee (PCMA) speech, generated once per session."""
    return media.build_clips(tmp_path_factory.mktemp("media"))


@pytest.fixture(scope="session")
def pki(tmp_path_factory):
    """The SIP/TLS tests' CA, server and client certificates (tlscerts.py), made once per test session."""
    import tlscerts
    return tlscerts.make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def daemon_factory(request, tmp_path):
    """daemon_factory(config_text=None, tls=False) -> started Daemon, stopped at teardown (tls: with a SIP/TLS
    listener on its `tls_port`)."""
    if not SIPRECD_BIN.exists():
        pytest.skip(f"siprecd binary not found at {SIPRECD_BIN} (build it or set SIPRECD_BIN)")
    started: list[Daemon] = []
    request.node._siprecd_daemons = started

    def make(config_text: str | None = None, tls: bool = False) -> Daemon:
        d = Daemon(tmp_path / f"siprecd{len(started)}", config_text, tls=tls)
        started.append(d)
        d.start()
        return d

    yield make
    errors = []
    for d in started:
        try:
            d.stop()
        except AssertionError as exc:
            errors.append(str(exc))
    if errors:
        pytest.fail("; ".join(errors))


@pytest.fixture
def daemon(daemon_factory) -> Daemon:
    return daemon_factory()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Attach each daemon's stderr to a failing test's report."""
    outcome = yield
    rep = outcome.get_result()
    if rep.failed:
        for i, d in enumerate(getattr(item, "_siprecd_daemons", [])):
            log = d.log()
            if len(log) > 60000:
                log = "...(truncated)...\n" + log[-60000:]
            rep.sections.append((f"siprecd #{i} stderr ({d.log_path})", log))
