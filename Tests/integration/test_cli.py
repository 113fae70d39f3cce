"""The command line as operators and installers use it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
from pathlib import Path

import pytest

from conftest import SIPRECD_BIN

REPO = Path(__file__).resolve().parents[2]


def siprecd(*args: str) -> subprocess.CompletedProcess:
    if not SIPRECD_BIN.exists():
        pytest.skip(f"siprecd binary not found at {SIPRECD_BIN}")
    return subprocess.run([str(SIPRECD_BIN), *args], capture_output=True, text=True, timeout=30)


def test_version_is_printed():
    out = siprecd("--version")
    assert out.returncode == 0 and out.stdout.strip().count(".") == 2, f"--version printed {out.stdout!r}"


def test_shipped_configuration_is_valid():
    out = siprecd("config", "check", "--config", str(REPO / "rootfs-overlay/etc/siprecd/siprecd.toml"))
    assert out.returncode == 0, f"the config shipped in rootfs-overlay is rejected: {out.stderr}"


def test_embedded_defaults_are_the_documented_ones():
    out = siprecd("config", "show")
    assert out.returncode == 0, out.stderr
    text = out.stdout
    for expected in ('"udp:127.0.0.1:5060"', '"tcp:127.0.0.1:5060"', 'rtpPorts = "20000-29999"',
                     'dataDir = "./var"', 'listen = "127.0.0.1:8080"', 'rtpTimeout = "30s"'):
        assert expected in text, f"`config show` lacks {expected}:\n{text}"


def test_flags_override_the_config_file(tmp_path):
    cfg = tmp_path / "siprecd.toml"
    cfg.write_text('[media]\nrtpPorts = "40000-40999"\n[storage]\ndataDir = "/srv/a"\n')
    out = siprecd("config", "show", "--config", str(cfg), "--data-dir", "/srv/b", "--sip", "0.0.0.0:5080",
                  "--rtp-ports", "30001-30100", "--api", "127.0.0.1:9090")
    assert out.returncode == 0, out.stderr
    assert 'dataDir = "/srv/b"' in out.stdout, out.stdout
    assert '"udp:0.0.0.0:5080"' in out.stdout and '"tcp:0.0.0.0:5080"' in out.stdout, out.stdout
    assert 'rtpPorts = "30002-30100"' in out.stdout, f"odd low port should round up to even:\n{out.stdout}"
    assert 'listen = "127.0.0.1:9090"' in out.stdout, out.stdout


def test_a_wrong_key_is_reported_with_its_line(tmp_path):
    cfg = tmp_path / "bad.toml"
    cfg.write_text('[media]\nrtpTimeout = "30s"\nrtpPort = "20000-20100"\n')
    out = siprecd("config", "check", "--config", str(cfg))
    assert out.returncode != 0, "a config with an unknown key was accepted"
    assert "line 3" in out.stderr and "rtpPort" in out.stderr and "rtpPorts" in out.stderr, out.stderr


def test_config_check_file_reports_every_error(tmp_path):
    cfg = tmp_path / "bad.toml"
    cfg.write_text('[media]\nmp3Bitrate = 9999\ncapture = "tap"\n[api]\nauth = "magic"\n[audio]\ndevice = ""\n')
    out = siprecd("config", "check", str(cfg))          # the file as an argument, as installers type it
    assert out.returncode == 1, out.stdout
    lines = [line for line in out.stderr.splitlines() if line.startswith(str(cfg))]
    assert [re.search(r"line (\d+)", line).group(1) for line in lines[:4]] == ["2", "3", "5", "7"], out.stderr
    for key in ("media.mp3Bitrate", "media.capture", "api.auth", "audio.device"):
        assert key in out.stderr, f"{key} not reported: {out.stderr}"
    assert "4 errors in" in out.stderr, out.stderr


def test_bad_flag_values_are_refused():
    out = siprecd("config", "check", "--rtp-ports", "banana")
    assert out.returncode != 0 and "--rtp-ports" in out.stderr, out.stderr


def test_recordings_on_an_empty_data_dir(tmp_path):
    out = siprecd("recordings", "--data-dir", str(tmp_path / "var"))
    assert out.returncode == 0, out.stderr
    assert "no recordings" in out.stdout and "no catalog" in out.stdout, out.stdout
    assert not (tmp_path / "var").exists(), "listing recordings created a data directory"


def test_status_and_doctor_talk_to_the_running_server(daemon):
    api = f"127.0.0.1:{daemon.api_port}"
    status = siprecd("status", "--api", api)
    assert status.returncode == 0, status.stderr
    assert "active recordings: 0" in status.stdout and "sip_messages_received_total" in status.stdout, status.stdout
    doctor = siprecd("doctor", "--api", api, "--data-dir", str(daemon.data_dir))
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
    lines = {line.split()[1]: line.split()[0] for line in doctor.stdout.splitlines() if line.split()}
    assert lines.get("server") == "OK" and lines.get("configuration") == "OK", doctor.stdout


def test_status_says_when_the_server_is_down():
    out = siprecd("status", "--api", "127.0.0.1:1")
    assert out.returncode != 0 and "not answering" in out.stderr, out.stderr


def test_unauthenticated_api_is_refused_off_loopback(tmp_path):
    out = siprecd("config", "check", "--api", "0.0.0.0:8080")
    assert out.returncode != 0 and "loopback" in out.stderr, out.stderr
    cfg = tmp_path / "jwt.toml"
    cfg.write_text('[api]\nlisten = "0.0.0.0:18080"\nauth = "jwt"\njwtSecret = "s"\n')
    run = subprocess.run([str(SIPRECD_BIN), "run", "--config", str(cfg), "--data-dir", str(tmp_path / "d"),
                          "--sip", "127.0.0.1:0"], capture_output=True, text=True, timeout=30)
    # A weak HS256 secret is refused at start, with the reason (RFC 7518 §3.2: at least 32 bytes).
    assert run.returncode != 0 and "at least 32" in run.stderr, run.stderr


def test_config_show_masks_secrets(tmp_path):
    cfg = tmp_path / "siprecd.toml"
    cfg.write_text('[webhooks]\nbase = "http://127.0.0.1:9/x"\nsecret = "do-not-print-me"\n'
                   '[api]\nbasicUsers = { sbc = "sbc-password-here" }\n')
    shown = siprecd("config", "show", "--config", str(cfg))
    assert shown.returncode == 0 and "do-not-print-me" not in shown.stdout and "sbc-password-here" not in shown.stdout, shown.stdout
    assert 'secret = "***"' in shown.stdout and 'sbc = "***"' in shown.stdout, shown.stdout
    plain = siprecd("config", "show", "--config", str(cfg), "--show-secrets")
    assert "do-not-print-me" in plain.stdout


def test_environment_overrides_single_keys_between_file_and_flags(tmp_path):
    import os
    cfg = tmp_path / "siprecd.toml"
    cfg.write_text('[media]\nrtpTimeout = "20s"\n[api]\nlisten = "127.0.0.1:8081"\n')
    env = {**os.environ, "SIPRECD_MEDIA_RTPTIMEOUT": "7s", "SIPRECD_API_LISTEN": "127.0.0.1:8082"}
    out = subprocess.run([str(SIPRECD_BIN), "config", "show", "--config", str(cfg), "--api", "127.0.0.1:8083"],
                         capture_output=True, text=True, timeout=30, env=env)
    assert out.returncode == 0, out.stderr
    assert 'rtpTimeout = "7s"' in out.stdout and 'listen = "127.0.0.1:8083"' in out.stdout, out.stdout   # flag wins
    bad = subprocess.run([str(SIPRECD_BIN), "config", "check"], capture_output=True, text=True, timeout=30,
                         env={**os.environ, "SIPRECD_STORAGE_DATADIRR": "/x"})
    assert bad.returncode != 0 and "SIPRECD_STORAGE_DATADIR" in bad.stderr, bad.stderr


def test_sighup_reloads_what_can_change_and_names_what_needs_a_restart(tmp_path):
    import signal
    import time
    from conftest import Daemon

    daemon = Daemon(tmp_path / "siprecd", '[media]\ncapture = "socket"\n')
    config = daemon.workdir / "siprecd.toml"
    try:
        daemon.start()
        start = {"command": "start", "callKey": "k"}
        before = daemon.api_post("/api/v1/sip/sipRecording", start)
        assert before.status == 404 and 'trigger = "rest"' in before.json()["error"], before.body
        config.write_text('[media]\ncapture = "socket"\nmp3Bitrate = 64\n[[rules]]\ntrigger = "rest"\n[api]\npendingStart = "0s"\n')
        daemon.proc.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and "configuration reloaded" not in daemon.log():
            time.sleep(0.1)
        assert "configuration reloaded" in daemon.log()
        assert "needs_restart=[media] (ports, capture, encoder)" in daemon.log(), daemon.log()[-600:]   # mp3Bitrate
        after = daemon.api_post("/api/v1/sip/sipRecording", start)       # the rest rule and pendingStart = 0 apply
        assert after.status == 404 and "waits for a REST start" in after.json()["error"], after.body
        config.write_text("[media]\nrtpPorts = \"bad\"\n")
        daemon.proc.send_signal(signal.SIGHUP)
        time.sleep(1.0)
        assert "configuration reload refused" in daemon.log() and daemon.alive()
    finally:
        daemon.stop()


def test_calls_status_and_recordings_by_call_key(daemon_factory, tmp_path):
    import json
    from sipp_call import SippCall

    daemon = daemon_factory('[media]\ncapture = "socket"\n[[rules]]\ncallKey = "header:X-ConversationId"\n')
    api = ["--api", f"127.0.0.1:{daemon.api_port}"]
    call = SippCall(daemon.sip_port, "udp", tmp_path / "call", pauses_ms=(30_000, 0, 0), conversation_id="conv-cli").start()
    try:
        call.wait_ports()
        rec = daemon.wait_for_state(call.call_id, "recording")
        live = siprecd("calls", *api)
        assert live.returncode == 0 and rec["recordingId"] in live.stdout and "conv-cli" in live.stdout, live.stdout
        as_json = json.loads(siprecd("calls", "--json", *api).stdout)
        assert [c["recordingId"] for c in as_json["calls"]] == [rec["recordingId"]]
        status = siprecd("status", *api)
        assert status.returncode == 0 and "uptime:" in status.stdout, status.stdout
        assert re.search(r"^capture: +socket$", status.stdout, re.M), status.stdout
        counters = json.loads(siprecd("status", "--json", *api).stdout)
        assert counters["status"]["activeRecordings"] == 1 and "siprecd_sessions" in counters["counters"], counters
    finally:
        call.kill()
    listed = siprecd("recordings", "--data-dir", str(daemon.data_dir), "--call-key", "conv-cli")
    assert rec["recordingId"] in listed.stdout, listed.stdout
    none = siprecd("recordings", "--data-dir", str(daemon.data_dir), "--call-key", "other")
    assert rec["recordingId"] not in none.stdout and "(no recordings)" in none.stdout


def test_control_socket_serves_operators_when_the_api_wants_tokens(daemon_factory, tmp_path):
    """With JWT on the API, status/calls still work on the box over the control socket (0660), show the last
    errors, and over the API port they need SIPRECD_TOKEN."""
    short = Path(tempfile.mkdtemp(prefix="sd-", dir="/tmp"))   # Unix socket paths are limited to 107 bytes
    sock = short / "control.sock"
    secret = "0123456789abcdef0123456789abcdef"
    # A capture interface that does not exist: siprecd falls back to sockets with a warning status lists.
    daemon = daemon_factory(f'[media]\ncapture = "pcap"\ninterface = "nosuchif0"\n[api]\nauth = "jwt"\n'
                            f'jwtSecret = "{secret}"\ncontrolSocket = "{sock}"\n')
    assert sock.is_socket() and (sock.stat().st_mode & 0o777) == 0o660, oct(sock.stat().st_mode)
    config = daemon.workdir / "siprecd.toml"
    common = ["--config", str(config), "--api", f"127.0.0.1:{daemon.api_port}", "--data-dir", str(daemon.data_dir)]
    status = siprecd("status", "--json", *common)
    assert status.returncode == 0, status.stderr
    doc = json.loads(status.stdout)["status"]
    assert doc["status"] == "ok" and doc["capture"] == "socket" and doc["drops"]["ringFull"] == 0, doc
    assert [e["level"] for e in doc["lastErrors"]] == ["warning"] and "nosuchif0" in doc["lastErrors"][0]["message"], doc
    text = siprecd("status", *common)
    assert f"via {sock}" in text.stdout and "last errors (newest first):" in text.stdout, text.stdout
    calls = siprecd("calls", *common)
    assert calls.returncode == 0 and "(no calls being recorded)" in calls.stdout, calls.stderr
    # On the box the operator types no flags: SIPRECD_CONFIG (or /etc/siprecd/siprecd.toml) names the file.
    bare = subprocess.run([str(SIPRECD_BIN), "status"], capture_output=True, text=True, timeout=30,
                          env={**os.environ, "SIPRECD_CONFIG": str(config)})
    assert bare.returncode == 0 and f"via {sock}" in bare.stdout, bare.stdout + bare.stderr

    # Over the API port (no access to the socket): the token decides.
    tcp_only = [*common[:-2], "--data-dir", str(tmp_path / "elsewhere")]
    off = {**os.environ, "SIPRECD_API_CONTROLSOCKET": "none"}
    refused = subprocess.run([str(SIPRECD_BIN), "calls", *tcp_only], capture_output=True, text=True, timeout=30, env=off)
    assert refused.returncode != 0 and "SIPRECD_TOKEN" in refused.stderr, refused.stderr
    public = subprocess.run([str(SIPRECD_BIN), "status", *tcp_only], capture_output=True, text=True, timeout=30, env=off)
    assert public.returncode == 0 and "need the control socket or SIPRECD_TOKEN" in public.stdout, public.stdout
    token = hs256({"sub": "tech", "admin": True, "exp": int(__import__("time").time()) + 300}, secret)
    allowed = subprocess.run([str(SIPRECD_BIN), "calls", "--json", *tcp_only], capture_output=True, text=True, timeout=30,
                             env={**off, "SIPRECD_TOKEN": token})
    assert allowed.returncode == 0 and json.loads(allowed.stdout) == {"calls": []}, allowed.stderr
    daemon.stop()
    assert not sock.exists(), "the control socket was left behind at shutdown"


def hs256(claims: dict, secret: str) -> str:
    import base64
    import hashlib
    import hmac
    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
    head = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode()) + "." + b64(json.dumps(claims).encode())
    return head + "." + b64(hmac.new(secret.encode(), head.encode(), hashlib.sha256).digest())


def test_doctor_checks_ports_disk_clock_webhooks_and_audio(tmp_path):
    """Without a server: ports are free or named as taken, the disk write test runs, webhooks are tried."""
    from hooks import Hooks
    import netutil
    import socket as pysocket
    hooks = Hooks(tmp_path)
    try:
        hooks.wait_listening()
        sip, api = netutil.free_port("udp+tcp"), netutil.free_port("tcp")
        taken = pysocket.socket(pysocket.AF_INET, pysocket.SOCK_STREAM)
        taken.setsockopt(pysocket.SOL_SOCKET, pysocket.SO_REUSEADDR, 1)
        taken.bind(("127.0.0.1", api))
        taken.listen(1)
        dead = netutil.free_port("tcp")
        cfg = tmp_path / "siprecd.toml"
        cfg.write_text(f'[webhooks]\nbase = "{hooks.url()}"\nalarms = "http://127.0.0.1:{dead}/alarms"\n'
                       f'[audio]\ndevice = "no_such_pcm"\n[media]\ncapture = "socket"\n')
        data = tmp_path / "data"
        data.mkdir()
        out = siprecd("doctor", "--json", "--config", str(cfg), "--sip", f"127.0.0.1:{sip}",
                      "--api", f"127.0.0.1:{api}", "--data-dir", str(data))
        report = json.loads(out.stdout)
        checks = {c["check"]: c for c in report["checks"]}
        assert out.returncode == 1 and report["failures"] >= 2, out.stdout
        assert checks["ports"]["level"] == "FAIL" and f"API 127.0.0.1:{api}: in use" in checks["ports"]["detail"], checks["ports"]
        assert f"udp:127.0.0.1:{sip}" not in checks["ports"]["detail"], checks["ports"]
        assert checks["disk write"]["level"] == "OK" and "read back 4 MB" in checks["disk write"]["detail"]
        assert list(data.iterdir()) == [], "the disk write test left a file behind"
        assert checks["webhooks"]["level"] == "OK" and "answers (HTTP" in checks["webhooks"]["detail"], checks["webhooks"]
        assert checks["alarm webhook"]["level"] == "FAIL" and "refused" in checks["alarm webhook"]["detail"].lower(), checks["alarm webhook"]
        assert checks["audio"]["level"] == "WARN" and "no_such_pcm" in checks["audio"]["detail"], checks["audio"]
        assert checks["clock"]["level"] in ("OK", "WARN"), checks["clock"]      # this machine's NTP state varies
        assert checks["server"]["level"] == "WARN", checks["server"]
        taken.close()
        freed = json.loads(siprecd("doctor", "--json", "--config", str(cfg), "--sip", f"127.0.0.1:{sip}",
                                   "--api", f"127.0.0.1:{api}", "--data-dir", str(data)).stdout)
        assert {c["check"]: c["level"] for c in freed["checks"]}["ports"] == "OK", freed
    finally:
        hooks.stop()
