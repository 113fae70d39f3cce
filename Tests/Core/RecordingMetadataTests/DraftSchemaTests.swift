import Testing
@testable import RecordingMetadata

/// The pre-RFC schema BroadWorks and Webex Calling send (draft-ietf-siprec-metadata): root
/// `<recording_metadata>` in `urn:ietf:params:xml:ns:siprec`, camel-case `dataMode`, `id=`/`session=`
/// attributes and `<send>`/`<recv>` inside `<participant>`. Bodies written from the draft's schema.
@Suite("Draft-schema metadata (BroadWorks, Webex Calling)")
struct DraftSchemaTests {
    static let complete = """
        <?xml version="1.0" encoding="UTF-8"?>
        <recording_metadata xmlns="urn:ietf:params:xml:ns:siprec">
          <dataMode>complete</dataMode>
          <group id="urn:uuid:7c1e0d6a-0001">
            <associate-time>2026-11-30T09:15:00-05:00</associate-time>
          </group>
          <session id="urn:uuid:7c1e0d6a-0002">
            <group-ref>urn:uuid:7c1e0d6a-0001</group-ref>
            <sipSessionID>ab30317f1a784dc48ff824d0d3715d86;remote=47755a9de7794ba387653f2099600ef2</sipSessionID>
            <start-time>2026-11-30T09:15:00-05:00</start-time>
          </session>
          <participant id="urn:uuid:7c1e0d6a-0010" session="urn:uuid:7c1e0d6a-0002">
            <nameID aor="sip:+12025550101@bw.example.com;user=phone">
              <name xml:lang="en">Front Desk</name>
            </nameID>
            <send>urn:uuid:7c1e0d6a-0020</send>
            <recv>urn:uuid:7c1e0d6a-0021</recv>
            <associate-time>2026-11-30T09:15:00-05:00</associate-time>
          </participant>
          <participant id="urn:uuid:7c1e0d6a-0011" session="urn:uuid:7c1e0d6a-0002">
            <nameID aor="sip:+13015550177@carrier.example.net;user=phone"/>
            <send>urn:uuid:7c1e0d6a-0021</send>
            <recv>urn:uuid:7c1e0d6a-0020</recv>
            <associate-time>2026-11-30T09:15:00-05:00</associate-time>
          </participant>
          <stream id="urn:uuid:7c1e0d6a-0020" session="urn:uuid:7c1e0d6a-0002">
            <label>1</label>
            <mode>separate</mode>
          </stream>
          <stream id="urn:uuid:7c1e0d6a-0021" session="urn:uuid:7c1e0d6a-0002">
            <label>2</label>
            <mode>separate</mode>
          </stream>
        </recording_metadata>
        """

    /// A transfer: the far party leaves, a new one joins and takes over its stream.
    static let transfer = """
        <recording_metadata xmlns="urn:ietf:params:xml:ns:siprec">
          <dataMode>partial</dataMode>
          <participant id="urn:uuid:7c1e0d6a-0011" session="urn:uuid:7c1e0d6a-0002">
            <disassociate-time>2026-11-30T09:17:30-05:00</disassociate-time>
          </participant>
          <participant id="urn:uuid:7c1e0d6a-0012" session="urn:uuid:7c1e0d6a-0002">
            <nameID aor="sip:+12025550199@bw.example.com;user=phone"><name>Billing</name></nameID>
            <send>urn:uuid:7c1e0d6a-0021</send>
            <recv>urn:uuid:7c1e0d6a-0020</recv>
            <associate-time>2026-11-30T09:17:30-05:00</associate-time>
          </participant>
        </recording_metadata>
        """

    func parse(_ text: String) throws -> RecordingMetadata {
        try RecordingMetadata.parse(Array(text.utf8))
    }

    @Test("A complete draft document reads onto the RFC 7865 model: group, session, participants, streams, send/recv, times")
    func complete() throws {
        let metadata = try parse(Self.complete)
        #expect(metadata.schema == .draft)
        #expect(metadata.dataMode == .complete)
        #expect(metadata.groups.map(\.id) == ["urn:uuid:7c1e0d6a-0001"])
        #expect(metadata.sessions.first?.groupRef == "urn:uuid:7c1e0d6a-0001")
        #expect(metadata.sessions.first?.sipSessionIDs.first?.hasPrefix("ab30317f1a784dc48ff824d0d3715d86") == true)
        #expect(metadata.participants.map(\.aor) == ["sip:+12025550101@bw.example.com;user=phone",
                                                       "sip:+13015550177@carrier.example.net;user=phone"])
        #expect(metadata.participants.first?.name == "Front Desk")
        #expect(metadata.participants.map(\.send) == [["urn:uuid:7c1e0d6a-0020"], ["urn:uuid:7c1e0d6a-0021"]])
        #expect(metadata.participants.map(\.recv) == [["urn:uuid:7c1e0d6a-0021"], ["urn:uuid:7c1e0d6a-0020"]])
        #expect(metadata.participants.first?.associateTime == "2026-11-30T09:15:00-05:00")
        #expect(metadata.streams.map(\.label) == ["1", "2"])
        #expect(metadata.participantSessionAssociations.map(\.sessionId) == ["urn:uuid:7c1e0d6a-0002", "urn:uuid:7c1e0d6a-0002"])
    }

    @Test("Channels are assigned from a draft document with the same explanation as from RFC 7865")
    func channelAssignment() throws {
        let assignment = ChannelAssignment.assign(metadata: try parse(Self.complete), mediaLabels: ["1", "2"])
        #expect(assignment.streams.map(\.role) == [.caller, .callee])
        #expect(assignment.streams.map(\.participantAoR) == ["sip:+12025550101@bw.example.com;user=phone",
                                                             "sip:+13015550177@carrier.example.net;user=phone"])
        #expect(assignment.reason.hasPrefix("Caller is sip:+12025550101@bw.example.com;user=phone because it sends on the first labelled m-line"))
    }

    @Test("A partial draft update (a transfer) disassociates one party and adds another on its stream")
    func partialTransfer() throws {
        let merged = try parse(Self.complete).merging(try parse(Self.transfer))
        #expect(merged.dataMode == .complete && merged.schema == .draft)
        #expect(merged.participants.count == 3)
        #expect(merged.participant(id: "urn:uuid:7c1e0d6a-0011")?.disassociateTime == "2026-11-30T09:17:30-05:00")
        let billing = try #require(merged.participant(id: "urn:uuid:7c1e0d6a-0012"))
        #expect(billing.name == "Billing" && billing.send == ["urn:uuid:7c1e0d6a-0021"])
        // The stream's sender is now the party still associated.
        let assignment = ChannelAssignment.assign(metadata: merged, mediaLabels: ["1", "2"])
        #expect(assignment.streams[1].participantId == "urn:uuid:7c1e0d6a-0012")
    }

    @Test("Draft metadata placed before the SDP part, in mixed case and without a declaration, still reads")
    func sloppyDraft() throws {
        let metadata = try parse("""
            <Recording_Metadata xmlns="urn:ietf:params:xml:ns:siprec"><DataMode>partial</DataMode>\
            <Participant id="p"><NameID aor="sip:a@b"/><Send>s</Send></Participant></Recording_Metadata>
            """)
        #expect(metadata.schema == .draft && metadata.dataMode == .partial)
        #expect(metadata.participants.first?.send == ["s"])
    }
}
