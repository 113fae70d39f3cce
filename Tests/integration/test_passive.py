"""Passive mode: siprecd on a mirror port records a SIPREC session between an SRC and another SRS.

The SRS here is a second siprecd (active, socket capture); the passive one captures `lo` with libpcap,
follows the SIP between sipp and that SRS, and must record the same call as the SRS does, bit-exact.
"""

from __future__ import annotations

import os

import pytest

import checks
import media
from conftest import passive_follower
from rtp_sender import RtpStream, send_concurrently
from sipp_call import SippCall

PACKETS = 150


@pytest.mark.parametrize("transport", ["udp", "tcp"])
def test_passive_recorder_matches_the_active_srs(daemon_factory, clips, tmp_path, transport):
    if os.geteuid() != 0:
        pytest.skip("passive capture on lo needs root (CI runs as root)")
    srs = daemon_factory('[media]\ncapture = "socket"\n')
    passive = passive_follower(srs, tmp_path / "passive")
    passive.start()
    try:
        assert "passive mode: following SIP" in passive.log(), passive.log()[-2000:]
        call = SippCall(srs.sip_port, transport, tmp_path / "sipp", mode="simple",
                        pauses_ms=(PACKETS * 20 + 2000, 0, 0)).start()
        try:
            port1, port2 = call.wait_ports()
            caller = RtpStream(clips["caller"], port1, PACKETS)
            callee = RtpStream(clips["callee"], port2, PACKETS)
            send_concurrently([caller, callee])
            call.wait(timeout=60)
        finally:
            call.kill()
        active_rec = srs.wait_for_state(call.call_id, "ready", timeout=30)
        passive_rec = passive.wait_for_state(call.call_id, "ready", timeout=30)
        for name, daemon, rec in (("active", srs, active_rec), ("passive", passive, passive_rec)):
            wav = media.parse_wav(daemon.download(rec["recordingId"], "wav", tmp_path / f"{name}.wav").read_bytes())
            checks.assert_channel_exact(wav, rec, "caller", caller)
            checks.assert_channel_exact(wav, rec, "callee", callee)
        assert passive_rec["calledParty"] == active_rec["calledParty"]
        assert passive_rec["domain"] == active_rec["domain"]
        assert {p["aor"]: p["role"] for p in passive_rec["participants"]} == \
            {p["aor"]: p["role"] for p in active_rec["participants"]}
        assert [(p["label"], p["role"], p["codec"], p["ssrc"]) for p in passive_rec["meta"]["recordingsPartsInfo"]] == \
            [(p["label"], p["role"], p["codec"], p["ssrc"]) for p in active_rec["meta"]["recordingsPartsInfo"]]
    finally:
        passive.stop()
