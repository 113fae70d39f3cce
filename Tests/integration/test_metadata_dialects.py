"""Metadata as SRCs in the field send it (issue 14): the pre-RFC draft schema of BroadWorks and Webex Calling
(with its partial updates), and XML that real SRCs get slightly wrong, repaired and said so. Bodies written
here in each vendor's shape, from the public schema and drafts."""

from __future__ import annotations

from rtp_sender import RtpStream, send_concurrently
from sipdialog import Dialog, answered_ports, sdp

DRAFT = """<?xml version="1.0" encoding="UTF-8"?>
<recording_metadata xmlns="urn:ietf:params:xml:ns:siprec">
  <dataMode>complete</dataMode>
  <group id="urn:uuid:5b2f-g"><associate-time>2026-11-30T09:15:00Z</associate-time></group>
  <session id="urn:uuid:5b2f-s"><group-ref>urn:uuid:5b2f-g</group-ref><start-time>2026-11-30T09:15:00Z</start-time></session>
  <participant id="urn:uuid:5b2f-p1" session="urn:uuid:5b2f-s">
    <nameID aor="sip:+12025550101@bw.example.com"><name>Front Desk</name></nameID>
    <send>urn:uuid:5b2f-st1</send><recv>urn:uuid:5b2f-st2</recv>
  </participant>
  <participant id="urn:uuid:5b2f-p2" session="urn:uuid:5b2f-s">
    <nameID aor="sip:+13015550177@carrier.example.net"/>
    <send>urn:uuid:5b2f-st2</send><recv>urn:uuid:5b2f-st1</recv>
  </participant>
  <stream id="urn:uuid:5b2f-st1" session="urn:uuid:5b2f-s"><label>1</label></stream>
  <stream id="urn:uuid:5b2f-st2" session="urn:uuid:5b2f-s"><label>2</label></stream>
</recording_metadata>"""

DRAFT_TRANSFER = """<recording_metadata xmlns="urn:ietf:params:xml:ns:siprec">
  <dataMode>partial</dataMode>
  <participant id="urn:uuid:5b2f-p2" session="urn:uuid:5b2f-s"><disassociate-time>2026-11-30T09:17:30Z</disassociate-time></participant>
  <participant id="urn:uuid:5b2f-p3" session="urn:uuid:5b2f-s">
    <nameID aor="sip:+12025550199@bw.example.com"><name>Billing</name></nameID>
    <send>urn:uuid:5b2f-st2</send><recv>urn:uuid:5b2f-st1</recv>
  </participant>
</recording_metadata>"""

CUBE = """<recording xmlns='urn:ietf:params:xml:ns:recording:1'>
<datamode>complete</datamode>
<session session_id="c3Vi"><sipSessionID>0a1b2c3d</sipSessionID></session>
<participant participant_id="cA"><nameID aor="sip:3035550100@10.0.0.5"><name>DENVER CITY&CNT</name></nameID></participant>
<participant participant_id="cB"><nameID aor="sip:7205550111@10.0.0.6"><name>R&D LAB</name></nameID></participant>
<stream stream_id="s1" session_id="c3Vi"><label>1</label></stream>
<stream stream_id="s2" session_id="c3Vi"><label>2</label></stream>
<participantstreamassoc participant_id="cA"><send>s1</send><recv>s2</recv></participantstreamassoc>
<participantstreamassoc participant_id="cB"><send>s2</send><recv>s1</recv></participantstreamassoc>
</recording>"""


def metadata_part(xml: str, content_type: str = "application/rs-metadata+xml") -> str:
    return f"Content-Type: {content_type}\r\nContent-Disposition: recording-session\r\n\r\n{xml}\r\n"


def call(daemon, clips, body: str, content_type: str, update: str | None = None):
    """A call with `body` as its INVITE's, 50 packets each way, `update` as an UPDATE body, BYE; the recording."""
    dialog = Dialog(daemon.sip_port)
    ok = dialog.request("INVITE", body, content_type)
    dialog.ack(1)
    port1, port2 = answered_ports(ok)
    send_concurrently([RtpStream(clips["caller"], port1, 50), RtpStream(clips["callee"], port2, 50)])
    if update:
        dialog.request("UPDATE", update, "multipart/mixed;boundary=U")
    dialog.request("BYE")
    return daemon.wait_for_state(dialog.call_id, "ready")


