"""What real SRCs send that siprecd must record (issue 13 §2–5, §7): every offered G.711 payload type,
holds signalled with 0.0.0.0, one stream held, delayed offers; and saying what happened when a call
cannot be recorded (Warning headers, reasons, log lines)."""

from __future__ import annotations

import re
import time

import media
from hooks import Hooks
from checks import assert_channel_exact, part_for
from rtp_sender import RtpStream, send_concurrently, send_lockstep
from sipdialog import Dialog, answered_ports, sdp

METADATA = """<?xml version="1.0" encoding="UTF-8"?>
<recording xmlns="urn:ietf:params:xml:ns:recording:1">
  <datamode>complete</datamode>
  <session session_id="s1"><sipSessionID>abc</sipSessionID></session>
  <participant participant_id="p1"><nameID aor="sip:alice@example.com"/></participant>
  <participant participant_id="p2"><nameID aor="sip:bob@example.com"/></participant>
  <stream stream_id="st1" session_id="s1"><label>a1</label></stream>
  <stream stream_id="st2" session_id="s1"><label>a2</label></stream>
  <participantstreamassoc participant_id="p1"><send>st1</send></participantstreamassoc>
  <participantstreamassoc participant_id="p2"><send>st2</send></participantstreamassoc>
</recording>"""


def wav_of(daemon, rec, tmp_path):
    return media.parse_wav(daemon.download(rec["recordingId"], "wav", tmp_path / f"{rec['recordingId']}.wav").read_bytes())


def test_every_offered_g711_payload_type_is_answered_and_decoded(daemon, clips, tmp_path):
    """Offered `0 8 101` on both streams: the answer keeps 0 8 101, the caller's SRC sends PCMA anyway and
    the callee's switches between PCMU and PCMA every 10 packets; both channels bit-exact."""
    dialog = Dialog(daemon.sip_port)
    ok, (port1, port2) = dialog.start(sdp((40000, "0 8 101", "sendonly"), (40002, "0 8 101", "sendonly")))
    answers = re.findall(r"^m=audio \d+ RTP/AVP (.*)$", ok, re.M)
    assert [a.split() for a in answers] == [["0", "8", "101"], ["0", "8", "101"]], ok
    mixed, payload_types = media.mixed_clip(clips["caller"], clips["callee"], 10)
    caller = RtpStream(clips["callee"], port1, 150)                       # PCMA on a stream offered PCMU first
    callee = RtpStream(mixed, port2, 150, payload_types=payload_types)    # PCMU, PCMA, PCMU, … per 10 packets
    send_concurrently([caller, callee])
    dialog.request("BYE")
    rec = daemon.wait_for_state(dialog.call_id, "ready")
    wav = wav_of(daemon, rec, tmp_path)
    assert_channel_exact(wav, rec, "caller", caller)
    assert_channel_exact(wav, rec, "callee", callee)
    assert part_for(rec, "caller")["codec"] == "PCMA" and part_for(rec, "callee")["codec"] == "PCMU,PCMA", rec["meta"]
    assert "unsupportedPayload" not in rec["warnings"] and all(r["unknownPayload"] == 0 for r in rec["reception"])


def test_a_payload_type_that_cannot_be_recorded_is_named(daemon, clips, tmp_path):
    """Offered `0 3` (PCMU, GSM, which siprecd does not decode), the SRC sends only GSM: the recording is failed
    with a reason that names payload type 3 (GSM/8000) and the packet count — not "No RTP media received" — and the warning
    is logged once, at warning level."""
    dialog = Dialog(daemon.sip_port)
    ok, (port1, _) = dialog.start(sdp((40000, "0 3", "sendonly"), (40002, "0", "sendonly")))
    assert [m.split()[3:] for m in re.findall(r"^m=audio .*$", ok, re.M)] == [["0"], ["0"]], ok
    caller = RtpStream(clips["caller"], port1, 50, payload_types={i: 3 for i in range(50)})
    send_concurrently([caller])
    time.sleep(1.2)  # the control loop's reception check runs every 500 ms
    dialog.request("BYE")
    rec = daemon.wait_for_state(dialog.call_id, "failed")
    assert "payload type 3 (GSM/8000)" in rec["reason"] and "50 packets" in rec["reason"], rec["reason"]
    assert "unsupportedPayload" in rec["warnings"], rec["warnings"]
    unknown = rec["reception"][0]["unknownPayloadTypes"]
    assert unknown == [{"payloadType": 3, "encoding": "GSM/8000", "negotiated": False, "offered": True, "packets": 50}], unknown
    lines = [line for line in daemon.log().splitlines() if "cannot record" in line]
    assert len(lines) == 1 and " warning " in lines[0] and "payload_type=3" in lines[0], lines
    # The failed recording is a warning too, and `siprecd status` lists it among the recent problems.
    assert any(" warning " in line and "recording failed" in line for line in daemon.log().splitlines())
    problems = daemon.api_json("/api/v1/status")["lastErrors"]
    failed = [p for p in problems if p["message"] == "recording failed"]
    assert failed and failed[0]["level"] == "warning" and failed[0]["fields"]["recording_id"] == rec["recordingId"], problems


