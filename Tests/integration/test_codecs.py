"""Codecs an SRC forks besides G.711. G.726 at 16/24/32/40 kbit/s, in both bit orders (RFC 3551 and AAL2), is
recorded bit for bit as spandsp decodes it and sounds like ffmpeg's decode. G.722 under `masterRate = 8000`
is recorded narrowband: bit for bit as spandsp's decode resampled by speexdsp, sounding like ffmpeg's (its
16 kHz master: test_wideband_master.py). Opus, in packets of 10 to 60 ms on its 48 kHz clock, and AMR-WB
give a 16 kHz master, bit for bit as libopus and opencore-amrwb decode them. G.729 (RFC 3551): speech encoded by bcg729's encoder on both labelled
m-lines is recorded as bcg729 decodes it, bit for bit, and sounds like ffmpeg's independent G.729 decode of
the same frames; Annex B (VAD, SID frames, nothing sent in silence) keeps its timeline; a G.711 stream that
switches to G.729 within its negotiated set, or by a re-INVITE, keeps its timeline without a gap. AMR
(RFC 4867) in both payload formats, with multi-frame packets, mode changes and DTX, is recorded bit for bit
as opencore decodes it and sounds like ffmpeg's independent AMR-NB decode."""

from __future__ import annotations

import re
import socket
import struct
import threading
import time
from dataclasses import dataclass

import numpy as np

import amr
import g722
import opus
import g726
import g729
import media
import pytest
from calls import hang_up_and_check
from replay_scenario import Scenario
from test_replay import rec_path, replay
from checks import ROLE_CHANNEL, assert_channel_exact, assert_mp3_matches, assert_part, part_for
from rtp_sender import RtpStream, send_concurrently
from sipdialog import Dialog, sdp


@dataclass(frozen=True)
class CodedClip:
    """Duck-typed like media.Clip for RtpStream: 20 ms payloads and what each decodes to."""

    name: str
    codec: str
    payload_type: int
    payloads: list[bytes]
    decoded: np.ndarray

    def packets(self, count: int) -> list[bytes]:
        assert count <= len(self.payloads), f"{self.name}: {len(self.payloads)} packets, {count} needed"
        return self.payloads[:count]


def m_lines(message: str) -> list[str]:
    """The formats of each m-line of a SIP message's SDP."""
    return re.findall(r"^m=audio \d+ RTP/AVP ([^\r\n]*)", message, re.M)


def send_frames_and_hang_up(daemon, dialog, port: int, payload_type: int, payloads: dict[int, bytes], frame_samples: int,
                            ssrc: int, first_ts: int, workdir, clock: int = 8000, lost: bool = False,
                            order: list[int] | None = None) -> tuple[dict, media.Wav]:
    """Sends `payloads` ({frame index: payload}) in index order (or `order`: a packet sent after its successor
    goes right after it), each at its frame's time and timestamp (`frame_samples` RTP clock units a frame),
    then ends the call. Indices left out are frames a DTX sender did not send (sequence numbers run on), or
    with `lost`, packets lost on the way (the sequence number is the index). Returns (recording, master)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    start = time.monotonic() + 0.05
    rank = {index: n for n, index in enumerate(sorted(payloads))}
    for count, index in enumerate(order or sorted(payloads)):
        delay = start + index * frame_samples / clock - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        seq = index if lost else rank[index]
        header = struct.pack("!BBHII", 0x80, payload_type | (0x80 if count == 0 else 0), seq, first_ts + index * frame_samples, ssrc)
        sock.sendto(header + payloads[index], ("127.0.0.1", port))
    sock.close()
    time.sleep(0.5)
    dialog.request("BYE")
    rec = daemon.wait_for_state(dialog.call_id, "ready")
    return rec, media.parse_wav(daemon.download(rec["recordingId"], "wav", workdir / "master.wav").read_bytes())


def assert_caller_is(wav: media.Wav, part: dict, expected: np.ndarray, describe) -> np.ndarray:
    """The caller channel from its startSample is `expected`, bit for bit, and silent after it; `describe(i)`
    says what was sent where sample i differs. Returns the channel's samples under `expected`."""
    channel = wav.samples[:, ROLE_CHANNEL["caller"]]
    got = channel[part["startSample"]:part["startSample"] + len(expected)]
    assert len(got) == len(expected), f"the channel ends {len(expected) - len(got)} samples before the sender's audio"
    diff = media.first_difference(got, expected)
    assert diff is None, f"caller channel differs from the reference decode at sample {diff} ({describe(diff)})"
    assert not np.any(channel[part["startSample"] + len(expected):]), "audio after the sender's last packet"
    return got