def test_the_draft_schema_before_the_sdp_and_its_partial_update_give_the_right_people(daemon, clips):
    """BroadWorks: <recording_metadata> in urn:ietf:params:xml:ns:siprec, the metadata part before the SDP
    part; then a partial UPDATE (a transfer to Billing). Participants, roles and the schema are right, and
    nothing is reported invalid."""
    offer = sdp((40000, "0", "sendonly"), (40002, "8", "sendonly"))
    body = f"--B\r\n{metadata_part(DRAFT)}--B\r\nContent-Type: application/sdp\r\n\r\n{offer}\r\n--B--\r\n"
    update = f"--U\r\n{metadata_part(DRAFT_TRANSFER)}--U--\r\n"
    rec = call(daemon, clips, body, "multipart/mixed;boundary=B", update)
    assert rec["metadataSchema"] == "draft-ietf-siprec-metadata", rec
    assert "metadataInvalid" not in rec["warnings"] and not rec["metadataRepairs"], rec
    people = {p["aor"]: (p["name"], p["role"]) for p in rec["participants"]}
    assert people["sip:+12025550101@bw.example.com"] == ("Front Desk", "caller"), people
    assert people["sip:+12025550199@bw.example.com"] == ("Billing", "callee"), people
    assert "sip:+13015550177@carrier.example.net" in people, people
    streams = {s["label"]: s["aor"] for s in rec["channelAssignment"]["streams"]}
    assert streams == {"1": "sip:+12025550101@bw.example.com", "2": "sip:+12025550199@bw.example.com"}, streams


def test_sloppy_cube_xml_is_repaired_and_says_what_was_repaired(daemon, clips):
    """Cisco CUBE: bare '&' in site names, `application/rs-metadata` without +xml, and a body whose boundary
    is not the one its Content-Type declares, with no closing boundary. The names keep their '&', the
    recording carries metadataRepaired with what was repaired, not metadataInvalid."""
    offer = sdp((40000, "0", "sendonly"), (40002, "8", "sendonly"))
    body = (f"--uniqueBoundary\r\nContent-Type: application/sdp\r\n\r\n{offer}\r\n"
            f"--uniqueBoundary\r\n{metadata_part(CUBE, 'application/rs-metadata')}")
    rec = call(daemon, clips, body, "multipart/mixed;boundary=declaredElsewhere")
    names = sorted(p["name"] for p in rec["participants"])
    assert names == ["DENVER CITY&CNT", "R&D LAB"], rec["participants"]
    assert "metadataRepaired" in rec["warnings"] and "metadataInvalid" not in rec["warnings"], rec["warnings"]
    repairs = rec["metadataRepairs"]
    assert any("boundary" in r and "--uniqueBoundary" in r for r in repairs), repairs
    assert any("no closing boundary" in r for r in repairs), repairs
    assert any("2 '&'" in r for r in repairs), repairs
    assert any("application/rs-metadata'" in r for r in repairs), repairs


def test_an_unreadable_document_is_still_metadata_invalid(daemon, clips):
    offer = sdp((40000, "0", "sendonly"), (40002, "8", "sendonly"))
    broken = metadata_part('<recording><participant participant_id="x"></recording>')
    body = f"--B\r\nContent-Type: application/sdp\r\n\r\n{offer}\r\n--B\r\n{broken}--B--\r\n"
    rec = call(daemon, clips, body, "multipart/mixed;boundary=B")
    assert "metadataInvalid" in rec["warnings"] and "metadataRepaired" not in rec["warnings"], rec["warnings"]
    assert "participant" in rec["metadataError"], rec["metadataError"]


METASWITCH = """<recording xmlns='urn:ietf:params:xml:ns:recording:1'>
  <datamode>complete</datamode>
  <session session_id="ms1">
    <extensiondata xmlns:msw="http://www.metaswitch.com/siprec">
      <msw:callingPartyNumber>6475550188</msw:callingPartyNumber>
      <msw:calledPartyNumber>+14165550142</msw:calledPartyNumber>
      <msw:callType>pickup</msw:callType>
    </extensiondata>
  </session>
  <participant participant_id="pA"><nameID aor="sip:+14165550142@msw.example.net"/></participant>
  <participant participant_id="pB"><nameID aor="tel:+16475550188"/></participant>
  <stream stream_id="mix" session_id="ms1"><label>1</label></stream>
  <participantsessionassoc participant_id="pA" session_id="ms1"/>
  <participantsessionassoc participant_id="pB" session_id="ms1"/>
  <participantstreamassoc participant_id="pA"><send>mix</send><recv>mix</recv></participantstreamassoc>
  <participantstreamassoc participant_id="pB"><send>mix</send><recv>mix</recv></participantstreamassoc>
</recording>"""

