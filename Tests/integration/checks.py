"""Shared assertions on what the daemon recorded."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

import media
from rtp_sender import RtpStream
from sipp_call import SipMessage

ROLE_CHANNEL = {"caller": 0, "callee": 1}


def assert_siprec_answer(ok: SipMessage) -> None:
    """The 200 OK to the initial SIPREC INVITE."""
    assert ok.start_line.startswith("SIP/2.0 200"), f"INVITE not answered with 200 OK but {ok.start_line!r}"
    ctype = (ok.header("Content-Type") or ok.header("c") or "").lower()
    assert ctype.startswith("application/sdp"), (
        f"200 OK body is {ctype!r}, expected plain application/sdp (not multipart)")
    contact = ok.header("Contact") or ok.header("m") or ""
    assert "+sip.srs" in contact, f"200 OK Contact lacks +sip.srs: {contact!r}"
    sections = re.split(r"\r?\n(?=m=)", ok.body)[1:]
    assert len(sections) == 2, f"200 OK SDP has {len(sections)} m-lines, expected 2:\n{ok.body}"
    for index, (section, label, pt) in enumerate(zip(sections, ("1", "2"), ("0", "8"))):
        lines = [line.strip() for line in section.splitlines()]
        m = lines[0].split()
        assert m[0] == "m=audio" and int(m[1]) > 0, f"m-line {index + 1} is not an active audio stream: {lines[0]!r}"
        assert m[3:] and m[3] == pt and set(m[3:]) <= {pt, "101"}, (
            f"m-line {index + 1} answers payload types {m[3:]}, expected {pt} (from the offer)")
        assert "a=recvonly" in lines, f"m-line {index + 1} is not a=recvonly:\n{section}"
        assert f"a=label:{label}" in lines, f"m-line {index + 1} does not echo a=label:{label}:\n{section}"


def part_for(rec: dict, role: str) -> dict:
    parts = rec.get("meta", {}).get("recordingsPartsInfo") or []
    matching = [p for p in parts if p.get("role") == role]
    assert len(matching) == 1, f"expected exactly one {role} part in recordingsPartsInfo, got {parts}"
    return matching[0]


def assert_part(rec: dict, role: str, stream: RtpStream, label: str) -> dict:
    part = part_for(rec, role)
    assert part.get("ssrc") == stream.ssrc, (
        f"{role} part has SSRC {part.get('ssrc')}, the {role} stream was sent with {stream.ssrc}")
    assert str(part.get("label")) == label, f"{role} part has label {part.get('label')!r}, expected {label}"
    assert part.get("codec") == stream.clip.codec, f"{role} part codec {part.get('codec')!r}, sent {stream.clip.codec}"
    assert part.get("channel") == ROLE_CHANNEL[role], f"{role} part is on channel {part.get('channel')}"
    assert isinstance(part.get("startSample"), int) and part["startSample"] >= 0, (
        f"{role} part has no valid startSample: {part.get('startSample')!r}")
    assert part.get("packets") == len(stream.sent), (
        f"{role} part counted {part.get('packets')} packets, {len(stream.sent)} were sent")
    assert part.get("lost") == 0, f"{role} part reports {part.get('lost')} lost packets on loopback"
    return part


def assert_channel_exact(wav: media.Wav, rec: dict, role: str, stream: RtpStream) -> None:
    """Bit-exact comparison of one master channel with what was sent."""
    part = part_for(rec, role)
    ch, start = ROLE_CHANNEL[role], part["startSample"]
    expected = stream.expected_samples()
    channel = wav.samples[:, ch]
    assert len(channel) >= start + len(expected), (
        f"{role} channel ends at sample {len(channel)}, but the sent {role} audio runs to sample "
        f"{start + len(expected)} (startSample {start} + {len(expected)}): recording is truncated")
    got = channel[start:start + len(expected)]
    diff = media.first_difference(got, expected)
    if diff is not None:
        raise AssertionError(
            f"{role} channel differs from the sent audio at sample {start + diff} "
            f"(stream offset {diff}, {diff / 8000:.3f} s): got {got[diff:diff + 8].tolist()}, "
            f"expected {expected[diff:diff + 8].tolist()}; "
            f"{int(np.count_nonzero(got != expected))} samples differ in total")
    before = np.nonzero(channel[:start])[0]
    assert len(before) == 0, f"{role} channel has audio at sample {before[0]}, before its stream starts ({start})"
    after = np.nonzero(channel[start + len(expected):])[0]
    assert len(after) == 0, (
        f"{role} channel has audio at sample {start + len(expected) + after[0]}, after its stream ended")


def assert_mp3_matches(mp3: Path, wav: media.Wav, workdir: Path, threshold: float = 0.9,
                       swap_limit: float = 0.5) -> None:
    """The MP3 is stereo, as long as the master (within one frame pair) and
    each channel correlates with its master channel (not with the other)."""
    dec = media.decode_mp3(mp3, workdir / "mp3_decoded.wav")
    assert dec.channels == 2, f"MP3 has {dec.channels} channel(s), expected stereo"
    assert dec.sample_rate == wav.sample_rate, f"MP3 decodes at {dec.sample_rate} Hz, the master is {wav.sample_rate} Hz"
    n_mp3, n_wav = len(dec.samples), len(wav.samples)
    # LAME's delay and padding (576-sample granules) as mpg123 leaves them: within one 1,152-sample frame
    # pair at 8 kHz, two at the wider rates.
    slack = 1152 if wav.sample_rate == 8000 else 2304
    assert abs(n_mp3 - n_wav) <= slack, (
        f"MP3 is {n_mp3} samples long, the WAV master {n_wav}: differ by more than one MPEG frame")
    names = ("left/caller", "right/callee")
    for ch in (0, 1):
        corr, lag = media.best_correlation(dec.samples[:, ch], wav.samples[:, ch], 2000)
        assert corr >= threshold, (
            f"MP3 {names[ch]} channel does not sound like the master's channel {ch}: "
            f"correlation {corr:.3f} < {threshold} (best lag {lag})")
        other, lag2 = media.best_correlation(dec.samples[:, ch], wav.samples[:, 1 - ch], 2000)
        assert other < swap_limit, (
            f"MP3 {names[ch]} channel correlates with master channel {1 - ch} "
            f"({other:.3f} >= {swap_limit}, lag {lag2}): channels swapped or mixed")


def channel_slice(wav: media.Wav, rec: dict, role: str, stream: RtpStream) -> tuple[int, int]:
    """A recording made from part of a stream (a REST start/stop, a runtime stop): its channel must hold,
    bit for bit, a contiguous run of the sent packets from the part's startSample on, and nothing before.
    Returns the (first, last) packet index of that run in the stream."""
    part = part_for(rec, role)
    ch, start = ROLE_CHANNEL[role], part["startSample"]
    channel = wav.samples[:, ch]
    before = np.nonzero(channel[:start])[0]
    assert len(before) == 0, f"{role} channel has audio at sample {before[0]}, before its first packet ({start})"
    recorded = channel[start:]
    nonzero = np.nonzero(recorded)[0]
    assert len(nonzero) > 0, f"{role} channel of {rec['recordingId']} is silent"
    recorded = recorded[:nonzero[-1] + 1]
    expected = stream.expected_samples()
    matches = [i for i in range(0, len(expected) - len(recorded) + 1, 160)
               if np.array_equal(expected[i:i + len(recorded)], recorded)]
    assert matches, (f"{role} channel of {rec['recordingId']} ({len(recorded)} samples from {start}) is not a "
                     f"bit-exact run of the sent {role} audio")
    first = matches[0] // 160
    return first, first + (len(recorded) + 159) // 160 - 1


def assert_silenced_only_in(wav: media.Wav, rec: dict, role: str, stream: RtpStream,
                            spans: list[tuple[int, int]], margin: int = 2400) -> int:
    """A paused or muted channel: every sent packet is in the master either bit-exact at its timeline place
    or silent, silent ones lie only inside `spans` (timeline samples, ± margin for the request's flight
    time), and the packets well inside each span are silent. Returns how many packets were silenced."""
    part = part_for(rec, role)
    ch, start = ROLE_CHANNEL[role], part["startSample"]
    channel = wav.samples[:, ch]
    expected = stream.expected_samples()
    silenced = 0
    for k in range(len(expected) // 160):
        at = start + k * 160
        want = expected[k * 160:(k + 1) * 160]
        got = channel[at:at + 160] if at + 160 <= len(channel) else np.zeros(0, dtype=np.int16)
        inside = [(a, b) for a, b in spans if a - margin <= at and at + 160 <= b + margin]
        deep = [(a, b) for a, b in spans if a + margin <= at and at + 160 <= b - margin]
        if len(got) < 160:                       # sent after the recording ended
            continue
        if np.array_equal(got, want):
            assert not deep or not np.any(want), f"{role}: packet {k} at {at} was recorded inside the silent span {deep}"
            continue
        assert not np.any(got), f"{role}: packet {k} at sample {at} differs from what was sent (not silence either)"
        assert inside, f"{role}: packet {k} at sample {at} is silent outside every pause/mute span {spans}"
        silenced += 1
    return silenced
