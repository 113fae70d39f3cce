"""Lost packets under both `[media] concealment` settings, with the real binary and an SRC that loses packets
on the way (sequence numbers skipped) and reorders some. By default a loss stays silent on the timeline and the rest is bit for
bit the decode of what arrived. Under `concealment = "codec"` the decoder fills it: Opus from the next
packet's in-band FEC (libopus, speech from ffmpeg's libopus encoder with `-fec 1`), bit for bit as libopus
conceals and closer to the lost speech than its PLC alone; G.729 by bcg729's frame erasure, bit for bit; a
packet that arrives after its successor is decoded in its place, in order; `reception[].concealedSamples`
counts what was filled."""

from __future__ import annotations

import ctypes

import numpy as np
import pytest

import g729
import media
import opus
from checks import ROLE_CHANNEL, part_for
from sipdialog import Dialog, sdp
from test_codecs import m_lines, send_frames_and_hang_up

OPUS_OFFER = ("m=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n",
              "m=audio 40000 RTP/AVP 111\r\na=rtpmap:111 opus/48000/2\r\na=fmtp:111 useinbandfec=1\r\n")


def loud_packets(reference: np.ndarray, frame: int, first: int, count: int, every: int) -> list[int]:
    """Indices of packets from `first` on, `every` apart, whose audio in `reference` is speech (not a pause)."""
    picked: list[int] = []
    index = first
    while len(picked) < count and (index + 2) * frame <= len(reference):
        if np.abs(reference[index * frame:(index + 1) * frame].astype(np.int32)).mean() > 800:
            picked.append(index)
            index += every
        else:
            index += 1
    assert len(picked) == count, f"only {len(picked)} loud packets in the clip"
    return picked


def mean_correlation(got: np.ndarray, expected: np.ndarray, packets: list[int], frame: int) -> float:
    values = []
    for index in packets:
        a = got[index * frame:(index + 1) * frame].astype(float)
        b = expected[index * frame:(index + 1) * frame].astype(float)
        values.append(float(a @ b / np.sqrt((a @ a) * (b @ b) + 1e-9)))
    return float(np.mean(values))


@pytest.mark.parametrize("setting", ["silence", "codec"])
def test_opus_loss(daemon_factory, clips, tmp_path, setting):
    """Opus speech (20 ms packets with in-band FEC) loses single packets and one pair on the way; a 16 kHz
    master. silence (the default, not configured): the lost packets' places are silent and everything else
    is libopus's decode of what arrived, bit for bit. codec: every lost place is filled — bit for bit as
    libopus decodes the FEC of the packet after it (PLC for the first of the pair) — correlating better with
    the speech that was lost than libopus's PLC alone would; concealedSamples = 320 per lost packet."""
    daemon = daemon_factory('[media]\ncapture = "socket"\n' + ('concealment = "codec"\n' if setting == "codec" else ""))
    packets, _ = opus.encode(clips["caller"].decoded[:8000 * 6], 8000, 20, tmp_path, fec_loss=20)
    complete = opus.decode_libopus(packets, 16000)
    lost = loud_packets(complete, 320, 30, 6, 25)
    lost.append(lost[-1] + 1)   # a pair: PLC, then FEC
    dialog = Dialog(daemon.sip_port)
    ok, (port1, _) = dialog.start(sdp((40000, "0", "sendonly"), (40002, "0", "sendonly")).replace(*OPUS_OFFER))
    assert m_lines(ok)[0] == "111", ok
    sent = {i: p for i, p in enumerate(packets) if i not in lost}
    rec, wav = send_frames_and_hang_up(daemon, dialog, port1, 111, sent, 960, 0x0FEC, 77_000, tmp_path, clock=48000, lost=True)
    part = part_for(rec, "caller")
    assert part["lost"] == len(lost) and part["packets"] == len(sent), part
    assert rec["sampleRate"] == 16000, rec["sampleRate"]
    caller = next(r for r in rec["reception"] if r["label"] == "1")
    start = part["startSample"]
    got = wav.samples[start:start + len(complete), ROLE_CHANNEL["caller"]]
    assert len(got) == len(complete), f"the channel is {len(complete) - len(got)} samples short"
    expected = opus.decode_libopus_lossy(packets, set(lost), 16000, fec=setting == "codec")
    diff = media.first_difference(got, expected)
    assert diff is None, f"differs from libopus ({setting}) at sample {diff}, packet {diff // 320}; lost {lost}"
    if setting == "silence":
        assert caller["concealedSamples"] == 0, caller
        assert all(not np.any(got[i * 320:(i + 1) * 320]) for i in lost), "a lost packet's place is not silent"
    else:
        assert caller["concealedSamples"] == 320 * len(lost), caller
        singles = lost[:-2]
        fec_corr = mean_correlation(got, complete, singles, 320)
        plc_corr = mean_correlation(_plc_only(packets, set(lost)), complete, singles, 320)
        assert fec_corr > plc_corr and fec_corr >= 0.6, f"FEC {fec_corr:.3f} against PLC alone {plc_corr:.3f}"


