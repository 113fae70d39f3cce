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