def g729_clip(clip: media.Clip) -> tuple[CodedClip, list[bytes]]:
    frames = g729.encode(clip.decoded)
    payloads = [frames[i] + frames[i + 1] for i in range(0, len(frames) - 1, 2)]
    return CodedClip(clip.name, "G729", 18, payloads, g729.decode_bcg729(frames)), frames


def test_g729_on_both_streams(daemon_factory, clips, tmp_path):
    """Both m-lines offer only G.729: answered 18 G729/8000, every packet recorded where its timestamp says,
    bit for bit as bcg729 decodes the frames, correlating ≥ 0.98 with ffmpeg's decode, codec G729 in the
    recording, and an MP3 that sounds like the master."""
    daemon = daemon_factory('[media]\ncapture = "socket"\n')
    (caller_clip, caller_frames), (callee_clip, callee_frames) = g729_clip(clips["caller"]), g729_clip(clips["callee"])
    dialog = Dialog(daemon.sip_port)
    ok, (port1, port2) = dialog.start(sdp((40000, "18 101", "sendonly"), (40002, "18", "sendonly")))
    assert m_lines(ok) == ["18 101", "18"], ok
    assert "a=rtpmap:18 G729/8000" in ok, ok
    caller, callee = RtpStream(caller_clip, port1, 150), RtpStream(callee_clip, port2, 150)
    send_concurrently([caller, callee])
    rec, wav = hang_up_and_check(daemon, dialog, caller, callee, tmp_path)
    assert rec["sampleRate"] == 8000 and wav.sample_rate == 8000, (rec["sampleRate"], wav.sample_rate)
    assert_part(rec, "caller", caller, "1")
    assert_part(rec, "callee", callee, "2")
    for role, frames in (("caller", caller_frames), ("callee", callee_frames)):
        reference = g729.decode_ffmpeg(frames[:300], tmp_path)
        start = part_for(rec, role)["startSample"]
        got = wav.samples[start:start + len(reference), ROLE_CHANNEL[role]]
        corr, lag = media.best_correlation(got, reference, 80)
        assert corr >= 0.98 and abs(lag) <= 80, f"{role}: correlation with ffmpeg's G.729 decode {corr:.3f} at lag {lag}"
    assert_mp3_matches(daemon.download(rec["recordingId"], "mp3", tmp_path / "g729.mp3"), wav, tmp_path)


def test_g729_annex_b_silence_keeps_the_timeline(daemon_factory, clips, tmp_path):
    """The caller's encoder runs with VAD (Annex B): in its silences it sends a SID frame now and then and
    nothing else (10 ms packets). The master holds each frame at its timestamp — speech and comfort noise as
    bcg729 decodes them, silence where nothing was sent — and the timeline is as long as the sender's."""
    daemon = daemon_factory('[media]\ncapture = "socket"\n')
    frames = g729.encode(clips["caller"].decoded[:4 * 8000], vad=True)
    kinds = {len(f) for f in frames}
    assert kinds == {0, 2, 10}, f"the VAD encoder made frames of lengths {kinds}: the clip has no silence?"
    dialog = Dialog(daemon.sip_port)
    ok, (port1, port2) = dialog.start(sdp((40000, "18", "sendonly"), (40002, "0", "sendonly"), extra="")
                                      .replace("a=rtpmap:18 G729/8000\r\n", "a=rtpmap:18 G729/8000\r\na=fmtp:18 annexb=yes\r\n"))
    assert "a=fmtp:18 annexb=yes" in ok, ok
    sent = [i for i, f in enumerate(frames) if f]
    rec, wav = send_frames_and_hang_up(daemon, dialog, port1, 18, {i: frames[i] for i in sent}, 80, 0x1C0FFEE, 4_000, tmp_path)
    part = part_for(rec, "caller")
    assert part["codec"] == "G729" and part["packets"] == len(sent) and part["lost"] == 0, part
    expected = g729.decode_bcg729(frames[sent[0]:sent[-1] + 1])
    assert_caller_is(wav, part, expected, lambda i: f"bcg729, frame {i // 80}, a {len(frames[sent[0] + i // 80])}-byte frame")


