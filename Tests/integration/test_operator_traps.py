"""Traps a first-day installer fell into: a second instance must not silently share the ports of
the first — siprecd refuses to start and names the transport, address and port."""

from __future__ import annotations

import subprocess

import netutil
from conftest import SIPRECD_BIN


def second_instance(tmp_path, args: list[str]) -> subprocess.CompletedProcess:
    data = tmp_path / "second"
    data.mkdir(exist_ok=True)
    low, high = netutil.free_rtp_range(10)
    return subprocess.run([str(SIPRECD_BIN), "run", "--data-dir", str(data), "--rtp-ports", f"{low}-{high}", *args],
                          capture_output=True, text=True, timeout=30)


def test_a_second_instance_on_the_same_ports_refuses_to_start_and_says_why(daemon, tmp_path):
    api = netutil.free_port("tcp")
    # The first daemon holds UDP and TCP SIP on its port: the second may not share the UDP one.
    taken = second_instance(tmp_path, ["--sip", f"127.0.0.1:{daemon.sip_port}", "--api", f"127.0.0.1:{api}"])
    assert taken.returncode != 0, "a second siprecd started on a SIP port in use"
    assert f"cannot listen for SIP over UDP on 127.0.0.1:{daemon.sip_port}" in taken.stderr + taken.stdout, taken.stderr[-2000:]
    # The API port in use, SIP free.
    sip = netutil.free_port("udp+tcp")
    taken = second_instance(tmp_path, ["--sip", f"127.0.0.1:{sip}", "--api", f"127.0.0.1:{daemon.api_port}"])
    assert taken.returncode != 0, "a second siprecd started on an API port in use"
    assert f"cannot listen for the API (HTTP over TCP) on 127.0.0.1:{daemon.api_port}" in taken.stderr + taken.stdout, taken.stderr[-2000:]
    assert "Address already in use" in taken.stderr + taken.stdout
    # The first one is untouched.
    assert daemon.api_get("/healthz").status == 200


def test_the_same_data_directory_and_a_live_control_socket_are_refused(daemon, tmp_path):
    """A second siprecd on the first one's data directory would 'recover' its live recordings: refused
    before the catalog is touched, naming the directory and the pid. A control socket someone answers on is
    not taken over either."""
    sip, api = netutil.free_port("udp+tcp"), netutil.free_port("tcp")
    low, high = netutil.free_rtp_range(10)
    shared = subprocess.run([str(SIPRECD_BIN), "run", "--data-dir", str(daemon.data_dir), "--rtp-ports", f"{low}-{high}",
                             "--sip", f"127.0.0.1:{sip}", "--api", f"127.0.0.1:{api}"], capture_output=True, text=True, timeout=30)
    assert shared.returncode != 0, "a second siprecd started on a data directory in use"
    assert f"the data directory {daemon.data_dir} is in use by siprecd (pid {daemon.proc.pid})" in shared.stderr, shared.stderr[-2000:]
    # Another data directory, the first one's control socket.
    config = tmp_path / "control.toml"
    config.write_text(f'[api]\ncontrolSocket = "{daemon.data_dir}/control.sock"\n')
    taken = second_instance(tmp_path, ["--config", str(config), "--sip", f"127.0.0.1:{sip}", "--api", f"127.0.0.1:{api}"])
    assert taken.returncode != 0
    assert f"cannot listen for the control socket on {daemon.data_dir}/control.sock: another siprecd answers on it" in taken.stderr, taken.stderr[-2000:]
    assert daemon.api_get("/healthz").status == 200
    control = subprocess.run([str(SIPRECD_BIN), "status", "--data-dir", str(daemon.data_dir), "--json"],
                             capture_output=True, text=True, timeout=30)
    assert control.returncode == 0 and '"activeRecordings"' in control.stdout, control.stderr


def test_sip_over_tcp_in_use_is_named(tmp_path):
    import socket
    port = netutil.free_port("udp+tcp")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as holder:
        holder.bind(("127.0.0.1", port))
        holder.listen(1)
        taken = second_instance(tmp_path, ["--sip", f"127.0.0.1:{port}", "--api", f"127.0.0.1:{netutil.free_port('tcp')}"])
    assert taken.returncode != 0
    assert f"cannot listen for SIP over TCP on 127.0.0.1:{port}: Address already in use" in taken.stderr, taken.stderr[-2000:]


