"""The appliance binary (make static: static archives of every codec library, linked by gold) records exactly
what the build the rest of the suite runs records: the same capture of every codec siprecd decodes through a
C library, replayed by both, gives byte-identical masters. Static archives are built apart from the shared
libraries the other tests load (Debian 12's libspandsp.a crashed in G.722 where libspandsp.so did not), so
the binary installers run is checked codec by codec here."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import numpy as np
import pytest

import amr
import g722
import g726
import g729
from conftest import SIPRECD_BIN
from replay_scenario import Scenario
from test_codecs import CodedClip

STATIC_BIN = Path(os.environ["SIPRECD_STATIC_BIN"]) if os.environ.get("SIPRECD_STATIC_BIN") else None
PACKETS = 120


def caller_clip(codec: str, clips, workdir: Path) -> tuple[CodedClip, tuple[str, str]]:
    """120 packets of 20 ms in `codec` and the m-line's formats for it."""
    speech = np.array(clips["caller"].decoded[:PACKETS * 160], dtype=np.int16)   # a copy: the fixture is shared
    silent = np.zeros(PACKETS * 160, dtype=np.int16)     # what it decodes to is not needed here
    if codec == "G722":
        data = g722.encode(g722.tones16(4), workdir)
        payloads = [data[i * 160:(i + 1) * 160] for i in range(PACKETS)]
        return CodedClip("caller", "G722", 9, payloads, silent), ("9", "a=rtpmap:9 G722/8000\r\n")
    if codec == "G729":
        frames = g729.encode(speech)
        payloads = [frames[2 * i] + frames[2 * i + 1] for i in range(PACKETS)]
        return CodedClip("caller", "G729", 18, payloads, silent), ("18", "a=rtpmap:18 G729/8000\r\na=fmtp:18 annexb=no\r\n")
    if codec == "G726-32":
        data = g726.encode(speech, 32, workdir)
        payloads = [data[i * 80:(i + 1) * 80] for i in range(PACKETS)]
        return CodedClip("caller", "G726-32", 96, payloads, silent), ("96", "a=rtpmap:96 G726-32/8000\r\n")
    if codec == "AMR":
        frames = amr.encode(speech)
        payloads = [amr.payload([frames[i]], octet_aligned=True) for i in range(PACKETS)]
        return CodedClip("caller", "AMR", 110, payloads, silent), ("110", "a=rtpmap:110 AMR/8000\r\na=fmtp:110 octet-align=1\r\n")
    raise AssertionError(codec)


def replayed_master(binary: Path, capture: Path, out: Path) -> bytes:
    result = subprocess.run([str(binary), "replay", str(capture), "--out", str(out), "--json"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"{binary} replay failed ({result.returncode}): {result.stderr[-2000:]}"
    recordings = json.loads(result.stdout)["recordings"]
    assert len(recordings) == 1 and recordings[0]["state"] == "ready", recordings
    masters = list(out.glob(f"recordings/*/{recordings[0]['recordingId']}.wav"))
    assert len(masters) == 1, f"no master under {out}"
    return masters[0].read_bytes()


@pytest.mark.skipif(STATIC_BIN is None, reason="SIPRECD_STATIC_BIN not set (make test builds it with make static)")
@pytest.mark.parametrize("codec", ["G722", "G729", "G726-32", "AMR"])
def test_the_appliance_binary_records_every_codec_as_the_tested_build_does(codec, clips, tmp_path):
    clip, formats = caller_clip(codec, clips, tmp_path)
    scenario = Scenario(formats=(formats, ("8", "a=rtpmap:8 PCMA/8000\r\n")), sent=(clip, clips["callee"]), packets=PACKETS)
    capture = scenario.write(clips, tmp_path / f"{codec}.pcap")
    tested = replayed_master(SIPRECD_BIN, capture, tmp_path / "tested")
    appliance = replayed_master(STATIC_BIN, capture, tmp_path / "appliance")
    assert len(tested) > 44 + PACKETS * 160 * 2, len(tested)
    assert appliance == tested, f"{codec}: the static binary's master differs from the tested build's"