def test_g711_to_g729_within_the_offer_and_by_reinvite(daemon_factory, clips, tmp_path):
    """The caller is offered `0 18` and switches from PCMU to G.729 at packet 75 without any signalling; the
    callee is offered PCMA, a re-INVITE at packet 25 moves it to G.729, and it switches at packet 75. Both
    channels are bit-exact across the switch (G.711 by table, G.729 as a fresh bcg729 decoder makes it), with
    no gap or jump on the timeline, and both codecs are named."""
    daemon = daemon_factory('[media]\ncapture = "socket"\n')

    def switching(clip: media.Clip, at: int, packets: int) -> CodedClip:
        frames = g729.encode(clip.decoded[at * 160:packets * 160])
        g711 = [clip.encoded[i * 160:(i + 1) * 160] for i in range(at)]
        coded = [frames[i] + frames[i + 1] for i in range(0, 2 * (packets - at), 2)]
        decoded = np.concatenate([clip.decoded[:at * 160], g729.decode_bcg729(frames[:2 * (packets - at)])])
        return CodedClip(clip.name, f"{clip.codec},G729", clip.payload_type, g711 + coded, decoded)

    dialog = Dialog(daemon.sip_port)
    ok, (port1, port2) = dialog.start(sdp((40000, "0 18", "sendonly"), (40002, "8", "sendonly")))
    assert m_lines(ok) == ["0 18", "8"], ok
    moved = []

    def reinvite() -> None:
        moved.append(dialog.reinvite(sdp((40000, "0 18", "sendonly"), (40002, "18", "sendonly"))))

    caller = RtpStream(switching(clips["caller"], 75, 150), port1, 150, payload_types={i: 18 for i in range(75, 150)})
    callee = RtpStream(switching(clips["callee"], 75, 150), port2, 150, payload_types={i: 18 for i in range(75, 150)},
                       before={25: reinvite})
    send_concurrently([caller, callee])
    assert moved and m_lines(moved[0]) == ["0 18", "18"], moved
    rec, _ = hang_up_and_check(daemon, dialog, caller, callee, tmp_path)
    assert part_for(rec, "caller")["codec"] == "PCMU,G729", part_for(rec, "caller")
    assert part_for(rec, "callee")["codec"] == "PCMA,G729", part_for(rec, "callee")
    assert all(r["unknownPayload"] == 0 and r["malformed"] == 0 for r in rec["reception"]), rec["reception"]


def tones(seed: int, samples: int = 150 * 160) -> np.ndarray:
    """A deterministic speech-like test signal: four tones under a slow envelope. (The espeak clips vary a
    little from one synthesis to the next, and two G.726 decoders that are not bit-exact with each other
    drift apart by different amounts on different clips; a fixed signal keeps the cross-check exact.)"""
    rng = np.random.default_rng(seed)
    t = np.arange(samples) / 8000
    envelope = 0.55 + 0.45 * np.sin(2 * np.pi * 1.3 * t + seed)
    x = sum(a * np.sin(2 * np.pi * f * t + p) for a, f, p in zip(rng.uniform(0.2, 1, 4), rng.uniform(200, 2500, 4), rng.uniform(0, 6.28, 4)))
    return (x / np.abs(x).max() * 9000 * envelope).astype(np.int16)


