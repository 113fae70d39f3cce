"""A box that runs out of what a call needs at call setup — file descriptors, memory — refuses that call with
503 and the reason, counts it in /metrics, and goes on: the call already recording keeps every sample, and
the next call once the resource is back is recorded. The limits are the kernel's own (prlimit on the running
daemon), not a simulation."""

from __future__ import annotations

import os
import re
import resource
import threading

import checks
import media
from rtp_sender import RtpStream, send_concurrently
from sipdialog import Dialog, sdp

OFFER = sdp((40000, "0", "sendonly"), (40002, "8", "sendonly"))


def exhausted_count(daemon, what: str) -> int:
    text = daemon.api_get("/metrics").body.decode()
    match = re.search(rf'^siprecd_calls_refused_exhausted_total\{{resource="{what}"\}} (\d+)$', text, re.M)
    assert match, f"no siprecd_calls_refused_exhausted_total{{resource=\"{what}\"}} in /metrics"
    return int(match.group(1))


def lowest_free_descriptor(pid: int) -> int:
    used = {int(name) for name in os.listdir(f"/proc/{pid}/fd")}
    return next(fd for fd in range(len(used) + 1) if fd not in used)


def virtual_size(pid: int) -> int:
    status = open(f"/proc/{pid}/status").read()
    return int(re.search(r"^VmSize:\s+(\d+) kB", status, re.M).group(1)) * 1024


def refused_under_limit(daemon, which: int, soft) -> tuple[str, str]:
    """An INVITE sent while the daemon's `which` rlimit is `soft(pid)` (restored at once after): the status line
    of its answer, which must be 503, and its Call-ID."""
    pid = daemon.proc.pid
    limits = resource.prlimit(pid, which)
    dialog = Dialog(daemon.sip_port)
    try:
        resource.prlimit(pid, which, (soft(pid), limits[1]))
        reply = dialog.request("INVITE", OFFER, "application/sdp", expect=503)
    finally:
        resource.prlimit(pid, which, limits)
        dialog.close()
    return reply.splitlines()[0], dialog.call_id


def recorded_call(daemon, clips, packets: int):
    """Starts a call and its two RTP streams (sent on a thread); returns the dialog, the streams and the thread."""
    dialog = Dialog(daemon.sip_port)
    _, ports = dialog.start(OFFER)
    streams = [RtpStream(clips["caller"], ports[0], packets), RtpStream(clips["callee"], ports[1], packets)]
    sender = threading.Thread(target=send_concurrently, args=(streams,), daemon=True)
    sender.start()
    return dialog, streams, sender


def finish(daemon, dialog, streams, sender, tmp_path, name: str):
    sender.join(60)
    assert not sender.is_alive()
    for stream in streams:
        assert stream.error is None, stream.error
    dialog.request("BYE")
    rec = daemon.wait_for_state(dialog.call_id, "ready", timeout=30)
    wav = media.parse_wav(daemon.download(rec["recordingId"], "wav", tmp_path / f"{name}.wav").read_bytes())
    return rec, wav


def test_no_descriptor_left_refuses_the_new_call_only(daemon_factory, clips, tmp_path):
    daemon = daemon_factory('[media]\ncapture = "socket"\n')
    first, streams, sender = recorded_call(daemon, clips, 150)      # 3 s, recording throughout
    # No new descriptor can be opened: the lowest free number is at the limit.
    status, _ = refused_under_limit(daemon, resource.RLIMIT_NOFILE, lowest_free_descriptor)
    assert "Too many open files" in status, status
    rec, wav = finish(daemon, first, streams, sender, tmp_path, "first")
    for role, stream in zip(("caller", "callee"), streams):
        checks.assert_channel_exact(wav, rec, role, stream)
    assert exhausted_count(daemon, "descriptors") == 1
    assert "call refused: descriptors exhausted" in daemon.log()
    # Descriptors are back: the next call is recorded, on ports the refused one did not keep.
    second, streams, sender = recorded_call(daemon, clips, 50)
    rec, wav = finish(daemon, second, streams, sender, tmp_path, "second")
    for role, stream in zip(("caller", "callee"), streams):
        checks.assert_channel_exact(wav, rec, role, stream)
    assert daemon.alive()


def test_no_memory_for_a_stream_refuses_the_new_call_only(daemon_factory, clips, tmp_path):
    # A 48 kHz master with a 60 s stream buffer: 8 MB of ring per stream, the largest thing a call maps.
    daemon = daemon_factory('[media]\ncapture = "socket"\nmasterRate = 48000\nstreamBuffer = "60s"\nmp3 = false\n')
    first, streams, sender = recorded_call(daemon, clips, 150)
    # Room for one stream's ring and the small things around it, not for a second ring.
    status, refused = refused_under_limit(daemon, resource.RLIMIT_AS, lambda pid: virtual_size(pid) + 12 * 1024 * 1024)
    assert re.search(r"out of memory: cannot map a \d+-byte stream ring \(Cannot allocate memory\)", status), status
    rec, wav = finish(daemon, first, streams, sender, tmp_path, "first")
    assert wav.sample_rate == 48_000
    # The live call's timeline is whole: 3 s of each stream at 48 kHz, none of it lost.
    for role, stream in zip(("caller", "callee"), streams):
        part = checks.part_for(rec, role)
        assert part["packets"] == len(stream.sent) and part["lost"] == 0, part
    assert len(wav.samples) >= 150 * 160 * 6
    assert exhausted_count(daemon, "memory") == 1
    assert "call refused: memory exhausted" in daemon.log()
    assert [r for r in daemon.recordings() if r.get("sipRecCallId") == refused] == []
    second, streams, sender = recorded_call(daemon, clips, 50)
    rec, wav = finish(daemon, second, streams, sender, tmp_path, "second")
    assert len(wav.samples) >= 50 * 160 * 6
    assert daemon.alive()
