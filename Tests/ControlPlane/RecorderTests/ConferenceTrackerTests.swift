import RecordingMetadata
import Testing
@testable import Recorder

@Suite("Conference segments from the metadata")
struct ConferenceTrackerTests {
    static func metadata(_ ids: [String], gone: Set<String> = []) -> RecordingMetadata {
        RecordingMetadata(
            participants: ids.map { RecordingMetadata.Participant(id: $0, nameIDs: [.init(aor: "sip:\($0)@example.com")]) },
            participantSessionAssociations: ids.map { .init(participantId: $0, sessionId: "s", disassociateTime: gone.contains($0) ? "t" : nil) })
    }

    @Test("a third participant opens a segment, its leaving closes it; the end of the recording closes an open one")
    func segments() {
        var tracker = ConferenceTracker()
        tracker.observe(Self.metadata(["alice", "bob"]), atMillis: 1000)
        #expect(tracker.segments.isEmpty)
        tracker.observe(Self.metadata(["alice", "bob", "carol"]), atMillis: 5000)
        tracker.observe(Self.metadata(["alice", "bob", "carol"]), atMillis: 6000)   // no change
        #expect(tracker.segments == [.init(startTime: 5000, endTime: nil, aor: "carol")])
        tracker.observe(Self.metadata(["alice", "bob", "carol"], gone: ["carol"]), atMillis: 9000)
        #expect(tracker.segments == [.init(startTime: 5000, endTime: 9000, aor: "carol")])
        tracker.observe(Self.metadata(["alice", "bob", "dave"]), atMillis: 12_000)
        tracker.close(atMillis: 15_000)
        #expect(tracker.segments.last == .init(startTime: 12_000, endTime: 15_000, aor: "dave"))
        #expect(ConferenceTracker.user(of: "tel:+4670123;phone-context=x") == "+4670123")
    }
}
