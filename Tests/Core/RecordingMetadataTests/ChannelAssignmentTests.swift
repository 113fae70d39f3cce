import Testing
@testable import RecordingMetadata

/// Which m-line is recorded as the caller for each real SRC offer.
@Suite("Channel assignment")
struct ChannelAssignmentTests {
    struct Expectation: Sendable, CustomTestStringConvertible {
        var fixture: String
        var caller: String
        var callee: String
        var callerAoR: String?
        var reasonMentions: String
        var testDescription: String { fixture }
    }

    static let expectations: [Expectation] = [
        Expectation(fixture: "acme-siprec-offer.txt", caller: "16777227", callee: "16777228",
                    callerAoR: "sip:9000@192.168.50.102", reasonMentions: "callingParty"),
        Expectation(fixture: "broadworks-offer-2.txt", caller: "10", callee: "20",
                    callerAoR: "sip:9878942259@212.188.68.145", reasonMentions: "first labelled m-line"),
        Expectation(fixture: "cisco-siprec-offer.txt", caller: "1", callee: "2",
                    callerAoR: "sip:7301@35.162.237.204", reasonMentions: "first labelled m-line"),
        Expectation(fixture: "connectel-offer.txt", caller: "1", callee: "2",
                    callerAoR: nil, reasonMentions: "no send association"),
        Expectation(fixture: "connectel-offer2.txt", caller: "1", callee: "2",
                    callerAoR: nil, reasonMentions: "no send association"),
        Expectation(fixture: "inactive-sdp-offer.txt", caller: "1", callee: "2",
                    callerAoR: nil, reasonMentions: "no send association"),
        Expectation(fixture: "procomm-siprec-offer.txt", caller: "a_leg", callee: "b_leg",
                    callerAoR: "sip:016190200@87.252.209.116", reasonMentions: "first labelled m-line"),
        // Sonus lists the callee's stream first; its callData From header names the real caller.
        Expectation(fixture: "sonus-siprec-offer.txt", caller: "2", callee: "1",
                    callerAoR: "2249888500@172.16.198.55", reasonMentions: "callData.fromhdr"),
    ]

