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
