import Testing
@testable import RecordingMetadata

/// Applying partial and complete metadata updates (re-INVITE / UPDATE bodies).
@Suite("Metadata updates")
struct MergingTests {
    static let initial = """
        <recording xmlns='urn:ietf:params:xml:ns:recording:1'>
          <datamode>complete</datamode>
          <session session_id="S"><start-time>2024-01-01T00:00:00Z</start-time></session>
          <participant participant_id="A"><nameID aor="sip:alice@x"><name>Alice</name></nameID></participant>
          <participant participant_id="B"><nameID aor="sip:bob@x"/></participant>
          <participantsessionassoc participant_id="A" session_id="S"/>
          <participantsessionassoc participant_id="B" session_id="S"/>
          <stream stream_id="s1" session_id="S"><label>1</label></stream>
          <stream stream_id="s2" session_id="S"><label>2</label></stream>
          <participantstreamassoc participant_id="A"><send>s1</send><recv>s2</recv></participantstreamassoc>
          <participantstreamassoc participant_id="B"><send>s2</send><recv>s1</recv></participantstreamassoc>
        </recording>
        """

    func parse(_ text: String) throws -> RecordingMetadata {
        try RecordingMetadata.parse(Array(text.utf8))
    }

    @Test("A partial update adds a new participant and stream and updates fields by id, removing nothing")
    func partialMerges() throws {
        let base = try parse(Self.initial)
        let update = try parse("""
            <recording><dataMode>partial</dataMode>
              <session session_id="S"><stop-time>2024-01-01T00:05:00Z</stop-time></session>
              <participant participant_id="B"><nameID aor="sip:bob@x"><name>Bob</name></nameID></participant>
              <participant participant_id="C"><nameID aor="sip:carol@x"/></participant>
              <stream stream_id="s3" session_id="S"><label>3</label></stream>
              <participantstreamassoc participant_id="C"><send>s3</send></participantstreamassoc>
            </recording>
            """)
        #expect(update.dataMode == .partial)
        let merged = base.merging(update)
        #expect(merged.dataMode == .complete)
        #expect(merged.participants.map(\.id) == ["A", "B", "C"])
        #expect(merged.participants.map(\.name) == ["Alice", "Bob", nil])
        #expect(merged.participant(id: "B")?.send == ["s2"]) // untouched by an update that did not mention it
        #expect(merged.participant(id: "C")?.send == ["s3"])
        #expect(merged.streams.map(\.label) == ["1", "2", "3"])
        #expect(merged.sessions.first?.startTime == "2024-01-01T00:00:00Z")
        #expect(merged.sessions.first?.stopTime == "2024-01-01T00:05:00Z")
    }

    @Test("An association-only partial update moves a participant to a new stream")
    func associationOnlyUpdate() throws {
        let base = try parse(Self.initial)
        let update = try parse("""
            <recording><datamode>partial</datamode>
              <participantstreamassoc participant_id="A"><send>s9</send></participantstreamassoc>
            </recording>
            """)
        let merged = base.merging(update)
        #expect(merged.participant(id: "A")?.send == ["s9"])
        #expect(merged.participant(id: "A")?.recv == ["s2"])
        #expect(merged.participantStreamAssociations.first { $0.participantId == "A" }?.send == ["s9"])
    }

    @Test("A complete update replaces everything that was known before")
    func completeReplaces() throws {
        let base = try parse(Self.initial)
        let update = try parse("""
            <recording><datamode>complete</datamode>
              <participant participant_id="Z"><nameID aor="sip:zed@x"/></participant>
            </recording>
            """)
        let merged = base.merging(update)
        #expect(merged == update)
        #expect(merged.participants.map(\.id) == ["Z"])
        #expect(merged.streams.isEmpty)
    }

    @Test("A participant leaving the session is kept but marked disassociated")
    func disassociateBySessionAssociation() throws {
        let base = try parse(Self.initial)
        let update = try parse("""
            <recording><datamode>partial</datamode>
              <participantsessionassoc participant_id="B" session_id="S">
                <disassociate-time>2024-01-01T00:03:00Z</disassociate-time>
              </participantsessionassoc>
            </recording>
            """)
        let merged = base.merging(update)
        #expect(merged.participants.map(\.id) == ["A", "B"])
        #expect(merged.participant(id: "B")?.isDisassociated == true)
        #expect(merged.participant(id: "B")?.disassociateTime == "2024-01-01T00:03:00Z")
        #expect(merged.participant(id: "A")?.isDisassociated == false)
        #expect(merged.participant(id: "B")?.aor == "sip:bob@x")
    }

    @Test("A draft-style participant update with disassociate-time marks it disassociated")
    func disassociateInParticipant() throws {
        let base = try parse(Self.initial)
        let update = try parse("""
            <recording><datamode>partial</datamode>
              <participant participant_id="A"><disassociate-time>T9</disassociate-time></participant>
            </recording>
            """)
        let merged = base.merging(update)
        #expect(merged.participant(id: "A")?.disassociateTime == "T9")
        #expect(merged.participant(id: "A")?.name == "Alice")
        #expect(merged.participant(id: "A")?.send == ["s1"])
    }
}