def _plc_only(packets: list[bytes], lost: set[int]) -> np.ndarray:
    """libopus's PLC for the lost packets, without their FEC (what a receiver that ignores FEC conceals)."""
    error = ctypes.c_int(0)
    state = opus._lib.opus_decoder_create(16000, 1, ctypes.byref(error))
    buffer = (ctypes.c_int16 * 1920)()
    out = []
    try:
        for index, packet in enumerate(packets):
            if index in lost:
                count = opus._lib.opus_decode(state, None, 0, buffer, 320, 0)
            else:
                count = opus._lib.opus_decode(state, packet, len(packet), buffer, 1920, 0)
            out.append(np.frombuffer(buffer, dtype=np.int16)[:count].copy())
    finally:
        opus._lib.opus_decoder_destroy(state)
    return np.concatenate(out)


def test_g729_loss_reordering_and_dtx_under_codec_concealment(daemon_factory, clips, tmp_path):
    """G.729 (20 ms packets of two frames) under `concealment = "codec"`: two lost packets are filled by
    bcg729's frame erasure, bit for bit; a packet sent after its successor is decoded in its place, in order
    (not late); the whole channel is bcg729's in-order decode with those four frames erased. (The sender's
    own silence, DTX without a sequence gap, is not concealed: ConcealmentTests.)"""
    daemon = daemon_factory('[media]\ncapture = "socket"\nconcealment = "codec"\n')
    frames = g729.encode(clips["caller"].decoded[:8000 * 4])
    payloads = {i: frames[2 * i] + frames[2 * i + 1] for i in range(len(frames) // 2)}
    decoded = g729.decode_bcg729(frames)
    lost = loud_packets(decoded, 160, 40, 2, 30)
    order = [i for i in sorted(payloads) if i not in lost]
    swap = order.index(lost[0] + 20)
    order[swap], order[swap + 1] = order[swap + 1], order[swap]
    dialog = Dialog(daemon.sip_port)
    ok, (port1, port2) = dialog.start(sdp((40000, "18", "sendonly"), (40002, "18", "sendonly")))
    assert m_lines(ok) == ["18", "18"], ok
    sent = {i: payloads[i] for i in order}
    rec, wav = send_frames_and_hang_up(daemon, dialog, port1, 18, sent, 160, 0x729, 1_000, tmp_path, lost=True, order=order)
    part = part_for(rec, "caller")
    assert part["lost"] == 2 and part["packets"] == len(sent), part
    caller = next(r for r in rec["reception"] if r["label"] == "1")
    assert caller["concealedSamples"] == 320, caller
    erased = {2 * i for i in lost} | {2 * i + 1 for i in lost}
    expected = g729.decode_bcg729(frames[:2 * len(payloads)], erased=erased)
    start = part["startSample"]
    got = wav.samples[start:start + len(expected), ROLE_CHANNEL["caller"]]
    diff = media.first_difference(got, expected)
    assert diff is None, f"differs from bcg729 with frames {sorted(erased)} erased at sample {diff} (frame {diff // 80})"
    assert all(np.any(got[i * 160:(i + 1) * 160]) for i in lost), "a concealed place is silent"