@pytest.mark.parametrize("rates", [("G726-32", "G726-16"), ("G726-24", "G726-40"), ("AAL2-G726-32", "G726-32")])
def test_g726(daemon_factory, clips, tmp_path, rates):
    """G.726 on dynamic payload types, two rates (or the two bit orders: AAL2's from the most significant bit,
    RFC 3551's from the least) per call, a fixed test signal (`tones`) from ffmpeg's encoder (spandsp's at
    40 kbit/s): answered with their rtpmaps, each channel bit-exact to spandsp's decode of what was sent and
    correlating ≥ 0.98 with ffmpeg's decode (with the speech itself at 40 kbit/s)."""
    daemon = daemon_factory('[media]\ncapture = "socket"\n')
    pt = {"G726-32": "96", "G726-16": "97", "G726-24": "98", "G726-40": "99", "AAL2-G726-32": "100"}
    coded = {}
    for role, name in zip(("caller", "callee"), rates):
        speech, kbits, aal2 = tones(1 if role == "caller" else 2), int(name[-2:]), name.startswith("AAL2")
        data = g726.encode_spandsp(speech, kbits) if kbits == 40 else g726.encode(speech, kbits, tmp_path, aal2=aal2)
        size = 160 * kbits // 8 // 8   # bytes per 20 ms packet
        payloads = [data[i * size:(i + 1) * size] for i in range(150)]
        assert all(len(p) == size for p in payloads), (kbits, len(data))
        coded[role] = (CodedClip(role, name, int(pt[name]), payloads, g726.decode_spandsp(data, kbits, aal2=aal2)), data)
    dialog = Dialog(daemon.sip_port)
    ok, (port1, port2) = dialog.start(sdp((40000, pt[rates[0]], "sendonly"), (40002, pt[rates[1]], "sendonly")))
    assert m_lines(ok) == [pt[rates[0]], pt[rates[1]]], ok
    assert f"a=rtpmap:{pt[rates[0]]} {rates[0]}/8000" in ok, ok
    caller, callee = RtpStream(coded["caller"][0], port1, 150), RtpStream(coded["callee"][0], port2, 150)
    send_concurrently([caller, callee])
    rec, wav = hang_up_and_check(daemon, dialog, caller, callee, tmp_path)
    for role, stream, label in (("caller", caller, "1"), ("callee", callee, "2")):
        assert_part(rec, role, stream, label)
        clip, data = coded[role]
        kbits, aal2 = int(clip.codec[-2:]), clip.codec.startswith("AAL2")
        # ffmpeg's decode as the independent reference; at 40 kbit/s (see g726.py) the speech that was encoded.
        reference = tones(1 if role == "caller" else 2) if kbits == 40 else g726.decode_ffmpeg(data, kbits, tmp_path, aal2=aal2)
        start = part_for(rec, role)["startSample"]
        got = wav.samples[start:start + len(reference), ROLE_CHANNEL[role]]
        corr, lag = media.best_correlation(got, reference, 80)
        assert corr >= 0.98 and abs(lag) <= 80, f"{clip.codec}: correlation with the reference {corr:.3f} at lag {lag}"


def amr_clip(role: str, frames: list[bytes], per_packet: int, octet_aligned: bool, payload_type: int) -> CodedClip:
    payloads = [amr.payload(frames[i:i + per_packet], octet_aligned) for i in range(0, len(frames) - per_packet + 1, per_packet)]
    return CodedClip(role, "AMR", payload_type, payloads, amr.decode_opencore(frames[:len(payloads) * per_packet]))


