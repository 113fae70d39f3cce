"""Masters wider than 8 kHz (`[media] masterRate`, "auto" by default): a session with a wideband stream
(G.722 here) records a 16 kHz master and MP3, the G.711 stream beside it resampled by speexdsp; STORE trims
and beeps at 16 kHz, MERGE of a 16 kHz and an 8 kHz recording runs at 16 kHz; `masterRate = 48000` keeps
Opus fullband. Bit-exact against the libraries' own decodes (and speexdsp where siprecd resamples),
correlated against ffmpeg's independent decodes."""

from __future__ import annotations

import numpy as np

import g722
import media
import opus
import speexdsp
from checks import ROLE_CHANNEL, assert_mp3_matches, part_for
from hooks import Hooks
from rtp_sender import RtpStream, send_concurrently
from sipdialog import Dialog, sdp
from test_codecs import CodedClip, m_lines, send_frames_and_hang_up, tones48
from test_merge import record
from replay_scenario import Scenario
from test_replay import rec_path, replay

PACKETS = 150


def mixed_call(daemon, clips, tmp_path):
    """Caller G.722 (ffmpeg's encoder), callee PCMA, 3 s; returns (recording, master, G.722 bytes, payloads)."""
    data = g722.encode(g722.tones16(1), tmp_path)
    payloads = [data[i * 160:(i + 1) * 160] for i in range(PACKETS)]
    caller_clip = CodedClip("caller", "G722", 9, payloads, g722.decode_spandsp(payloads, 16000))
    dialog = Dialog(daemon.sip_port)
    ok, (port1, port2) = dialog.start(sdp((40000, "9 0 101", "sendonly"), (40002, "8", "sendonly")))
    assert m_lines(ok) == ["9 0 101", "8"] and "a=rtpmap:9 G722/8000" in ok, ok
    caller, callee = RtpStream(caller_clip, port1, PACKETS), RtpStream(clips["callee"], port2, PACKETS)
    send_concurrently([caller, callee])
    dialog.request("BYE")
    rec = daemon.wait_for_state(dialog.call_id, "ready")
    wav = media.parse_wav(daemon.download(rec["recordingId"], "wav", tmp_path / "mixed.wav").read_bytes())
    return rec, wav, data, payloads, caller, callee


def channel_is(wav, rec, role: str, expected: np.ndarray) -> np.ndarray:
    part = part_for(rec, role)
    channel = wav.samples[:, ROLE_CHANNEL[role]]
    start = part["startSample"]
    got = channel[start:start + len(expected)]
    assert len(got) == len(expected), f"{role}: the channel ends {len(expected) - len(got)} samples early"
    diff = media.first_difference(got, expected)
    assert diff is None, f"{role} differs from the reference at sample {diff} ({diff / 16000:.3f} s)"
    assert not np.any(channel[:start]) and not np.any(channel[start + len(expected):]), f"{role}: audio outside its stream"
    return got