# A conference: a supervisor joins (partial update), then leaves.
JOIN = """<recording xmlns='urn:ietf:params:xml:ns:recording:1'><datamode>partial</datamode>
  <participant participant_id="pC"><nameID aor="sip:supervisor@msw.example.net"><name>Supervisor</name></nameID></participant>
  <participantsessionassoc participant_id="pC" session_id="ms1"/>
</recording>"""
LEAVE = """<recording xmlns='urn:ietf:params:xml:ns:recording:1'><datamode>partial</datamode>
  <participantsessionassoc participant_id="pC" session_id="ms1"><disassociate-time>2026-11-30T10:00:05Z</disassociate-time></participantsessionassoc>
</recording>"""


def test_vendor_party_data_names_the_caller_on_a_mixed_stream_and_history_follows_the_updates(daemon, clips):
    """Metaswitch forks one mixed stream both parties send on; its callingPartyNumber names the caller (the
    party listed second: a pickup). A supervisor joins and leaves by partial updates: the participant
    history and conferenceSegments show it with times."""
    dialog = Dialog(daemon.sip_port)
    offer = sdp((40000, "0", "sendonly"))
    ok = dialog.request("INVITE", f"--B\r\nContent-Type: application/sdp\r\n\r\n{offer}\r\n--B\r\n{metadata_part(METASWITCH)}--B--\r\n",
                        "multipart/mixed;boundary=B")
    dialog.ack(1)
    (port,) = answered_ports(ok)
    send_concurrently([RtpStream(clips["caller"], port, 40)])
    dialog.request("UPDATE", f"--U\r\n{metadata_part(JOIN)}--U--\r\n", "multipart/mixed;boundary=U")
    send_concurrently([RtpStream(clips["caller"], port, 25, first_seq=1000, first_ts=400000)])
    dialog.request("UPDATE", f"--U\r\n{metadata_part(LEAVE)}--U--\r\n", "multipart/mixed;boundary=U")
    dialog.request("BYE")
    rec = daemon.wait_for_state(dialog.call_id, "ready")
    roles = {p["aor"]: p["role"] for p in rec["participants"]}
    assert roles == {"tel:+16475550188": "caller", "sip:+14165550142@msw.example.net": "callee",
                     "sip:supervisor@msw.example.net": "other"}, rec["participants"]
    reason = rec["channelAssignment"]["reason"]
    assert "callingPartyNumber (6475550188)" in reason and "sends on the first labelled m-line" not in reason, reason
    history = {h["aor"]: h for h in rec["participantHistory"]}
    assert set(history) == set(roles), rec["participantHistory"]
    supervisor = history["sip:supervisor@msw.example.net"]
    assert supervisor["role"] == "other" and supervisor["joinedAt"] < supervisor["leftAt"], supervisor
    caller = history["tel:+16475550188"]
    assert caller["joinedAt"] <= supervisor["joinedAt"] and caller["leftAt"] >= supervisor["leftAt"], rec["participantHistory"]
    segments = rec["conferenceSegments"]
    assert len(segments) == 1 and segments[0]["state"] == "stopped", segments
    assert abs(segments[0]["startTime"] - supervisor["joinedAt"]) <= 5 and abs(segments[0]["endTime"] - supervisor["leftAt"]) <= 5