def test_amr_both_payload_formats(daemon_factory, tmp_path):
    """The caller is offered AMR octet-aligned (PT 110, `mode-set=0,2,5,7`) and sends one frame per packet,
    changing mode every second (12.2, 7.95, 5.9 kbit/s); the callee is offered bandwidth-efficient AMR (PT
    111) and sends three 10.2 kbit/s frames per 60 ms packet. Both are answered with their fmtp, named AMR,
    bit-exact to opencore's decode of the frames sent, and correlate ≥ 0.98 with ffmpeg's AMR-NB decode."""
    daemon = daemon_factory('[media]\ncapture = "socket"\n')
    caller_frames = amr.encode(tones(1), ["12.2"] * 50 + ["7.95"] * 50 + ["5.9"] * 50)
    callee_frames = amr.encode(tones(2), "10.2")
    assert {amr.frame_type(f) for f in caller_frames} == {7, 5, 2} and {amr.frame_type(f) for f in callee_frames} == {6}
    dialog = Dialog(daemon.sip_port)
    ok, (port1, port2) = dialog.start(sdp((40000, "110 101", "sendonly"), (40002, "111", "sendonly")))
    assert m_lines(ok) == ["110 101", "111"], ok
    assert "a=rtpmap:110 AMR/8000" in ok and "a=fmtp:110 octet-align=1; mode-set=0,2,5,7" in ok, ok
    assert "a=rtpmap:111 AMR/8000" in ok and "a=fmtp:111 mode-change-capability=2" in ok, ok
    caller = RtpStream(amr_clip("caller", caller_frames, 1, True, 110), port1, 150)
    callee = RtpStream(amr_clip("callee", callee_frames, 3, False, 111), port2, 50, samples_per_packet=480)
    send_concurrently([caller, callee])
    rec, wav = hang_up_and_check(daemon, dialog, caller, callee, tmp_path)
    assert rec["sampleRate"] == 8000 and wav.sample_rate == 8000, (rec["sampleRate"], wav.sample_rate)
    assert_part(rec, "caller", caller, "1")
    assert_part(rec, "callee", callee, "2")
    assert all(r["malformed"] == 0 and r["unknownPayload"] == 0 for r in rec["reception"]), rec["reception"]
    for role, frames in (("caller", caller_frames), ("callee", callee_frames)):
        reference = amr.decode_ffmpeg(frames, tmp_path)
        start = part_for(rec, role)["startSample"]
        got = wav.samples[start:start + len(reference), ROLE_CHANNEL[role]]
        corr, lag = media.best_correlation(got, reference, 160)
        assert corr >= 0.98 and abs(lag) <= 160, f"{role}: correlation with ffmpeg's AMR-NB decode {corr:.3f} at lag {lag}"
    assert_mp3_matches(daemon.download(rec["recordingId"], "mp3", tmp_path / "amr.mp3"), wav, tmp_path)


def test_amr_dtx_keeps_the_timeline_and_a_bad_frame_type_is_malformed(daemon_factory, tmp_path):
    """The caller's AMR encoder runs with DTX: in the silence between two bursts of speech it sends a SID
    frame every 8th frame and nothing else (bandwidth-efficient, one frame a packet). The master holds each
    frame at its timestamp — speech and comfort noise as opencore decodes them, silence where nothing was
    sent. A packet with a reserved frame type (12) sent into the silence is counted `malformed` and leaves
    its place silent; the stream goes on bit-exact."""
    daemon = daemon_factory('[media]\ncapture = "socket"\n')
    speech = tones(3, 8000 * 2)
    frames = amr.encode(np.concatenate([speech, np.zeros(8000 * 2, np.int16), speech]), "12.2", dtx=True)
    kinds = {amr.frame_type(f) for f in frames}
    assert kinds == {7, 8, 15}, f"the DTX encoder made frame types {kinds}: no silence?"
    sent = [i for i, f in enumerate(frames) if amr.frame_type(f) != 15]
    gap = next(i for i in range(sent.index(next(i for i in sent if amr.frame_type(frames[i]) == 8)), len(frames))
               if amr.frame_type(frames[i]) == 15)
    dialog = Dialog(daemon.sip_port)
    ok, (port1, _) = dialog.start(sdp((40000, "111", "sendonly"), (40002, "0", "sendonly")))
    assert m_lines(ok)[0] == "111", ok
    payloads = {i: amr.payload([frames[i]], False) for i in sent} | {gap: bytes([0xF6, 0x40, 0, 0, 0])}   # CMR 15, FT 12
    rec, wav = send_frames_and_hang_up(daemon, dialog, port1, 111, payloads, 160, 0xA3B0, 16_000, tmp_path)
    part = part_for(rec, "caller")
    assert part["codec"] == "AMR" and part["packets"] == len(sent) + 1 and part["lost"] == 0, part
    reception = next(r for r in rec["reception"] if r["label"] == "1")
    assert reception["malformed"] == 1, reception
    expected = amr.decode_opencore([frames[i] if i in sent else None for i in range(sent[0], sent[-1] + 1)])
    assert_caller_is(wav, part, expected, lambda i: f"opencore, frame {i // 160} of type {amr.frame_type(frames[sent[0] + i // 160])}")


