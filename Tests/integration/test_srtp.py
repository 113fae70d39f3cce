"""SRTP (RFC 3711) keyed by SDES (RFC 4568): an SRC protects both directions with pylibsrtp (the libsrtp
binding from PyPI, its own build of libsrtp) in each of the four suites, and the master holds exactly what
it encrypted, through socket capture and libpcap, across a sequence-number wrap; the answer keeps RTP/SAVP and carries siprecd's own key
under the chosen tag. A re-key by re-INVITE keeps the timeline; SRTCP (multiplexed on the RTP port) is
authenticated and counted. Corrupted tags, replays and a wrong key are counted per stream and never
recorded. Offers the policy refuses get 488 with a reason, and keys never reach the log or the API."""

from __future__ import annotations

import base64
import os
import re
import struct
import threading

import pytest

from calls import hang_up_and_check
from rtp_sender import RtpStream, send_concurrently
from sipdialog import Dialog, sdp

pylibsrtp = pytest.importorskip("pylibsrtp")
Policy, Session = pylibsrtp.Policy, pylibsrtp.Session

# Suite: (pylibsrtp profile, bytes of master key + salt).
SUITES = {
    "AES_CM_128_HMAC_SHA1_80": (Policy.SRTP_PROFILE_AES128_CM_SHA1_80, 30),
    "AES_CM_128_HMAC_SHA1_32": (Policy.SRTP_PROFILE_AES128_CM_SHA1_32, 30),
    "AEAD_AES_128_GCM": (Policy.SRTP_PROFILE_AEAD_AES_128_GCM, 28),
    "AEAD_AES_256_GCM": (Policy.SRTP_PROFILE_AEAD_AES_256_GCM, 44),
}
PLAIN_SIP_KEYS = '[media]\nsdesOverPlainSIP = true\n'
PACKETS = 100


class Keyed:
    """One direction's SDES key and the SRC's libsrtp session for it; keeps what it protected."""

    def __init__(self, suite: str):
        profile, length = SUITES[suite]
        self.suite, self.key = suite, os.urandom(length)
        self.session = Session(policy=Policy(key=self.key, ssrc_type=Policy.SSRC_ANY_OUTBOUND, srtp_profile=profile))
        self.wire: list[bytes] = []

    @property
    def inline(self) -> str:
        return base64.b64encode(self.key).decode()

    def crypto(self, tag: int = 1) -> str:
        return f"a=crypto:{tag} {self.suite} inline:{self.inline}\r\n"

    def __call__(self, rtp: bytes) -> bytes:
        packet = self.session.protect(rtp)
        self.wire.append(packet)
        return packet


def secure_offer(*cryptos: str, proto: str = "RTP/SAVP", extra: str = "") -> str:
    """Two sendonly m-lines (PCMU, PCMA) in `proto` with the `a=crypto` lines of each (a string per m-line)."""
    text = sdp((40000, "0", "sendonly"), (40002, "8", "sendonly")).replace("RTP/AVP", proto)
    for index, lines in enumerate(cryptos):
        text = text.replace(f"a=label:{index + 1}\r\n", f"a=label:{index + 1}\r\n{lines}{extra}")
    return text


def answered_crypto(reply: str) -> list[tuple[str, str, str]]:
    """(tag, suite, inline key) of each a=crypto in a response's SDP."""
    return re.findall(r"^a=crypto:(\d+) (\S+) inline:([A-Za-z0-9+/=]+)", reply, re.M)