def test_g711_beside_g722_gives_a_16khz_master_mp3_store_and_merge(daemon_factory, clips, tmp_path):
    """G.722 caller, PCMA callee, `masterRate` left at "auto": sampleRate 16000 in the recording, a 16 kHz
    WAV master whose caller channel is spandsp's 16 kHz decode bit for bit (nothing resampled; ≥ 0.98 with
    ffmpeg's decode) and whose callee channel is the A-law decode resampled 8→16 kHz by speexdsp packet by
    packet, bit for bit, at the right offset (startSample in 16 kHz samples, both channels as long as their
    audio); an MP3 at 16 kHz (MPEG-2) that sounds like the master; a STORE with trim and beep mask exact at
    16 kHz (the beep 16 samples a period, same level); an MP3 STORE at 16 kHz; and a MERGE with a G.711-only
    (8 kHz) recording at 16 kHz, the narrow one upsampled."""
    hooks = Hooks(tmp_path)
    bucket = tmp_path / "archive"
    bucket.mkdir()
    try:
        daemon = daemon_factory(f'[media]\ncapture = "socket"\n[webhooks]\nbase = "{hooks.url()}"\nsecret = "k"\n'
                                f'[buckets.archive]\ntype = "dir"\npath = "{bucket}"\n')
        rec, wav, data, payloads, caller, callee = mixed_call(daemon, clips, tmp_path)
        rec_id = rec["recordingId"]
        assert rec["sampleRate"] == 16000 and wav.sample_rate == 16000, (rec["sampleRate"], wav.sample_rate)
        assert part_for(rec, "caller")["codec"] == "G722" and part_for(rec, "callee")["codec"] == "PCMA"
        got = channel_is(wav, rec, "caller", caller.clip.decoded)
        corr, lag = media.best_correlation(got, g722.decode_ffmpeg(data, tmp_path, 16000), 160)
        assert corr >= 0.98 and abs(lag) <= 160, f"correlation with ffmpeg's 16 kHz G.722 decode {corr:.3f} at lag {lag}"
        narrow = [np.asarray(clips["callee"].decoded[i * 160:(i + 1) * 160], dtype=np.int16) for i in range(PACKETS)]
        channel_is(wav, rec, "callee", speexdsp.resample_packets(narrow, 8000, 16000))
        assert rec["durationMs"] >= 2900, rec["durationMs"]
        assert abs(len(wav.samples) - rec["durationMs"] * 16) <= 16 * 25, (len(wav.samples), rec["durationMs"])
        assert_mp3_matches(daemon.download(rec_id, "mp3", tmp_path / "mixed.mp3"), wav, tmp_path)

        ready = hooks.wait(lambda b: b.get("event") == "RECORDINGREADY" and b["recordingId"] == rec_id)
        command = {"method": "STORERECORDING", "recordingId": rec_id, "replyId": ready["replyId"], "destinationBucket": "archive"}
        r = daemon.api_post("/srs.example.com/storerecording", {**command, "fileName": "wide.wav", "modificationParams": {
            "trim": {"from": 0.5, "to": 2.5}, "mask": {"caller": [{"from": 1.0, "to": 1.5}]}}})
        assert r.status == 200, r.body
        hooks.wait(lambda b: b.get("event") == "RECORDINGSTORED" and b["fileName"] == "wide.wav")
        stored = media.parse_wav((bucket / "wide.wav").read_bytes())
        assert stored.sample_rate == 16000 and stored.samples.shape == (32_000, 2), (stored.sample_rate, stored.samples.shape)
        c, e = ROLE_CHANNEL["caller"], ROLE_CHANNEL["callee"]
        assert np.array_equal(stored.samples[:, e], wav.samples[8000:40000, e]), "the unmasked channel changed"
        expected = wav.samples[8000:40000, c].copy()
        beep = np.array([round(8192 * np.sin(2 * np.pi * n / 16)) for n in range(16)], dtype=np.int16)
        expected[8000:16000] = np.tile(beep, 500)
        assert np.array_equal(stored.samples[:, c], expected), "the masked channel is not the master with a 16 kHz beep"
        r = daemon.api_post("/srs.example.com/storerecording", {**command, "fileName": "wide.mp3"})
        assert r.status == 200, r.body
        hooks.wait(lambda b: b.get("event") == "RECORDINGSTORED" and b["fileName"] == "wide.mp3")
        assert_mp3_matches(bucket / "wide.mp3", wav, tmp_path)

        narrow_rec = record(daemon, clips, tmp_path / "narrow", 100)
        assert narrow_rec["sampleRate"] == 8000, narrow_rec["sampleRate"]
        narrow_wav = media.parse_wav(daemon.download(narrow_rec["recordingId"], "wav", tmp_path / "narrow.wav").read_bytes())
        ready = hooks.wait(lambda b: b.get("event") == "RECORDINGREADY" and b["recordingId"] == narrow_rec["recordingId"])
        t0 = 1_800_000_000_000
        r = daemon.api_post("/srs.example.com/mergerecordings", {
            "method": "MERGERECORDINGS", "destinationBucket": "archive", "replyId": ready["replyId"], "fileName": "merged.wav",
            "toMerge": [{"recordingId": rec_id, "startTime": t0}, {"recordingId": narrow_rec["recordingId"], "startTime": t0 + 5000}]})
        assert r.status == 200, r.body
        hooks.wait(lambda b: b.get("event") == "RECORDINGSMERGED" and b["fileName"] == "merged.wav")
        merged = media.parse_wav((bucket / "merged.wav").read_bytes())
        assert merged.sample_rate == 16000, merged.sample_rate
        assert len(merged.samples) == 80_000 + 2 * len(narrow_wav.samples), (len(merged.samples), len(narrow_wav.samples))
        # The wide recording as it is (no other audio before 5 s), the narrow one upsampled after it.
        roles = {p["channel"]: p["role"] for p in rec["meta"]["recordingsPartsInfo"]}
        for channel in range(2):
            side = 0 if roles[channel] == "caller" else 1
            assert np.array_equal(merged.samples[:len(wav.samples), side], wav.samples[:, channel]), f"wide channel {channel} changed"
        narrow_roles = {p["channel"]: p["role"] for p in narrow_rec["meta"]["recordingsPartsInfo"]}
        for channel in range(2):
            side = 0 if narrow_roles[channel] == "caller" else 1
            # As the merge reads it: 3,200 frames to the end of the 9,600-frame step it starts in, then 4,800 a step.
            column = narrow_wav.samples[:, channel]
            blocks = [column[:3200]] + [column[i:i + 4800] for i in range(3200, len(column), 4800)]
            up = speexdsp.resample_packets(blocks, 8000, 16000)
            assert np.array_equal(merged.samples[80_000:, side], up), f"narrow channel {channel} is not its speexdsp upsampling"
    finally:
        hooks.stop()