def test_replayed_capture_of_g729_and_amr(clips, tmp_path):
    """`siprecd replay` of a capture whose caller sends G.729 and whose callee sends bandwidth-efficient AMR
    (passive mode reads SDP the same way): one recording, both channels bit-exact to the libraries' decodes,
    codecs named."""
    caller, _ = g729_clip(clips["caller"])
    callee = amr_clip("callee", amr.encode(tones(2), "7.4"), 1, False, 111)
    scenario = Scenario(formats=(("18", "a=rtpmap:18 G729/8000\r\na=fmtp:18 annexb=no\r\n"),
                                 ("111", "a=rtpmap:111 AMR/8000\r\na=fmtp:111 mode-set=4\r\n")),
                        sent=(caller, callee), packets=120)
    recordings = replay(scenario.write(clips, tmp_path / "codecs.pcap"), tmp_path / "out")
    assert len(recordings) == 1, recordings
    rec = recordings[0]
    assert rec["state"] == "ready", rec
    wav = media.parse_wav((tmp_path / "out" / rec_path(rec, "wav", tmp_path / "out")).read_bytes())
    for role, stream in zip(("caller", "callee"), scenario.streams):
        assert part_for(rec, role)["codec"] == stream.clip.codec, part_for(rec, role)
        assert_channel_exact(wav, rec, role, stream)


def test_g722_next_to_g711_on_a_narrowband_master(daemon_factory, clips, tmp_path):
    """`[media] masterRate = 8000`: the caller sends G.722 (PT 9, ffmpeg's encoder, 160 octets a 20 ms
    packet), the callee PCMA, and the master stays narrowband: the caller channel is bit-exact to spandsp's
    16 kHz decode of what was sent resampled to 8 kHz by speexdsp, and correlates ≥ 0.98 with ffmpeg's decode
    resampled by ffmpeg; codec G722; the callee stays bit-exact; sampleRate 8000."""
    daemon = daemon_factory('[media]\ncapture = "socket"\nmasterRate = 8000\n')
    data = g722.encode(g722.tones16(1), tmp_path)
    payloads = [data[i * 160:(i + 1) * 160] for i in range(150)]
    assert all(len(p) == 160 for p in payloads), len(data)
    caller_clip = CodedClip("caller", "G722", 9, payloads, g722.decode_spandsp(payloads))
    dialog = Dialog(daemon.sip_port)
    ok, (port1, port2) = dialog.start(sdp((40000, "9 0 101", "sendonly"), (40002, "8", "sendonly")))
    assert m_lines(ok) == ["9 0 101", "8"] and "a=rtpmap:9 G722/8000" in ok, ok
    caller, callee = RtpStream(caller_clip, port1, 150), RtpStream(clips["callee"], port2, 150)
    send_concurrently([caller, callee])
    rec, wav = hang_up_and_check(daemon, dialog, caller, callee, tmp_path)
    assert rec["sampleRate"] == 8000 and wav.sample_rate == 8000, (rec["sampleRate"], wav.sample_rate)
    assert_part(rec, "caller", caller, "1")
    assert_part(rec, "callee", callee, "2")
    reference = g722.decode_ffmpeg(data, tmp_path)
    start = part_for(rec, "caller")["startSample"]
    got = wav.samples[start:start + len(reference), ROLE_CHANNEL["caller"]]
    corr, lag = media.best_correlation(got, reference, 80)
    assert corr >= 0.98 and abs(lag) <= 80, f"correlation with ffmpeg's G.722 decode {corr:.3f} at lag {lag}"


