import JSON
import RecordingModel
import Testing
@testable import Events

@Suite("Related recordings (reference 001 roles)")
struct RelatedRecordingsTests {
    static func record(_ id: String, start: Int64, end: Int64?, state: RecordingState = .ready) -> RecordingRecord {
        RecordingRecord(recordingId: id, state: state, sipRecCallId: "c", calledParty: "u", domain: "d", sourceAddress: "s",
                        startTime: start, endTime: end, updatedAt: start)
    }

    @Test("the first is the parent; one started while another ran is a child; one started after is a sibling")
    func roles() {
        let a = Self.record("a", start: 1000, end: 5000)
        let b = Self.record("b", start: 2000, end: 8000)                 // during a
        let c = Self.record("c", start: 9000, end: nil, state: .recording) // after both ended
        let all = [a, b, c]
        #expect(RelatedRecordings.role(of: a, in: all) == "parent")
        #expect(RelatedRecordings.role(of: b, in: all) == "child")
        #expect(RelatedRecordings.role(of: c, in: all) == "sibling")
        let described = RelatedRecordings.describe(b, [a, c])
        #expect(described == .array([
            .object([("recordingId", .string("a")), ("startTime", .int(1000)), ("state", .string("stopped")), ("recordingRole", .string("parent"))]),
            .object([("recordingId", .string("c")), ("startTime", .int(9000)), ("state", .string("active")), ("recordingRole", .string("sibling"))]),
        ]))
    }
}