def test_a_hold_by_null_address_keeps_the_session_past_the_rtp_timeout(daemon_factory, clips, tmp_path):
    """A 40 s hold signalled with c=0.0.0.0 (BroadWorks, Metaswitch) with rtpTimeout 10 s: no BYE from
    siprecd, the hold is silence on the timeline, both channels bit-exact, the hold is listed per stream."""
    daemon = daemon_factory('[media]\nrtpTimeout = "10s"\ncapture = "socket"\n')
    dialog = Dialog(daemon.sip_port)
    ok, (port1, port2) = dialog.start(sdp((40000, "0", "sendonly"), (40002, "8", "sendonly")))
    caller = RtpStream(clips["caller"], port1, 100, pauses={50: 40_000})
    callee = RtpStream(clips["callee"], port2, 100, pauses={50: 40_000})

    def reinvite(connection: str) -> None:
        dialog.reinvite(sdp((40000, "0", "sendonly"), (40002, "8", "sendonly"), connection=connection))

    send_lockstep([caller, callee], after={49: lambda: reinvite("0.0.0.0")}, just_before={50: lambda: reinvite("127.0.0.1")})
    assert not any(r.startswith("BYE") for r in dialog.received_requests), "siprecd hung up during the hold"
    dialog.request("BYE")
    rec = daemon.wait_for_state(dialog.call_id, "ready")
    assert "rtpTimeout" not in rec["warnings"], rec["warnings"]
    wav = wav_of(daemon, rec, tmp_path)
    assert_channel_exact(wav, rec, "caller", caller)
    assert_channel_exact(wav, rec, "callee", callee)
    assert len(wav.samples) >= 40 * 8000 + 100 * 160
    holds = rec["holds"]
    assert [(h["label"], h["reason"]) for h in holds] == [("1", "nullAddress"), ("2", "nullAddress")], holds
    for hold in holds:
        assert abs((hold["toSample"] - hold["fromSample"]) - 40 * 8000) < 800, hold
    assert rec["pauses"] and rec["pauses"][0]["reason"] == "inactive", rec["pauses"]


def test_one_stream_on_hold_is_a_span_of_its_own(daemon_factory, clips, tmp_path):
    """The callee's m-line goes a=inactive for 2 s while the caller's goes on: the recording is never
    paused, `holds` has one span for label 2 (in the recording and in RECORDINGREADY), both channels
    bit-exact."""
    hooks = Hooks(tmp_path)
    hooks.wait_listening()
    daemon = daemon_factory(f'[media]\ncapture = "socket"\n[webhooks]\nbase = "{hooks.url()}"\n')
    try:
        dialog = Dialog(daemon.sip_port)
        ok, (port1, port2) = dialog.start(sdp((40000, "0", "sendonly"), (40002, "8", "sendonly")))
        caller = RtpStream(clips["caller"], port1, 200)
        callee = RtpStream(clips["callee"], port2, 200)

        def reinvite(direction: str) -> None:
            dialog.reinvite(sdp((40000, "0", "sendonly"), (40002, "8", direction)))

        # The callee's packets 50–149 are sent while its m-line is held: not recorded, silence instead.
        send_lockstep([caller, callee], after={49: lambda: reinvite("inactive"), 149: lambda: reinvite("sendonly")})
        dialog.request("BYE")
        rec = daemon.wait_for_state(dialog.call_id, "ready")
        wav = wav_of(daemon, rec, tmp_path)
        assert_channel_exact(wav, rec, "caller", caller)
        callee_start = part_for(rec, "callee")["startSample"]
        expected = callee.expected_samples()
        expected[50 * 160:150 * 160] = 0
        got = wav.samples[callee_start:callee_start + len(expected), 1]
        assert media.first_difference(got, expected) is None, "callee channel is not the sent audio with its hold silent"
        assert rec["pauses"] == [], rec["pauses"]
        holds = rec["holds"]
        assert len(holds) == 1 and holds[0]["label"] == "2" and holds[0]["reason"] == "inactive", holds
        assert abs((holds[0]["toSample"] - holds[0]["fromSample"]) - 100 * 160) < 400, holds
        ready = hooks.wait(lambda b: b.get("event") == "RECORDINGREADY" and b.get("recordingId") == rec["recordingId"])
        assert ready["holds"] == holds, ready
    finally:
        hooks.stop()