def siprecd(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([str(SIPRECD_BIN), *args], capture_output=True, text=True, timeout=30, cwd=cwd)


def test_flags_that_were_silently_ignored_are_refused_or_used(tmp_path):
    bad = siprecd("run", "--log-level", "verbose", "--data-dir", str(tmp_path / "d"))
    assert bad.returncode != 0
    assert "--log-level 'verbose' is not a level: one of trace, debug, info, notice, warning, error, critical" in bad.stderr, bad.stderr
    assert not (tmp_path / "d").exists(), "siprecd started before refusing the flag"
    # --interface sets the capture interface; SIP off loopback with capture on lo is warned about.
    shown = siprecd("config", "show", "--interface", "eth7")
    assert shown.returncode == 0 and 'interface = "eth7"' in shown.stdout, shown.stderr
    warned = siprecd("config", "show", "--sip", "0.0.0.0:5060")
    assert "# warning: SIP listens on udp:0.0.0.0:5060 (off loopback) but RTP is captured on 'lo'" in warned.stdout
    check = siprecd("config", "check", "--sip", "0.0.0.0:5060")
    assert check.returncode == 0 and "warning: SIP listens on udp:0.0.0.0:5060" in check.stderr, check.stderr
    quiet = siprecd("config", "check", "--sip", "0.0.0.0:5060", "--interface", "eth0")
    assert quiet.returncode == 0 and "warning" not in quiet.stderr, quiet.stderr
    assert siprecd("config", "check", "--interface", "a/b").returncode != 0


def test_error_messages_say_what_is_wrong(tmp_path):
    missing = siprecd("config", "check", str(tmp_path / "nope.toml"))
    assert missing.returncode != 0 and f"config file {tmp_path / 'nope.toml'} does not exist" in missing.stderr, missing.stderr
    folder = siprecd("run", "--config", str(tmp_path))
    assert folder.returncode != 0 and "is a directory" in folder.stderr, folder.stderr
    unquoted = tmp_path / "ports.toml"
    unquoted.write_text("[media]\nrtpPorts = 20000-29999\n")
    quote = siprecd("config", "check", str(unquoted))
    assert quote.returncode != 0 and 'write it in quotes ("20000-29999")' in quote.stderr, quote.stderr
    several = tmp_path / "several.toml"
    several.write_text('[sip]\nbogus = 1\n[media]\nrtpPorts = "1-2"\nmp3Bitrate = 999\n')
    run = siprecd("run", "--config", str(several), "--data-dir", str(tmp_path / "d"))
    assert run.returncode != 0
    for problem in ("line 2: unknown key 'sip.bogus'", "line 4: 'media.rtpPorts'", "line 5: 'media.mp3Bitrate'", "3 errors in"):
        assert problem in run.stderr, run.stderr
    port = siprecd("run", "--sip", "127.0.0.1:99999")
    assert port.returncode != 0 and "--sip 127.0.0.1:99999: port 99999 is out of range (0 to 65535)" in port.stderr, port.stderr
    assert "Usage:" not in port.stderr
    defaults = siprecd("config", "check")
    assert defaults.returncode == 0 and "no file given, so the embedded defaults" in defaults.stdout, defaults.stdout
    state = siprecd("recordings", "--data-dir", str(tmp_path / "d2"), "--state", "bogus")
    assert state.returncode != 0 and "unknown state 'bogus': one of pending, recording, paused, ready" in state.stderr, state.stderr


def test_unreadable_config_is_not_called_missing(tmp_path):
    import os
    if os.geteuid() != 0:
        import pytest
        pytest.skip("needs root to drop to another user")
    import shutil
    import tempfile
    from pathlib import Path
    base = Path(tempfile.mkdtemp(prefix="siprecd-perm-"))
    try:
        os.chmod(base, 0o755)
        config = base / "siprecd.toml"
        config.write_text("[media]\n")
        os.chmod(config, 0o600)
        binary = base / "siprecd"
        shutil.copy(SIPRECD_BIN, binary)
        denied = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", str(binary), "config", "check",
                                 str(config)], capture_output=True, text=True, timeout=30, cwd=base)
        assert denied.returncode != 0
        assert f"cannot read config file {config}: permission denied for user id 65534" in denied.stderr, denied.stderr
        assert "mode 600" in denied.stderr and "does not exist" not in denied.stderr
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_state_filter_of_the_api_lists_the_states(daemon):
    bad = daemon.api_get("/api/v1/recordings?state=bogus")
    assert bad.status == 400
    assert bad.json()["error"].startswith("unknown state 'bogus': one of pending, recording, paused, ready, stored")
    assert daemon.api_get("/api/v1/recordings?state=ready").status == 200


def documentation_files():
    from pathlib import Path
    repo = Path(__file__).resolve().parents[2]
    return repo, [repo / "README.md", *sorted((repo / "docs").glob("*.md")), repo / "board/README.md",
                  repo / "Tests/integration/README.md", repo / "RELIABILITY.md", repo / "BENCHMARKS.md"]


