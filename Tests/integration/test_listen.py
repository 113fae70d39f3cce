"""Listening on the box (libasound): `siprecd play` and `siprecd monitor` write to an ALSA device that the
test routes to a file (ALSA's `file` plugin over the `null` device, from an asoundrc in the test's HOME),
and the samples ALSA received are compared bit for bit with the recording's master."""

from __future__ import annotations

import os
import re
import subprocess
import time
from pathlib import Path

import numpy as np

import media
from calls import record_call
from checks import ROLE_CHANNEL
from conftest import SIPRECD_BIN

PACKETS = 300   # 6 s each way

ASOUNDRC = """
pcm.siprecdtap {
    type file
    slave.pcm "null"
    file "%s"
    format "raw"
}
"""


def alsa_env(tmp_path: Path, name: str) -> tuple[dict, Path]:
    """An environment whose ALSA device `siprecdtap` writes what it is given to a raw file."""
    home = tmp_path / f"home-{name}"
    home.mkdir()
    out = tmp_path / f"{name}.raw"
    (home / ".asoundrc").write_text(ASOUNDRC % out)
    return {**os.environ, "HOME": str(home)}, out


def raw_frames(path: Path, channels: int) -> np.ndarray:
    data = path.read_bytes()
    return np.frombuffer(data[:len(data) - len(data) % (2 * channels)], dtype="<i2").reshape(-1, channels)


def stereo_mix(master: media.Wav) -> np.ndarray:
    """What the listener hears: caller left, callee right (two streams, so nothing is summed)."""
    return np.stack([master.samples[:, ROLE_CHANNEL["caller"]], master.samples[:, ROLE_CHANNEL["callee"]]], axis=1)


def siprecd(env, *args, timeout=60):
    return subprocess.run([str(SIPRECD_BIN), *args], capture_output=True, text=True, timeout=timeout, env=env)


def test_play_sends_the_recording_to_alsa_bit_exact(daemon_factory, clips, tmp_path):
    daemon = daemon_factory('[media]\ncapture = "socket"\n')
    rec, wav, _, _, _ = record_call(daemon, clips, tmp_path, PACKETS)
    rec_id, data = rec["recordingId"], ["--data-dir", str(daemon.data_dir)]

    env, out = alsa_env(tmp_path, "play")
    played = siprecd(env, "play", rec_id, "--device", "siprecdtap", *data)
    assert played.returncode == 0, played.stderr
    heard = raw_frames(out, 2)
    expected = stereo_mix(wav)
    assert heard.shape == expected.shape, f"ALSA got {len(heard)} stereo frames, the master has {len(expected)}"
    diff = media.first_difference(heard.reshape(-1), expected.reshape(-1))
    assert diff is None, f"played audio differs from the master at sample {diff}"

    # --mono folds both sides into one channel (saturating); --from skips into the recording.
    env, out = alsa_env(tmp_path, "mono")
    played = siprecd(env, "play", rec_id, "--device", "siprecdtap", "--mono", "--from", "2", *data)
    assert played.returncode == 0, played.stderr
    heard = raw_frames(out, 1)[:, 0]
    folded = np.clip(expected[16000:, 0].astype(np.int32) + expected[16000:, 1], -32768, 32767).astype(np.int16)
    assert media.first_difference(heard, folded) is None and len(heard) == len(folded)

    # Play by call key: its newest recording.
    env, out = alsa_env(tmp_path, "bykey")
    assert siprecd(env, "play", rec["callKey"], "--device", "siprecdtap", *data).returncode == 0
    assert out.stat().st_size == expected.nbytes


def test_monitor_follows_a_live_call_to_its_end(daemon_factory, clips, tmp_path):
    daemon = daemon_factory('[media]\ncapture = "socket"\n')
    env, out = alsa_env(tmp_path, "monitor")

    def listen_in(rec_id, _ports):
        time.sleep(1.5)   # join a call already going
        # --max-lag: the file device never holds audio back, so nothing may be skipped here.
        return subprocess.Popen([str(SIPRECD_BIN), "monitor", rec_id, "--device", "siprecdtap", "--max-lag", "30",
                                 "--data-dir", str(daemon.data_dir)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)

    rec, wav, _, _, monitor = record_call(daemon, clips, tmp_path, PACKETS, during=listen_in)
    _, err = monitor.communicate(timeout=30)      # it ends by itself when the recording ends
    assert monitor.returncode == 0, err
    assert "recording ended" in err and "silence skipped 0.0 s" in err, err
    heard = raw_frames(out, 2)
    expected = stereo_mix(wav)
    # It joined mid-call and played on to the end: the tail of the master, sample for sample.
    assert len(heard) >= 8000 * 3, f"monitor played only {len(heard) / 8000:.2f} s of a {len(expected) / 8000:.2f} s call"
    assert len(heard) <= len(expected) - 8000, "monitor played from before it joined"
    tail = expected[len(expected) - len(heard):]
    diff = media.first_difference(heard.reshape(-1), tail.reshape(-1))
    assert diff is None, f"monitored audio differs from the master's last {len(heard)} frames at sample {diff}"
    joined = re.search(r"from ([0-9.]+) s", err)
    assert joined and abs(float(joined.group(1)) * 8000 - (len(expected) - len(heard))) <= 1, err


def test_monitor_and_play_explain_what_is_wrong(daemon_factory, clips, tmp_path):
    daemon = daemon_factory('[media]\ncapture = "socket"\n')
    data = ["--data-dir", str(daemon.data_dir)]
    env, _ = alsa_env(tmp_path, "errors")
    none = siprecd(env, "monitor", "no-such-call", "--device", "siprecdtap", *data)
    assert none.returncode != 0 and "no call in progress" in none.stderr, none.stderr
    rec, _, _, _, _ = record_call(daemon, clips, tmp_path, PACKETS)
    finished = siprecd(env, "monitor", rec["recordingId"], "--device", "siprecdtap", *data)
    assert finished.returncode != 0 and "siprecd play" in finished.stderr, finished.stderr
    bad_device = siprecd(env, "play", rec["recordingId"], "--device", "no_such_pcm", *data)
    assert bad_device.returncode != 0 and "no_such_pcm" in bad_device.stderr, bad_device.stderr