def start_keyed_call(dialog: Dialog, suite: str) -> tuple[Keyed, Keyed, list[int]]:
    """INVITE with one `suite` key per m-line (rtcp-mux), ACK; the answer keeps RTP/SAVP and carries, under
    the same tag and suite, siprecd's own key of the same length. Returns both keys and the answered ports."""
    caller_key, callee_key = Keyed(suite), Keyed(suite)
    ok, ports = dialog.start(secure_offer(caller_key.crypto(1), callee_key.crypto(1), extra="a=rtcp-mux\r\n"))
    assert re.findall(r"^m=audio \d+ (\S+)", ok, re.M) == ["RTP/SAVP", "RTP/SAVP"], ok
    answered = answered_crypto(ok)
    assert [(tag, name) for tag, name, _ in answered] == [("1", suite), ("1", suite)], ok
    for (_, _, own), theirs in zip(answered, (caller_key, callee_key)):
        assert len(base64.b64decode(own)) == len(theirs.key) and own != theirs.inline, "the answer must carry siprecd's own key"
    return caller_key, callee_key, ports


def reception(rec: dict, label: str) -> dict:
    return next(r for r in rec["reception"] if str(r["label"]) == label)


def metric(daemon, name: str) -> int:
    match = re.search(rf"^{name} (\d+)$", daemon.api_get("/metrics").body.decode(), re.M)
    assert match, f"no {name} in /metrics"
    return int(match.group(1))


def sender_report(ssrc: int) -> bytes:
    """A minimal RTCP sender report (RFC 3550 §6.4.1) without report blocks."""
    return struct.pack("!BBHIIIIII", 0x80, 200, 6, ssrc, 0, 0, 0, 0, 0)


def assert_keys_secret(daemon, rec: dict, *keys: Keyed) -> None:
    shown = daemon.api_get(f"/api/v1/recordings/{rec['recordingId']}").body.decode() + daemon.log()
    for keyed in keys:
        assert keyed.inline not in shown, "an SDES key appeared in the recording JSON or the log"


@pytest.mark.parametrize("capture", ["socket", "pcap"])
@pytest.mark.parametrize("suite", list(SUITES))
def test_every_suite_is_recorded_bit_exact(daemon_factory, clips, tmp_path, suite, capture):
    if capture == "pcap" and os.geteuid() != 0:
        pytest.skip("live capture on lo needs root")
    daemon = daemon_factory(f'[media]\nsdesOverPlainSIP = true\ncapture = "{capture}"\ninterface = "lo"\n')
    dialog = Dialog(daemon.sip_port)
    caller_key, callee_key, ports = start_keyed_call(dialog, suite)
    caller = RtpStream(clips["caller"], ports[0], PACKETS, protect=caller_key)
    callee = RtpStream(clips["callee"], ports[1], PACKETS, protect=callee_key)
    send_concurrently([caller, callee])
    # SRTCP on the RTP port (rtcp-mux): two sender reports from the caller.
    import socket
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        for _ in range(2):
            sock.sendto(caller_key.session.protect_rtcp(sender_report(caller.ssrc)), ("127.0.0.1", ports[0]))
    rec, _ = hang_up_and_check(daemon, dialog, caller, callee, tmp_path)
    for label in ("1", "2"):
        r = reception(rec, label)
        assert (r["srtp"], r["authFailed"], r["replayed"]) == (suite, 0, 0), r
    assert reception(rec, "1")["srtcpPackets"] == 2
    assert_keys_secret(daemon, rec, caller_key, callee_key)


def test_rekey_by_reinvite_keeps_the_timeline(daemon_factory, clips, tmp_path):
    """At packet 50 the SRC re-INVITEs with a new key for the caller's stream (same suite, new tag) and
    protects from then on with it; the recording runs on without a gap."""
    daemon = daemon_factory(PLAIN_SIP_KEYS)
    first, callee_key = Keyed("AES_CM_128_HMAC_SHA1_80"), Keyed("AEAD_AES_128_GCM")
    second = Keyed("AES_CM_128_HMAC_SHA1_80")
    dialog = Dialog(daemon.sip_port)
    ok, ports = dialog.start(secure_offer(first.crypto(1), callee_key.crypto(1)))
    current = {"key": first}

    def rekey():
        reply = dialog.reinvite(secure_offer(second.crypto(2), callee_key.crypto(1)))
        assert [(tag, name) for tag, name, _ in answered_crypto(reply)] == [("2", second.suite), ("1", callee_key.suite)], reply
        current["key"] = second

    caller = RtpStream(clips["caller"], ports[0], PACKETS, protect=lambda rtp: current["key"](rtp), before={50: rekey})
    callee = RtpStream(clips["callee"], ports[1], PACKETS, protect=callee_key)
    send_concurrently([caller, callee])
    rec, _ = hang_up_and_check(daemon, dialog, caller, callee, tmp_path)
    assert len(second.wire) == PACKETS - 50 and len(first.wire) == 50
    assert reception(rec, "1")["authFailed"] == 0, reception(rec, "1")
    assert "SRTP re-key" in daemon.log()
    assert_keys_secret(daemon, rec, first, second, callee_key)