def test_opus_fullband_with_master_rate_48000(daemon_factory, tmp_path):
    """`masterRate = 48000`: Opus 20 ms packets recorded at 48 kHz, bit for bit as libopus decodes them at 48
    kHz (nothing resampled), ≥ 0.98 with ffmpeg's own decoder at 48 kHz; the G.711 callee resampled 8→48 kHz;
    sampleRate 48000; an MP3 at 48 kHz."""
    daemon = daemon_factory('[media]\ncapture = "socket"\nmasterRate = 48000\n')
    packets, ogg = opus.encode(tones48(3, 48000 * 3), 48000, 20, tmp_path)
    offer = sdp((40000, "0", "sendonly"), (40002, "0", "sendonly")).replace(
        "m=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n",
        "m=audio 40000 RTP/AVP 111\r\na=rtpmap:111 opus/48000/2\r\n")
    dialog = Dialog(daemon.sip_port)
    ok, (port1, _) = dialog.start(offer)
    rec, wav = send_frames_and_hang_up(daemon, dialog, port1, 111, dict(enumerate(packets)), 960, 0x0948, 9_000, tmp_path,
                                       clock=48000)
    assert rec["sampleRate"] == 48000 and wav.sample_rate == 48000, (rec["sampleRate"], wav.sample_rate)
    expected = opus.decode_libopus(packets, 48000)
    got = channel_is(wav, rec, "caller", expected)
    corr, lag = media.best_correlation(got, opus.decode_ffmpeg(ogg, 48000), 960)
    assert corr >= 0.98 and abs(lag) <= 960, f"correlation with ffmpeg's Opus decoder {corr:.3f} at lag {lag}"
    decoded = media.decode_mp3(daemon.download(rec["recordingId"], "mp3", tmp_path / "full.mp3"), tmp_path / "full-mp3.wav")
    assert decoded.sample_rate == 48000 and abs(len(decoded.samples) - len(wav.samples)) <= 2304, (decoded.sample_rate, len(decoded.samples))
    corr, _ = media.best_correlation(decoded.samples[:, 0], wav.samples[:, ROLE_CHANNEL["caller"]], 3000)
    assert corr >= 0.9, f"the MP3's caller side does not sound like the master: {corr:.3f}"


def test_replayed_capture_of_g722_and_g711(clips, tmp_path):
    """`siprecd replay` of a capture whose caller sends G.722 and whose callee sends PCMA (passive mode reads
    the SDP the same way): one recording at 16 kHz, the caller bit-exact to spandsp's 16 kHz decode, the
    callee to its A-law decode resampled 8→16 kHz by speexdsp, codecs named."""
    data = g722.encode(g722.tones16(4), tmp_path)
    payloads = [data[i * 160:(i + 1) * 160] for i in range(120)]
    caller = CodedClip("caller", "G722", 9, payloads, np.zeros(160 * 120, dtype=np.int16))
    scenario = Scenario(formats=(("9", "a=rtpmap:9 G722/8000\r\n"), ("8", "a=rtpmap:8 PCMA/8000\r\n")),
                        sent=(caller, clips["callee"]), packets=120)
    recordings = replay(scenario.write(clips, tmp_path / "g722.pcap"), tmp_path / "out")
    assert len(recordings) == 1, recordings
    rec = recordings[0]
    assert rec["state"] == "ready" and rec["sampleRate"] == 16000, (rec["state"], rec.get("sampleRate"))
    wav = media.parse_wav((tmp_path / "out" / rec_path(rec, "wav", tmp_path / "out")).read_bytes())
    assert wav.sample_rate == 16000, wav.sample_rate
    assert part_for(rec, "caller")["codec"] == "G722" and part_for(rec, "callee")["codec"] == "PCMA"
    channel_is(wav, rec, "caller", g722.decode_spandsp(payloads, 16000))
    narrow = [np.asarray(clips["callee"].decoded[i * 160:(i + 1) * 160], dtype=np.int16) for i in range(120)]
    channel_is(wav, rec, "callee", speexdsp.resample_packets(narrow, 8000, 16000))