def test_cisco_network_based_recording_headers_name_the_parties(daemon, clips):
    """Cisco CUBE network-based recording: no metadata, one X-Cisco-Recording-Participant header per party
    with the m-line of its media; the parties and the source are in the recording."""
    dialog = Dialog(daemon.sip_port)
    offer = sdp((40000, "0", "sendonly"), (40002, "8", "sendonly"))
    extra = ('X-Cisco-Recording-Participant: sip:10000@10.42.30.32;media-index="1"\r\n'
             'X-Cisco-Recording-Participant: sip:708090@10.42.30.5;media-index="0"\r\n')
    ok = dialog.request("INVITE", offer, "application/sdp", extra=extra)
    dialog.ack(1)
    port1, port2 = answered_ports(ok)
    send_concurrently([RtpStream(clips["caller"], port1, 30), RtpStream(clips["callee"], port2, 30)])
    dialog.request("BYE")
    rec = daemon.wait_for_state(dialog.call_id, "ready")
    roles = {p["aor"]: p["role"] for p in rec["participants"]}
    assert roles == {"sip:708090@10.42.30.5": "caller", "sip:10000@10.42.30.32": "callee"}, rec["participants"]
    assert "X-Cisco-Recording-Participant" in rec["channelAssignment"]["reason"], rec["channelAssignment"]


def oracle_metadata(participant_suffix: str) -> str:
    return f"""<recording xmlns='urn:ietf:params:xml:ns:recording:1'>
  <datamode>complete</datamode>
  <session session_id="or-{participant_suffix}">
    <extensiondata xmlns:apkt="http://acmepacket.com/siprec/extensiondata">
      <apkt:ucid>00FA080018803B69810C</apkt:ucid>
      <apkt:header label="Call-ID">8f3e2b1c-77aa@10.1.1.1</apkt:header>
    </extensiondata>
  </session>
  <participant participant_id="a{participant_suffix}"><nameID aor="sip:alice@example.com"/></participant>
  <participant participant_id="b{participant_suffix}"><nameID aor="sip:bob@example.com"/></participant>
  <stream stream_id="s1{participant_suffix}" session_id="or-{participant_suffix}"><label>1</label></stream>
  <stream stream_id="s2{participant_suffix}" session_id="or-{participant_suffix}"><label>2</label></stream>
  <participantstreamassoc participant_id="a{participant_suffix}"><send>s1{participant_suffix}</send></participantstreamassoc>
  <participantstreamassoc participant_id="b{participant_suffix}"><send>s2{participant_suffix}</send></participantstreamassoc>
</recording>"""


def test_the_original_calls_identity_finds_and_relates_its_recordings(daemon_factory, clips, tmp_path):
    """Two SIPREC sessions of one call (two SBC legs) carry Oracle's apkt:ucid and the original Call-ID:
    both recordings expose originalCallId and ucid (in the JSON and every event), the list filters by
    them, a rule takes the UCID as call key, and the second's RECORDINGREADY names the first as related."""
    from hooks import Hooks
    hooks = Hooks(tmp_path)
    hooks.wait_listening()
    daemon = daemon_factory(f'[media]\ncapture = "socket"\n[webhooks]\nbase = "{hooks.url()}"\n'
                            '[[rules]]\ncallKey = "metadata:ucid"\n')
    try:
        offer = sdp((40000, "0", "sendonly"), (40002, "8", "sendonly"))
        recs = []
        for leg in ("1", "2"):
            body = f"--B\r\nContent-Type: application/sdp\r\n\r\n{offer}\r\n--B\r\n{metadata_part(oracle_metadata(leg))}--B--\r\n"
            recs.append(call(daemon, clips, body, "multipart/mixed;boundary=B"))
        for rec in recs:
            assert rec["originalCallId"] == "8f3e2b1c-77aa@10.1.1.1" and rec["ucid"] == "00FA080018803B69810C", rec
            assert rec["callKey"] == "00FA080018803B69810C", rec
        listed = daemon.api_json("/api/v1/recordings?originalCallId=8f3e2b1c-77aa%4010.1.1.1")["recordings"]
        assert sorted(r["recordingId"] for r in listed) == sorted(r["recordingId"] for r in recs), listed
        assert daemon.api_json("/api/v1/recordings?ucid=nothing")["recordings"] == []
        second = hooks.wait(lambda b: b.get("event") == "RECORDINGREADY" and b.get("recordingId") == recs[1]["recordingId"])
        assert [r["recordingId"] for r in second["relatedRecordings"]] == [recs[0]["recordingId"]], second
        started = hooks.wait(lambda b: b.get("event") == "RECORDINGSTARTED" and b.get("recordingId") == recs[0]["recordingId"])
        assert started["originalCallId"] == "8f3e2b1c-77aa@10.1.1.1" and started["ucid"] == "00FA080018803B69810C", started
    finally:
        hooks.stop()
