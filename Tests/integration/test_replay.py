"""`siprecd replay`: captures become the same recordings as live capture, bit-exact."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np
import pytest

import checks
import media
import pcapgen
from conftest import SIPRECD_BIN
from replay_scenario import Scenario

FIXTURE_PCAP = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures" / "pcap" / "sip_rtp.pcap"
LOCAL_FIXTURE = Path(__file__).resolve().parent / "fixtures" / "sip_rtp.pcap"


def replay(capture: Path, out: Path) -> list[dict]:
    if not SIPRECD_BIN.exists():
        pytest.skip(f"siprecd binary not found at {SIPRECD_BIN}")
    result = subprocess.run([str(SIPRECD_BIN), "replay", str(capture), "--out", str(out), "--json"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"siprecd replay failed ({result.returncode}): {result.stderr}"
    return json.loads(result.stdout)["recordings"]


SCENARIOS = {
    "ethernet-ipv4-udp": Scenario(),
    "pcapng": Scenario(pcapng=True),
    "vlan": Scenario(vlans=(100,)),
    "qinq": Scenario(vlans=(200, 100)),
    "linux-cooked": Scenario(link=pcapgen.LINKTYPE_SLL),
    "ipv6": Scenario(ipv6=True),
    "fragmented-invite": Scenario(fragmented_invite=True),
    "sip-over-tcp-split": Scenario(sip_over_tcp=True),
    "loss-duplicates-reorder": Scenario(loss=(10, 11, 75), duplicates=(20, 21, 90), reorder=(30, 60, 100)),
}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_replayed_capture_gives_bit_exact_master(name, clips, tmp_path):
    scenario = SCENARIOS[name]
    capture = scenario.write(clips, tmp_path / ("call.pcapng" if scenario.pcapng else "call.pcap"))
    recordings = replay(capture, tmp_path / "out")
    assert len(recordings) == 1, f"{name}: replay made {len(recordings)} recordings, expected 1"
    rec = recordings[0]
    assert rec["state"] == "ready", f"{name}: recording is {rec['state']} ({rec.get('reason')})"
    assert rec["sipRecCallId"] == scenario.call_id
    assert rec["calledParty"] == "recorder"
    roles = {p["aor"]: p["role"] for p in rec["participants"]}
    assert roles == {"sip:alice@example.com": "caller", "sip:bob@example.com": "callee"}, rec["participants"]
    wav = media.parse_wav((tmp_path / "out" / rec_path(rec, "wav", tmp_path / "out")).read_bytes())
    caller, callee = scenario.streams
    checks.assert_channel_exact(wav, rec, "caller", caller)
    checks.assert_channel_exact(wav, rec, "callee", callee)
    parts = {p["role"]: p for p in rec["meta"]["recordingsPartsInfo"]}
    assert parts["caller"]["lost"] == len([i for i in scenario.loss]), f"{name}: lost {parts['caller']['lost']}"
    assert parts["caller"]["duplicates"] == len(scenario.duplicates), f"{name}: duplicates {parts['caller']['duplicates']}"
    # The timeline is the call's: from the 200 OK to the BYE.
    assert abs(rec["durationMs"] - (100 + scenario.packets * 20 + 200 - 20)) <= 2, f"{name}: {rec['durationMs']} ms"


def rec_path(rec: dict, fmt: str, out: Path) -> str:
    listed = subprocess.run([str(SIPRECD_BIN), "recordings", "--data-dir", str(out), "--json"],
                            capture_output=True, text=True, timeout=30)
    assert listed.returncode == 0, listed.stderr
    found = [r for r in json.loads(listed.stdout)["recordings"] if r["recordingId"] == rec["recordingId"]]
    assert found, "the replayed recording is not in the catalog"
    # Files live under the output directory as recordings/<yyMMdd>/<id>.<fmt>.
    matches = list(out.glob(f"recordings/*/{rec['recordingId']}.{fmt}"))
    assert len(matches) == 1, f"no {fmt} file for {rec['recordingId']} under {out}"
    return str(matches[0].relative_to(out))


def test_field_capture_of_a_plain_call(tmp_path):
    capture = LOCAL_FIXTURE if LOCAL_FIXTURE.exists() else FIXTURE_PCAP
    recordings = replay(capture, tmp_path / "out")
    assert len(recordings) == 1, f"expected one recording, got {len(recordings)}"
    rec = recordings[0]
    assert rec["state"] == "ready", rec
    # 200 OK at 0.000368 s, BYE at 10.002366 s: 10002 ms. The last packet arrives just before the BYE and
    # carries 20 ms of audio, which is kept: the recording may run up to one packet past the BYE.
    assert 10002 <= rec["durationMs"] <= 10002 + 20, f"recording lasts {rec['durationMs']} ms, the call 10002 ms"
    wav = media.parse_wav((tmp_path / "out" / rec_path(rec, "wav", tmp_path / "out")).read_bytes())
    parts = {p["role"]: p for p in rec["meta"]["recordingsPartsInfo"]}
    assert parts["caller"]["packets"] == 501 and parts["callee"]["packets"] == 0, parts
    # The RTP direction (6001 -> 6000, the address the 200 OK answered) is the caller's: left channel.
    payload = rtp_payloads(capture)
    expected = media_decode_ulaw(payload, tmp_path)
    start = parts["caller"]["startSample"]
    got = wav.samples[start:start + len(expected), 0]
    assert np.array_equal(got, expected), f"caller channel differs at sample {media.first_difference(got, expected)}"
    assert not wav.samples[:, 1].any(), "callee channel should be silent: no RTP was sent that way"


def rtp_payloads(capture: Path) -> bytes:
    """The RTP payloads of the capture, read with tshark (the reference dissector)."""
    out = subprocess.run(["tshark", "-r", str(capture), "-d", "udp.port==6000,rtp", "-Y", "rtp",
                          "-T", "fields", "-e", "rtp.payload"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return b"".join(bytes.fromhex(line.replace(":", "")) for line in out.stdout.split())


def media_decode_ulaw(payload: bytes, tmp: Path) -> np.ndarray:
    raw, pcm = tmp / "rtp.ul", tmp / "rtp.s16"
    raw.write_bytes(payload)
    subprocess.run(["sox", "-t", "raw", "-e", "mu-law", "-b", "8", "-r", "8000", "-c", "1", str(raw),
                    "-t", "raw", "-e", "signed", "-b", "16", "-c", "1", str(pcm)], check=True)
    return np.frombuffer(pcm.read_bytes(), dtype="<i2")


def test_dtmf_in_a_capture_is_kept_as_metadata_not_audio(clips, tmp_path):
    scenario = Scenario(dtmf={40: (5, 800), 90: (11, 1600)})
    capture = scenario.write(clips, tmp_path / "dtmf.pcap")
    rec = replay(capture, tmp_path / "out")[0]
    caller = next(p for p in rec["meta"]["recordingsPartsInfo"] if p["role"] == "caller")
    events = [(e["event"], e["startSample"] - caller["startSample"], e["durationSamples"]) for e in rec["dtmf"]]
    assert events == [("5", 40 * 160, 800), ("#", 90 * 160, 1600)], f"DTMF events {rec['dtmf']}"
    # The telephone-event packets are not audio: the caller channel is still exactly the speech sent.
    wav = media.parse_wav((tmp_path / "out" / rec_path(rec, "wav", tmp_path / "out")).read_bytes())
    checks.assert_channel_exact(wav, rec, "caller", scenario.streams[0])


def test_replayed_edges_keep_the_last_packet_before_a_pause_and_a_bye(clips, tmp_path):
    """The offline path (capture timestamps are the clock): the SRC's a=inactive re-INVITE 0.1 ms after its
    last packet, and its BYE 0.1 ms after the call's last packet. Both packets are in the master, the pause
    is silence, both channels bit-exact, and the recording ends where the last packet's audio ends."""
    scenario = Scenario(packets=120, pause=(60, 1_000), tight_bye=True)
    recordings = replay(scenario.write(clips, tmp_path / "edges.pcap"), tmp_path / "out")
    assert len(recordings) == 1
    rec = recordings[0]
    assert rec["state"] == "ready", rec
    wav = media.parse_wav((tmp_path / "out" / rec_path(rec, "wav", tmp_path / "out")).read_bytes())
    caller, callee = scenario.streams
    checks.assert_channel_exact(wav, rec, "caller", caller)
    checks.assert_channel_exact(wav, rec, "callee", callee)
    assert [p["reason"] for p in rec["pauses"]] == ["inactive"], rec["pauses"]
    assert all(r["discardedWhilePaused"] == 0 for r in rec["reception"]), rec["reception"]
    last_end = checks.part_for(rec, "callee")["startSample"] + callee.span_samples
    assert abs(len(wav.samples) - last_end) <= 8, (len(wav.samples), last_end)