def test_forged_replayed_and_wrongly_keyed_packets_are_counted_not_recorded(daemon_factory, clips, tmp_path):
    """Before packets 30, 40 and 50 of the caller's stream arrive: a copy with its tag altered, a packet
    protected with a key the SDP never gave (same sequence number), and a replay of packet 10."""
    import socket
    daemon = daemon_factory(PLAIN_SIP_KEYS)
    caller_key, callee_key = Keyed("AES_CM_128_HMAC_SHA1_80"), Keyed("AEAD_AES_256_GCM")
    stranger = Keyed("AES_CM_128_HMAC_SHA1_80")
    dialog = Dialog(daemon.sip_port)
    _, ports = dialog.start(secure_offer(caller_key.crypto(), callee_key.crypto()))
    attacker = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    caller = RtpStream(clips["caller"], ports[0], PACKETS, protect=caller_key)

    def inject(index: int):
        def run():
            seq, ts, offset = caller.schedule()[index]
            rtp = struct.pack("!BBHII", 0x80, 0, seq, ts, caller.ssrc) + clips["caller"].packets(PACKETS)[index]
            genuine = Session(policy=Policy(key=caller_key.key, ssrc_type=Policy.SSRC_ANY_OUTBOUND,
                                            srtp_profile=SUITES[caller_key.suite][0])).protect(rtp)
            forged = genuine[:-1] + bytes([genuine[-1] ^ 0x01])
            attacker.sendto(forged, ("127.0.0.1", ports[0]))
            attacker.sendto(stranger(rtp), ("127.0.0.1", ports[0]))
            attacker.sendto(caller_key.wire[10], ("127.0.0.1", ports[0]))
        return run

    caller.before = {30: inject(30), 40: inject(40), 50: inject(50)}
    callee = RtpStream(clips["callee"], ports[1], PACKETS, protect=callee_key)
    send_concurrently([caller, callee])
    attacker.close()
    rec, _ = hang_up_and_check(daemon, dialog, caller, callee, tmp_path)
    r = reception(rec, "1")
    assert (r["authFailed"], r["replayed"]) == (6, 3), r
    assert (reception(rec, "2")["authFailed"], reception(rec, "2")["replayed"]) == (0, 0)
    assert metric(daemon, "siprecd_srtp_auth_failed_total") == 6
    assert metric(daemon, "siprecd_srtp_replayed_total") == 3
    status = daemon.api_json("/api/v1/status")
    assert (status["drops"]["srtpAuthFailed"], status["drops"]["srtpReplayed"]) == (6, 3), status["drops"]


def test_only_the_wrong_key_arrives_the_recording_says_why(daemon_factory, clips, tmp_path):
    """Every packet of both streams under keys the SDP did not give: the recording fails with a reason that
    names authentication, not "no RTP"."""
    daemon = daemon_factory(PLAIN_SIP_KEYS)
    offered = [Keyed("AEAD_AES_128_GCM"), Keyed("AEAD_AES_128_GCM")]
    actual = [Keyed("AEAD_AES_128_GCM"), Keyed("AEAD_AES_128_GCM")]
    dialog = Dialog(daemon.sip_port)
    _, ports = dialog.start(secure_offer(offered[0].crypto(), offered[1].crypto()))
    send_concurrently([RtpStream(clips["caller"], ports[0], 25, protect=actual[0]),
                       RtpStream(clips["callee"], ports[1], 25, protect=actual[1])])
    dialog.request("BYE")
    rec = daemon.wait_for_state(dialog.call_id, "failed")
    assert "failed authentication" in rec["reason"], rec["reason"]
    assert reception(rec, "1")["authFailed"] == 25