def test_a_delayed_offer_is_answered_with_our_offer_and_recorded(daemon, clips, tmp_path):
    """Cisco CUCM Built-in-Bridge style: the INVITE carries metadata but no SDP. siprecd's 200 OK offers
    two recvonly streams labelled as the metadata labels them, with every codec it decodes; the ACK carries
    the answer; the call is recorded bit-exact, caller from the metadata."""
    dialog = Dialog(daemon.sip_port)
    body = (f"--B\r\nContent-Type: application/rs-metadata+xml\r\nContent-Disposition: recording-session\r\n\r\n"
            f"{METADATA}\r\n--B--\r\n")
    ok = dialog.request("INVITE", body, "multipart/mixed;boundary=B")
    offer = ok.split("\r\n\r\n", 1)[1]
    assert offer.count("m=audio") == 2 and offer.count("a=recvonly") == 2, offer
    assert "a=label:a1" in offer and "a=label:a2" in offer, offer
    assert all(m.split()[3:] == ["0", "8", "18", "96", "97", "101", "13"] for m in re.findall(r"^m=audio .*$", offer, re.M)), offer
    assert offer.count("a=fmtp:96 octet-align=1") == 2 and offer.count("a=rtpmap:97 AMR/8000") == 2, offer
    port1, port2 = answered_ports(offer)
    answer = ("v=0\r\no=src 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
              "m=audio 40000 RTP/AVP 0\r\na=sendonly\r\na=label:a1\r\nm=audio 40002 RTP/AVP 8\r\na=sendonly\r\na=label:a2\r\n")
    dialog.ack(1, answer)
    caller = RtpStream(clips["caller"], port1, 150)
    callee = RtpStream(clips["callee"], port2, 150)
    send_concurrently([caller, callee])
    dialog.request("BYE")
    rec = daemon.wait_for_state(dialog.call_id, "ready")
    wav = wav_of(daemon, rec, tmp_path)
    assert_channel_exact(wav, rec, "caller", caller)
    assert_channel_exact(wav, rec, "callee", callee)
    assert [p["aor"] for p in rec["participants"] if p["role"] == "caller"] == ["sip:alice@example.com"], rec["participants"]
    assert "delayed offer" in daemon.log()


def test_a_delayed_offer_without_an_answer_ends_with_a_reason(daemon, tmp_path):
    """An ACK without SDP to siprecd's offer: siprecd sends the BYE, the recording is failed and says why."""
    dialog = Dialog(daemon.sip_port)
    dialog.request("INVITE")
    dialog.ack(1)
    bye = dialog.receive()
    assert bye.startswith("BYE "), bye
    dialog.answer_request(bye)
    rec = daemon.wait_for_state(dialog.call_id, "failed")
    assert "noAnswerInAck" in rec["warnings"] and "no SDP answer" in rec["reason"], rec
    assert re.search(r" warning .*delayed offer not answered", daemon.log()), daemon.log()[-2000:]


def test_refused_invites_carry_a_warning_header_and_are_logged(daemon):
    """Nothing siprecd decodes was offered (GSM only): 488 with a Warning (305) naming what was offered
    and what siprecd records, and a warning-level log line with the same reason."""
    dialog = Dialog(daemon.sip_port)
    reply = dialog.request("INVITE", sdp((40000, "3", "sendonly")), "application/sdp", expect=488)
    warning = re.search(r"^Warning: (.*)$", reply, re.M)
    assert warning, reply
    assert warning.group(1).startswith('305 siprecd "no audio stream siprecd can record was offered'), warning.group(1)
    assert "GSM/8000 (3)" in warning.group(1) and "PCMU/8000" in warning.group(1) and "G729/8000" in warning.group(1), warning.group(1)
    refused = [line for line in daemon.log().splitlines() if "session refused" in line]
    assert refused and " warning " in refused[-1] and "status=488" in refused[-1] and "GSM/8000" in refused[-1], refused


def test_a_source_outside_the_allow_list_gets_403_with_a_warning(daemon_factory):
    daemon = daemon_factory('[sip]\nallow = ["10.0.0.0/8"]\n')
    dialog = Dialog(daemon.sip_port)
    reply = dialog.request("INVITE", sdp((40000, "0", "sendonly")), "application/sdp", expect=403)
    assert re.search(r'^Warning: 399 siprecd "source not allowed"', reply, re.M), reply
    refused = [line for line in daemon.log().splitlines() if "session refused" in line]
    assert refused and " warning " in refused[-1] and "status=403" in refused[-1], refused