def tones48(seed: int, samples: int) -> np.ndarray:
    """`tones` sampled at 48 kHz (the rate an Opus SRC encodes)."""
    rng = np.random.default_rng(seed)
    t = np.arange(samples) / 48000
    envelope = 0.55 + 0.45 * np.sin(2 * np.pi * 1.3 * t + seed)
    x = sum(a * np.sin(2 * np.pi * f * t + p) for a, f, p in zip(rng.uniform(0.2, 1, 4), rng.uniform(200, 2500, 4), rng.uniform(0, 6.28, 4)))
    return (x / np.abs(x).max() * 9000 * envelope).astype(np.int16)


@pytest.mark.parametrize("frame_ms", [10, 20, 40, 60])
def test_opus_frame_sizes(daemon_factory, tmp_path, frame_ms):
    """Opus (`opus/48000/2`, PT 111, `useinbandfec=1`) from ffmpeg's libopus encoder in packets of 10, 20,
    40 or 60 ms, with telephone-event/48000 offered beside it: answered with its 48 kHz rtpmap and fmtp;
    a wideband codec, so a 16 kHz master (sampleRate 16000); every packet placed by its 48 kHz timestamp on
    the 16 kHz timeline (the channel is as long as the sender's audio); bit-exact to libopus's own 16 kHz
    decode, correlating ≥ 0.98 with ffmpeg's own Opus decoder; codec opus."""
    daemon = daemon_factory('[media]\ncapture = "socket"\n')
    packets, ogg = opus.encode(tones48(1, 48000 * 3), 48000, frame_ms, tmp_path)
    offer = sdp((40000, "0", "sendonly"), (40002, "0", "sendonly")).replace(
        "m=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n",
        "m=audio 40000 RTP/AVP 111 101\r\na=rtpmap:111 opus/48000/2\r\na=fmtp:111 useinbandfec=1; minptime=10\r\n"
        "a=rtpmap:101 telephone-event/48000\r\na=fmtp:101 0-15\r\n")
    dialog = Dialog(daemon.sip_port)
    ok, (port1, _) = dialog.start(offer)
    assert m_lines(ok)[0] == "111 101", ok
    assert "a=rtpmap:111 opus/48000/2" in ok and "a=fmtp:111 useinbandfec=1; minptime=10" in ok, ok
    assert "a=rtpmap:101 telephone-event/48000" in ok, ok
    frame = 48 * frame_ms
    rec, wav = send_frames_and_hang_up(daemon, dialog, port1, 111, dict(enumerate(packets)), frame, 0x0905, 123_456, tmp_path,
                                       clock=48000)
    part = part_for(rec, "caller")
    assert part["codec"] == "opus" and part["packets"] == len(packets) and part["lost"] == 0, part
    assert all(r["malformed"] == 0 and r["resynchronisations"] == 0 for r in rec["reception"]), rec["reception"]
    assert rec["sampleRate"] == 16000 and wav.sample_rate == 16000, (rec["sampleRate"], wav.sample_rate)
    expected = opus.decode_libopus(packets, 16000)
    assert len(expected) == len(packets) * 16 * frame_ms
    got = assert_caller_is(wav, part, expected, lambda i: f"libopus at 16 kHz, packet {i // (16 * frame_ms)}")
    corr, lag = media.best_correlation(got, opus.decode_ffmpeg(ogg, 16000), 320)
    assert corr >= 0.98 and abs(lag) <= 320, f"correlation with ffmpeg's Opus decoder {corr:.3f} at lag {lag}"


