"""SIP over TLS seen from outside: a capture of a TLS SRC's call holds no session that a passive siprecd or
`siprecd replay` can read — the INVITE, its metadata and the SDES keys of its SRTP are encrypted. Both say so
plainly, naming the SRC and the SRS, instead of staying silent or recording noise, while the active SRS
records the same call bit for bit. (Passive mode and replay with visible keys: test_srtp.py.)"""

from __future__ import annotations

import json
import os
import subprocess
import time

import pytest

from conftest import SIPRECD_BIN, passive_follower
from loopcapture import LoopbackCapture
from test_tls import secure_call, tls_config, tls_dialog
from waiting import wait_for

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="capturing on lo needs root (CI runs as root)")


def test_replay_of_a_tls_srcs_call_says_its_sessions_cannot_be_read(daemon_factory, pki, clips, tmp_path):
    daemon = daemon_factory(tls_config(pki, media_='capture = "socket"\n'), tls=True)
    capture = tmp_path / "tls-call.pcap"
    with LoopbackCapture(capture, f"tcp port {daemon.tls_port} or udp portrange {daemon.rtp_low}-{daemon.rtp_high}"):
        dialog = tls_dialog(daemon, pki)
        secure_call(daemon, dialog, clips, tmp_path / "call")      # the SRS itself records it bit-exact
        dialog.close()
    pair = f"127.0.0.1 → 127.0.0.1:{daemon.tls_port}"
    text = subprocess.run([str(SIPRECD_BIN), "replay", str(capture), "--out", str(tmp_path / "out")],
                          capture_output=True, text=True, timeout=120)
    assert text.returncode == 0, text.stderr
    assert f"not recorded: 1 SIP/TLS connection ({pair}): SIP over TLS cannot be read from a capture" in text.stdout, text.stdout
    assert "no readable call in the capture" in text.stdout, text.stdout
    assert "SIP over TLS in the capture" in text.stderr and f"server=127.0.0.1:{daemon.tls_port}" in text.stderr, text.stderr
    done = subprocess.run([str(SIPRECD_BIN), "replay", str(capture), "--out", str(tmp_path / "out-json"), "--json"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["recordings"] == []
    assert result["sipOverTLS"] == {"connections": 1, "pairs": [pair]}


def test_passive_mode_says_sip_over_tls_on_the_mirror_port_cannot_be_read(daemon_factory, pki, clips, tmp_path):
    srs = daemon_factory(tls_config(pki, media_='capture = "socket"\n'), tls=True)
    passive = passive_follower(srs, tmp_path / "passive")
    config = passive.workdir / "siprecd.toml"
    config.write_text(config.read_text().replace("listen = [", f'listen = ["tls:127.0.0.1:{srs.tls_port}", ', 1))
    passive.start()
    try:
        for call in range(2):                       # two connections from the same SRC: one warning
            dialog = tls_dialog(srs, pki)
            secure_call(srs, dialog, clips, tmp_path / f"call{call}")
            dialog.close()
        warning = "SIP over TLS on the mirror port: passive mode cannot read it"
        wait_for(lambda: warning in passive.log(), "the passive siprecd's warning about SIP over TLS", 15)
        time.sleep(1)
        lines = [line for line in passive.log().splitlines() if warning in line]
        assert len(lines) == 1, lines
        assert "client=127.0.0.1" in lines[0] and f"server=127.0.0.1:{srs.tls_port}" in lines[0], lines[0]
        assert passive.recordings() == []
    finally:
        passive.stop()