    @Test("Each real offer records the expected m-line as caller and explains why", arguments: expectations)
    func fixture(_ expected: Expectation) throws {
        let fixture = try Fixture(expected.fixture)
        let metadata = try RecordingMetadata.parse(try #require(fixture.metadataBytes))
        let labels = fixture.mediaLabels
        #expect(labels.count == 2)
        let assignment = ChannelAssignment.assign(metadata: metadata, mediaLabels: labels)
        let caller = assignment.streams.filter { $0.role == .caller }
        let callee = assignment.streams.filter { $0.role == .callee }
        #expect(caller.map(\.label) == [expected.caller])
        #expect(callee.map(\.label) == [expected.callee])
        #expect(caller.first?.participantAoR == expected.callerAoR)
        #expect(assignment.streams.map(\.mLineIndex) == [0, 1])
        #expect(!assignment.reason.isEmpty)
        #expect(assignment.reason.contains(expected.reasonMentions), "\(assignment.reason)")
    }

    @Test("An offer without metadata records m-line 0 as caller and says so")
    func noMetadata() throws {
        let labels = try Fixture("non-siprec-payload.txt").mediaLabels
        #expect(labels == ["1"])
        let assignment = ChannelAssignment.assign(metadata: nil, mediaLabels: labels)
        #expect(assignment.streams == [StreamAssignment(mLineIndex: 0, label: "1", role: .caller)])
        #expect(assignment.reason.contains("no recording metadata"))
    }

    @Test("Labels that match no metadata stream fall back to m-line order")
    func unmatchedLabels() throws {
        let metadata = try RecordingMetadata.parse(try #require(try Fixture("cisco-siprec-offer.txt").metadataBytes))
        let assignment = ChannelAssignment.assign(metadata: metadata, mediaLabels: ["x", nil, "y"])
        #expect(assignment.streams.map(\.role) == [.caller, .callee, .callee])
        #expect(assignment.reason.contains("no SDP a=label matches"))
    }

    @Test("With three m-lines every stream not sent by the caller is callee")
    func threeStreams() throws {
        let metadata = RecordingMetadata(
            participants: [
                .init(id: "a", nameIDs: [.init(aor: "sip:a@x")], send: ["s1", "s3"]),
                .init(id: "b", nameIDs: [.init(aor: "sip:b@x")], send: ["s2"]),
            ],
            streams: [.init(id: "s1", label: "1"), .init(id: "s2", label: "2"), .init(id: "s3", label: "3")])
        let assignment = ChannelAssignment.assign(metadata: metadata, mediaLabels: ["1", "2", "3", "4"])
        #expect(assignment.streams.map(\.role) == [.caller, .callee, .caller, .callee])
        #expect(assignment.streams.map(\.participantId) == ["a", "b", "a", nil])
    }

    @Test("The caller is whoever sends on the first m-line even when metadata lists them second")
    func sdpOrderWins() {
        let metadata = RecordingMetadata(
            participants: [
                .init(id: "b", nameIDs: [.init(aor: "sip:b@x", name: "Bob")], send: ["s2"]),
                .init(id: "a", nameIDs: [.init(aor: "sip:a@x", name: "Alice")], send: ["s1"]),
            ],
            streams: [.init(id: "s2", label: "L2"), .init(id: "s1", label: "L1")])
        let assignment = ChannelAssignment.assign(metadata: metadata, mediaLabels: ["L1", "L2"])
        #expect(assignment.streams.map(\.role) == [.caller, .callee])
        #expect(assignment.streams.map(\.participantName) == ["Alice", "Bob"])
    }

    @Test("No audio m-lines gives an empty assignment with a reason")
    func empty() {
        let assignment = ChannelAssignment.assign(metadata: nil, mediaLabels: [])
        #expect(assignment.streams.isEmpty)
        #expect(!assignment.reason.isEmpty)
    }

    @Test("From header values and AoRs compare by user@host regardless of scheme and parameters")
    func addressKey() {
        #expect(ChannelAssignment.addressKey("\"Ext\" <sip:100@Host>;tag=1") == "100@host")
        #expect(ChannelAssignment.addressKey("100@host") == "100@host")
        #expect(ChannelAssignment.addressKey("sips:100@host;user=phone") == "100@host")
        #expect(ChannelAssignment.addressKey("  ") == nil)
    }
}

/// The right people in the right roles (issue 14 §3): vendor party data, mixed streams, two parties.
@Suite("Parties and roles from vendor data")
struct PartyRoleTests {
    /// Metaswitch-shaped: one mixed stream both parties send on, the calling party in extension data.
    /// The called party is listed first (a pickup: the one who picked up is listed first).
    static func metaswitch(calling: String, called: String) -> String {
        """
        <recording xmlns='urn:ietf:params:xml:ns:recording:1'>
          <datamode>complete</datamode>
          <session session_id="ms1">
            <extensiondata xmlns:msw="http://www.metaswitch.com/siprec">
              <msw:callingPartyNumber>\(calling)</msw:callingPartyNumber>
              <msw:calledPartyNumber>\(called)</msw:calledPartyNumber>
              <msw:callType>pickup</msw:callType>
            </extensiondata>
          </session>
          <participant participant_id="pA"><nameID aor="sip:+14165550142@msw.example.net"/></participant>
          <participant participant_id="pB"><nameID aor="tel:+16475550188"/></participant>
          <stream stream_id="mix" session_id="ms1"><label>1</label></stream>
          <participantstreamassoc participant_id="pA"><send>mix</send><recv>mix</recv></participantstreamassoc>
          <participantstreamassoc participant_id="pB"><send>mix</send><recv>mix</recv></participantstreamassoc>
        </recording>
        """
    }

    func parse(_ text: String) throws -> RecordingMetadata { try RecordingMetadata.parse(Array(text.utf8)) }

    @Test("Metaswitch: on a mixed stream the calling party number picks the caller, the called number the callee, and the reason says so")
    func metaswitchMixedStream() throws {
        let metadata = try parse(Self.metaswitch(calling: "6475550188", called: "+1 416 555 0142"))
        let assignment = ChannelAssignment.assign(metadata: metadata, mediaLabels: ["1"])
        #expect(assignment.callerParticipantId == "pB" && assignment.calleeParticipantId == "pA")
        #expect(assignment.role(ofParticipant: "pB") == "caller" && assignment.role(ofParticipant: "pA") == "callee")
        #expect(assignment.reason.contains("extensiondata.callingPartyNumber (6475550188) names it as the original caller"), "\(assignment.reason)")
        #expect(!assignment.reason.contains("because it sends on the first labelled m-line"), "\(assignment.reason)")
        #expect(assignment.streams.map(\.role) == [.caller])
    }

    @Test("A mixed stream with nothing naming the caller says that the first listed party was taken")
    func mixedWithoutHints() throws {
        let text = Self.metaswitch(calling: "x", called: "y")
        let assignment = ChannelAssignment.assign(metadata: try parse(text), mediaLabels: ["1"])
        #expect(assignment.callerParticipantId == "pA" && assignment.calleeParticipantId == "pB")
        #expect(assignment.reason.contains("both parties send on the mixed stream"), "\(assignment.reason)")
        #expect(assignment.reason.contains("Callee is tel:+16475550188 because it is the other of the two parties"), "\(assignment.reason)")
    }

    @Test("With two parties the other one is the callee, not other; a third is other")
    func twoAndThreeParties() throws {
        let two = try parse("""
            <recording><participant participant_id="a"><nameID aor="sip:a@x"/><send>s1</send></participant>
            <participant participant_id="b"><nameID aor="sip:b@x"/></participant>
            <stream stream_id="s1"><label>1</label></stream><stream stream_id="s2"><label>2</label></stream></recording>
            """)
        let assignment = ChannelAssignment.assign(metadata: two, mediaLabels: ["1", "2"])
        #expect(assignment.role(ofParticipant: "a") == "caller" && assignment.role(ofParticipant: "b") == "callee")
        var three = two
        three.participants.append(RecordingMetadata.Participant(id: "c", nameIDs: [.init(aor: "sip:c@x")], send: ["s2"]))
        let conference = ChannelAssignment.assign(metadata: three, mediaLabels: ["1", "2"])
        #expect(conference.role(ofParticipant: "c") == "callee")
        #expect(conference.role(ofParticipant: "b") == "other")
    }

    @Test("NetSapiens callingPartyNumber and a Sonus callData To name caller and callee")
    func netsapiensAndSonusTo() throws {
        let metadata = try parse("""
            <recording xmlns='urn:ietf:params:xml:ns:recording:1'>
              <group group_id="g"><callData xmlns='urn:ietf:params:xml:ns:callData'><tohdr>&lt;sip:2125550100@pbx&gt;;tag=1</tohdr></callData></group>
              <session session_id="s"><extensiondata><ns:callingPartyNumber xmlns:ns="urn:netsapiens">3125550199</ns:callingPartyNumber></extensiondata></session>
              <participant participant_id="one"><nameID aor="sip:2125550100@pbx"/></participant>
              <participant participant_id="two"><nameID aor="sip:13125550199@carrier"/></participant>
              <participant participant_id="three"><nameID aor="sip:supervisor@pbx"/></participant>
              <stream stream_id="a"><label>1</label></stream><stream stream_id="b"><label>2</label></stream>
              <participantstreamassoc participant_id="one"><send>a</send></participantstreamassoc>
              <participantstreamassoc participant_id="two"><send>b</send></participantstreamassoc>
            </recording>
            """)
        let assignment = ChannelAssignment.assign(metadata: metadata, mediaLabels: ["1", "2"])
        #expect(assignment.callerParticipantId == "two" && assignment.calleeParticipantId == "one")
        #expect(assignment.streams.map(\.role) == [.callee, .caller])
        #expect(assignment.role(ofParticipant: "three") == "other")
        #expect(assignment.reason.contains("callData.tohdr names it as the called party"), "\(assignment.reason)")
    }
}