def test_amr_wb(daemon_factory, clips, tmp_path):
    """AMR-WB (`AMR-WB/16000`, a 16 kHz RTP clock) from vo-amrwbenc: the caller octet-aligned at 23.85 kbit/s,
    one frame a packet; the callee bandwidth-efficient at 12.65 kbit/s, two frames a 40 ms packet. Answered
    with their rtpmaps and fmtp; a 16 kHz master; each channel placed by its 16 kHz timestamps, bit-exact
    to opencore-amrwb's own decode (nothing resampled), and correlating ≥ 0.98 with ffmpeg's native AMR-WB
    decoder; codec AMR-WB."""
    daemon = daemon_factory('[media]\ncapture = "socket"\n')
    streams = {}
    for role, mode, per_packet, aligned, pt in (("caller", "23.85", 1, True, 112), ("callee", "12.65", 2, False, 113)):
        frames = amr.encode_wb(g722.tones16(1 if role == "caller" else 2), mode)
        grouped = [frames[i:i + per_packet] for i in range(0, len(frames) - per_packet + 1, per_packet)]
        payloads = {i: amr.payload(group, aligned, wideband=True) for i, group in enumerate(grouped)}
        streams[role] = (frames, grouped, payloads, per_packet, pt)
    offer = sdp((40000, "0", "sendonly"), (40002, "8", "sendonly"))
    offer = offer.replace("m=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n",
                          "m=audio 40000 RTP/AVP 112\r\na=rtpmap:112 AMR-WB/16000\r\na=fmtp:112 octet-align=1\r\n")
    offer = offer.replace("m=audio 40002 RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\n",
                          "m=audio 40002 RTP/AVP 113\r\na=rtpmap:113 AMR-WB/16000\r\n")
    dialog = Dialog(daemon.sip_port)
    ok, (port1, port2) = dialog.start(offer)
    assert m_lines(ok) == ["112", "113"], ok
    assert "a=rtpmap:112 AMR-WB/16000" in ok and "a=fmtp:112 octet-align=1" in ok and "a=rtpmap:113 AMR-WB/16000" in ok, ok
    results = {}

    def send(role: str, port: int) -> None:
        frames, grouped, payloads, per_packet, pt = streams[role]
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        start = time.monotonic() + 0.05
        for seq, index in enumerate(sorted(payloads)):
            delay = start + index * per_packet * 0.020 - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            header = struct.pack("!BBHII", 0x80, pt | (0x80 if seq == 0 else 0), seq, 77_000 + index * per_packet * 320, 0x3B00 + pt)
            sock.sendto(header + payloads[index], ("127.0.0.1", port))
        sock.close()
        results[role] = True

    threads = [threading.Thread(target=send, args=("caller", port1)), threading.Thread(target=send, args=("callee", port2))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert results == {"caller": True, "callee": True}
    time.sleep(0.5)
    dialog.request("BYE")
    rec = daemon.wait_for_state(dialog.call_id, "ready")
    wav = media.parse_wav(daemon.download(rec["recordingId"], "wav", tmp_path / "amrwb.wav").read_bytes())
    assert all(r["malformed"] == 0 and r["resynchronisations"] == 0 for r in rec["reception"]), rec["reception"]
    assert rec["sampleRate"] == 16000 and wav.sample_rate == 16000, (rec["sampleRate"], wav.sample_rate)
    for role in ("caller", "callee"):
        frames, grouped, payloads, per_packet, _ = streams[role]
        part = part_for(rec, role)
        assert part["codec"] == "AMR-WB" and part["packets"] == len(payloads) and part["lost"] == 0, part
        expected = amr.decode_opencore_wb(grouped, 16000)
        channel = wav.samples[:, ROLE_CHANNEL[role]]
        got = channel[part["startSample"]:part["startSample"] + len(expected)]
        assert len(got) == len(expected), f"{role}: the channel ends {len(expected) - len(got)} samples early"
        diff = media.first_difference(got, expected)
        assert diff is None, f"{role} differs from opencore-amrwb at sample {diff}"
        corr, lag = media.best_correlation(got, amr.decode_ffmpeg_wb(frames[:len(grouped) * per_packet], tmp_path, 16000), 320)
        assert corr >= 0.98 and abs(lag) <= 320, f"{role}: correlation with ffmpeg's AMR-WB decode {corr:.3f} at lag {lag}"
