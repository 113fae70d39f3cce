#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
@testable import Catalog
import RecordingModel
import TestSupport

extension TemporaryDirectory {
    /// Where a test's catalog lives (its WAL and shared-memory files go next to it).
    var catalogPath: String { file("catalog.db") }
}

/// Runs `body(thread)` on `count` separate POSIX threads and waits for all of them.
func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    final class Job: @unchecked Sendable {
        let run: () -> Void
        init(_ run: @escaping () -> Void) { self.run = run }
    }
    var threads: [pthread_t] = []
    for index in 0..<count {
        let job = Unmanaged.passRetained(Job { body(index) }).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(&thread, nil, { context in
            let job = Unmanaged<Job>.fromOpaque(context!).takeRetainedValue()
            job.run()
            return nil
        }, job)
        precondition(result == 0, "pthread_create failed")
        threads.append(thread)
    }
    for thread in threads { pthread_join(thread, nil) }
}

/// A record with every field set, so round trips can check each one.
func fullRecord(id: String = "6f1c2b3a-0000-4000-8000-000000000001", startTime: Int64 = 1_700_000_000_000) -> RecordingRecord {
    RecordingRecord(
        recordingId: id, state: .stored, sipRecCallId: "call-1@src.example", sessionId: "c2Vzc2lvbg==",
        groupId: "Z3JvdXA=", calledParty: "1000", domain: "pbx.example", sourceAddress: "10.0.0.5:5060",
        startTime: startTime, endTime: startTime + 65_000, reason: "none", warnings: [RecordingWarning(rawValue: "late SDP answer"), RecordingWarning(rawValue: "gap of 3 s")],
        masterPath: "recordings/2024/a.wav", mp3Path: "recordings/2024/a.mp3",
        participants: [
            ParticipantRecord(participantId: "p1", aor: "sip:alice@example.com", name: "Alice", role: "caller"),
            ParticipantRecord(participantId: "p2", aor: "tel:+4612345", name: nil, role: "callee"),
        ],
        streams: [
            StreamRecord(label: "1", mLineIndex: 0, codec: "PCMA", ssrc: 0xFFFF_FFFF, startTime: startTime + 20,
                         startSample: 160, channel: 0, role: "caller", packets: 3_000, lost: 2, late: 1, duplicates: 4),
            StreamRecord(label: nil, mLineIndex: 1, codec: nil, ssrc: nil, startTime: nil, startSample: nil,
                         channel: 1, role: "callee"),
        ],
        detailsJSON: #"{"channels":{"0":"caller"},"pauses":[]}"#, updatedAt: startTime + 70_000)
}