@pytest.mark.parametrize("config,offer,expected", [
    ("", "savp", "sdesOverPlainSIP"),
    ('[media]\nsrtp = "required"\n', "avp", 'srtp = "required"'),
    ('[media]\nsrtp = "off"\n', "savp", 'srtp = "off"'),
    (PLAIN_SIP_KEYS, "bad-key", "not base64 of 30 bytes"),
    (PLAIN_SIP_KEYS, "no-crypto", "a=crypto"),
    (PLAIN_SIP_KEYS, "kdr", "key derivation rate"),
    (PLAIN_SIP_KEYS, "dtls", "DTLS-SRTP"),
])
def test_offers_the_policy_refuses_get_488_with_a_reason(daemon_factory, config, offer, expected):
    daemon = daemon_factory(config or None)
    good = Keyed("AES_CM_128_HMAC_SHA1_80")
    offers = {
        "savp": secure_offer(good.crypto(), good.crypto()),
        "avp": sdp((40000, "0", "sendonly"), (40002, "8", "sendonly")),
        "bad-key": secure_offer("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:c2hvcnQ=\r\n", good.crypto()),
        "no-crypto": secure_offer("", ""),
        "kdr": secure_offer(f"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:{good.inline} KDR=24\r\n", good.crypto()),
        "dtls": secure_offer("a=fingerprint:sha-256 AB:CD\r\n", "a=fingerprint:sha-256 AB:CD\r\n", proto="UDP/TLS/RTP/SAVP"),
    }
    dialog = Dialog(daemon.sip_port)
    reply = dialog.request("INVITE", offers[offer], "application/sdp", expect=488)
    assert expected in reply, reply
    assert good.inline not in daemon.log()
    dialog.ack(dialog.cseq)


def test_a_reinvite_may_not_drop_srtp(daemon_factory, clips, tmp_path):
    """A re-INVITE that would move a stream from SRTP to plain RTP is refused (488); the call and its keys
    go on as they were, and the recording stays bit-exact."""
    daemon = daemon_factory(PLAIN_SIP_KEYS)
    caller_key, callee_key = Keyed("AES_CM_128_HMAC_SHA1_32"), Keyed("AES_CM_128_HMAC_SHA1_32")
    # TCP: no retransmitted 488 is left to read where the BYE's response is expected.
    dialog = Dialog(daemon.sip_port, "tcp")
    _, ports = dialog.start(secure_offer(caller_key.crypto(), callee_key.crypto()))
    refused: list[str] = []

    def downgrade():
        refused.append(dialog.request("INVITE", sdp((40000, "0", "sendonly"), (40002, "8", "sendonly")), "application/sdp", expect=488))
        dialog.ack(dialog.cseq)

    caller = RtpStream(clips["caller"], ports[0], 60, protect=caller_key, before={30: downgrade})
    callee = RtpStream(clips["callee"], ports[1], 60, protect=callee_key)
    send_concurrently([caller, callee])
    assert refused and "SRTP to plain RTP" in refused[0], refused
    hang_up_and_check(daemon, dialog, caller, callee, tmp_path)


def replay_scenario(caller_key: Keyed, callee_key: Keyed, *, dtls: bool = False):
    from replay_scenario import Scenario
    if dtls:
        fingerprint = "a=setup:actpass\r\na=fingerprint:sha-256 " + ":".join(["AB"] * 32) + "\r\n"
        return Scenario(proto="UDP/TLS/RTP/SAVP", offer_lines=(fingerprint, fingerprint),
                        answer_lines=(fingerprint.replace("actpass", "active"),) * 2, protect=(caller_key, callee_key))
    srs_keys = (Keyed(caller_key.suite), Keyed(callee_key.suite))
    return Scenario(proto="RTP/SAVP", offer_lines=(caller_key.crypto(1), callee_key.crypto(1)),
                    answer_lines=(srs_keys[0].crypto(1), srs_keys[1].crypto(1)), protect=(caller_key, callee_key))