def test_every_toml_example_in_the_documentation_passes_config_check(tmp_path):
    """Examples naming the box's TLS files (/etc/siprecd/tls/…) are checked against a real certificate, key and
    CA made for the test in their place: config check reads them as the daemon would."""
    import re
    import tlscerts
    repo, files = documentation_files()
    pki = tlscerts.make_pki(tmp_path / "pki")
    tls_files = {"/etc/siprecd/tls/server.pem": pki.server.cert, "/etc/siprecd/tls/server.key": pki.server.key,
                 "/etc/siprecd/tls/sbc-ca.pem": pki.ca.cert}
    checked = 0
    for doc in files:
        text = doc.read_text()
        for block in re.finditer(r"^```toml\n(.*?)^```", text, re.S | re.M):
            line = text[:block.start()].count("\n") + 1
            example = tmp_path / f"{doc.stem}-{line}.toml"
            body = block.group(1)
            for path, made in tls_files.items():
                body = body.replace(f'"{path}"', f'"{made}"')
            example.write_text(body)
            done = siprecd("config", "check", str(example))
            assert done.returncode == 0, f"{doc.relative_to(repo)} line {line}: {done.stderr}"
            checked += 1
    # The shipped default configuration too.
    assert siprecd("config", "check", str(repo / "rootfs-overlay/etc/siprecd/siprecd.toml")).returncode == 0
    assert checked >= 5, f"only {checked} TOML examples found"


def test_the_documentation_has_no_words_a_reader_cannot_follow():
    import re
    repo, files = documentation_files()
    for doc in files:
        for number, line in enumerate(doc.read_text().splitlines(), 1):
            for pattern in (r"\breference 0\d\d\b", r"(?<!swift-nio )\bissues? \d+\b", r"reserved for later releases", r"about 40 s\b"):
                assert not re.search(pattern, line, re.I), f"{doc.relative_to(repo)}:{number}: {line.strip()[:120]}"


def test_api_md_lists_every_endpoint_and_field():
    import json
    import re
    repo, _ = documentation_files()
    document = json.loads((repo / "docs/openapi.json").read_text())
    api = (repo / "docs/api.md").read_text()
    for path, operations in document["paths"].items():
        for method in operations:
            if method in ("get", "post", "put", "delete", "patch"):
                assert path in api, f"docs/api.md does not list {method.upper()} {path}"
    fields: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            fields.update(node.get("properties", {}))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
    walk(document)
    missing = sorted(f for f in fields if not re.search(r"`[^`]*\b" + re.escape(f) + r"\b[^`]*`", api))
    assert not missing, f"fields of docs/openapi.json that docs/api.md never names: {missing}"


def test_demo_call_says_to_start_siprecd_then_records_and_cleans_up(daemon, tmp_path):
    import glob
    import os
    import sys
    from pathlib import Path
    repo = Path(__file__).resolve().parents[2]
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    dead_api, dead_sip = netutil.free_port("tcp"), netutil.free_port("udp+tcp")
    alone = subprocess.run([sys.executable, "scripts/demo_call.py", "--sip", f"127.0.0.1:{dead_sip}", "--api", f"127.0.0.1:{dead_api}"],
                           cwd=repo, capture_output=True, text=True, timeout=60, env=env)
    assert alone.returncode == 2, alone.stdout + alone.stderr
    assert "make run" in alone.stderr and "Traceback" not in alone.stderr and "SIP/2.0" not in alone.stderr, alone.stderr
    done = subprocess.run([sys.executable, "scripts/demo_call.py", "--sip", f"127.0.0.1:{daemon.sip_port}",
                           "--api", f"127.0.0.1:{daemon.api_port}", "--seconds", "4"],
                          cwd=repo, capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "curl -fo call.mp3" in done.stdout and "/pause" in done.stdout, done.stdout
    assert not glob.glob(str(tmp_path / "siprecd-demo-*")), "the demo left its temporary folder"
    recording = daemon.api_get("/api/v1/recordings").json()["recordings"][0]
    assert recording["state"] == "ready"
    # The speech runs the whole call: no second of the caller's channel is silent.
    import numpy as np
    from media import parse_wav
    wav = parse_wav(daemon.api_get(f"/api/v1/recordings/{recording['recordingId']}/audio?format=wav").body)
    caller = wav.samples[:, 0].astype(np.int32)
    seconds = [np.abs(caller[i:i + 8000]).max() for i in range(0, 4 * 8000, 8000)]
    assert all(peak > 500 for peak in seconds), f"silent seconds in the demo's speech: {seconds}"