def test_replay_decrypts_with_the_keys_in_the_capture(clips, tmp_path):
    import checks
    import media
    from test_replay import rec_path, replay
    caller_key, callee_key = Keyed("AES_CM_128_HMAC_SHA1_80"), Keyed("AEAD_AES_256_GCM")
    scenario = replay_scenario(caller_key, callee_key)
    [rec] = replay(scenario.write(clips, tmp_path / "call.pcap"), tmp_path / "out")
    assert rec["state"] == "ready", rec.get("reason")
    wav = media.parse_wav((tmp_path / "out" / rec_path(rec, "wav", tmp_path / "out")).read_bytes())
    checks.assert_channel_exact(wav, rec, "caller", scenario.streams[0])
    checks.assert_channel_exact(wav, rec, "callee", scenario.streams[1])
    assert [r["srtp"] for r in rec["reception"]] == ["AES_CM_128_HMAC_SHA1_80", "AEAD_AES_256_GCM"]
    assert "srtpKeysUnavailable" not in rec["warnings"]


def test_replay_follows_a_rekey_by_reinvite(clips, tmp_path):
    """The SRC re-keys both streams mid-call (new keys, new tags); the SRS answers with keys of its own. The
    replayed recording decrypts across the switch without a gap."""
    import checks
    import media
    from test_replay import rec_path, replay
    caller_key, callee_key = Keyed("AES_CM_128_HMAC_SHA1_80"), Keyed("AES_CM_128_HMAC_SHA1_80")
    new_caller, new_callee = Keyed("AEAD_AES_128_GCM"), Keyed("AEAD_AES_128_GCM")
    scenario = replay_scenario(caller_key, callee_key)
    scenario.rekey_at = 70
    scenario.rekey_offer_lines = (new_caller.crypto(2), new_callee.crypto(2))
    scenario.rekey_answer_lines = (Keyed("AEAD_AES_128_GCM").crypto(2), Keyed("AEAD_AES_128_GCM").crypto(2))
    scenario.rekey_protect = (new_caller, new_callee)
    [rec] = replay(scenario.write(clips, tmp_path / "call.pcap"), tmp_path / "out")
    assert rec["state"] == "ready", rec.get("reason")
    wav = media.parse_wav((tmp_path / "out" / rec_path(rec, "wav", tmp_path / "out")).read_bytes())
    checks.assert_channel_exact(wav, rec, "caller", scenario.streams[0])
    checks.assert_channel_exact(wav, rec, "callee", scenario.streams[1])
    assert [r["authFailed"] for r in rec["reception"]] == [0, 0], rec["reception"]
    assert len(new_caller.wire) == scenario.packets - 70


def test_replay_without_visible_keys_says_so_instead_of_recording_noise(clips, tmp_path):
    """DTLS-SRTP: the keys never appear in SIP. The recording holds no audio (not decoded ciphertext), its
    warning says why, and every packet is counted as undecrypted."""
    from test_replay import replay
    scenario = replay_scenario(Keyed("AES_CM_128_HMAC_SHA1_80"), Keyed("AES_CM_128_HMAC_SHA1_80"), dtls=True)
    [rec] = replay(scenario.write(clips, tmp_path / "call.pcap"), tmp_path / "out")
    assert "srtpKeysUnavailable" in rec["warnings"], rec["warnings"]
    assert rec["state"] == "failed" and "without a key to decrypt them" in rec["reason"], rec.get("reason")
    assert [r["undecrypted"] for r in rec["reception"]] == [scenario.packets, scenario.packets]


def test_passive_mode_decrypts_with_the_keys_it_sees(daemon_factory, clips, tmp_path):
    """A passive siprecd on lo follows an SRC (SIP over UDP, SDES keys in the clear) and an active siprecd
    as the SRS, through a re-key of the caller's stream by re-INVITE: both record the same call bit for bit."""
    import checks
    import media
    from conftest import passive_follower
    if os.geteuid() != 0:
        pytest.skip("passive capture on lo needs root (CI runs as root)")
    srs = daemon_factory('[media]\ncapture = "socket"\nsdesOverPlainSIP = true\n')
    passive = passive_follower(srs, tmp_path / "passive")
    passive.start()
    try:
        caller_key, callee_key = Keyed("AEAD_AES_128_GCM"), Keyed("AES_CM_128_HMAC_SHA1_32")
        second = Keyed("AEAD_AES_128_GCM")
        dialog = Dialog(srs.sip_port)
        _, ports = dialog.start(secure_offer(caller_key.crypto(), callee_key.crypto()))
        current = {"key": caller_key}

        def rekey():
            dialog.reinvite(secure_offer(second.crypto(2), callee_key.crypto()))
            current["key"] = second

        caller = RtpStream(clips["caller"], ports[0], PACKETS, protect=lambda rtp: current["key"](rtp), before={60: rekey})
        callee = RtpStream(clips["callee"], ports[1], PACKETS, protect=callee_key)
        send_concurrently([caller, callee])
        hang_up_and_check(srs, dialog, caller, callee, tmp_path)
        rec = passive.wait_for_state(dialog.call_id, "ready", timeout=30)
        wav = media.parse_wav(passive.download(rec["recordingId"], "wav", tmp_path / "passive.wav").read_bytes())
        checks.assert_channel_exact(wav, rec, "caller", caller)
        checks.assert_channel_exact(wav, rec, "callee", callee)
        assert reception(rec, "1")["authFailed"] == 0, reception(rec, "1")
        assert caller_key.inline not in passive.log() and second.inline not in passive.log()
    finally:
        passive.stop()


def test_a_second_recording_of_the_session_keeps_the_packet_index(daemon_factory, clips, tmp_path):
    """trigger = rest: a REST start, a stop after the caller's sequence numbers wrapped, and a second start.
    The second recording decrypts with the session's receiver, whose rollover counter followed the wrap (a
    fresh libsrtp context would assume 0 and refuse every packet)."""
    import time
    daemon = daemon_factory(PLAIN_SIP_KEYS + 'capture = "socket"\n[[rules]]\ndestUser = "*"\ntrigger = "rest"\n'
                            'callKey = "header:X-ConversationId"\n')
    caller_key, callee_key = Keyed("AES_CM_128_HMAC_SHA1_80"), Keyed("AES_CM_128_HMAC_SHA1_80")
    dialog = Dialog(daemon.sip_port)
    _, ports = dialog.start(secure_offer(caller_key.crypto(), callee_key.crypto()), extra="X-ConversationId: conv-srtp\r\n")
    device = "/api/v1/sip/sipRecording"
    recordings: list[str] = []

    def command(name: str):
        def run():
            r = daemon.api_post(device, {"command": name, "callKey": "conv-srtp"})
            assert r.status == 200, r.body
            if name == "start":
                recordings.extend(r.json()["recordingIds"])
        return run

    # The caller's sequence numbers wrap at its 56th packet; start at 10, stop at 80, start again at 110.
    caller = RtpStream(clips["caller"], ports[0], 200, protect=caller_key, first_seq=65_480,
                       before={10: command("start"), 80: command("stop"), 110: command("start")})
    callee = RtpStream(clips["callee"], ports[1], 200, protect=callee_key)
    send_concurrently([caller, callee])
    time.sleep(0.5)
    dialog.request("BYE")
    assert len(recordings) == 2, recordings
    second = daemon.wait_for_state(recordings[1], "ready")
    r = reception(second, "1")
    assert (r["authFailed"], r["replayed"]) == (0, 0), r
    parts = {p["label"]: p for p in second["meta"]["recordingsPartsInfo"]}
    assert parts["1"]["packets"] >= 80, parts["1"]
