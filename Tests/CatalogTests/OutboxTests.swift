import Testing
@testable import Catalog

@Suite("Event outbox")
struct OutboxTests {
    @Test("an event is queued with its recording, delivered oldest first, retried after a failure, and survives a reopen")
    func lifecycle() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path + "/catalog.db"
        do {
            let catalog = try RecordingCatalog(path: path)
            let record = fullRecord()
            try catalog.save(record, queueing: [
                OutboxEvent(eventId: "e1", url: "http://h/hooks/recordingStarted", body: #"{"event":"RECORDINGSTARTED"}"#, createdAt: 1_000),
                OutboxEvent(eventId: "e2", url: "http://h/hooks/recordingReady", body: #"{"event":"RECORDINGREADY"}"#, createdAt: 2_000),
            ])
            #expect(try catalog.recording(id: record.recordingId) != nil)
            #expect(try catalog.dueEvents(now: 5_000).map(\.eventId) == ["e1", "e2"])
            try catalog.markFailed(eventId: "e1", nextAttemptAt: 10_000, error: "connection refused")
            #expect(try catalog.dueEvents(now: 5_000).map(\.eventId) == ["e2"])
            try catalog.markDelivered(eventId: "e2", at: 5_001)
            #expect(try catalog.pendingEventCount() == 1)
        }
        let reopened = try RecordingCatalog(path: path)
        let due = try reopened.dueEvents(now: 10_000)
        #expect(due.map(\.eventId) == ["e1"])
        #expect(due.first?.attempts == 1 && due.first?.lastError == "connection refused")
        // Queuing the same event id again (a retried transaction) does not duplicate it.
        try reopened.save(fullRecord(), queueing: [OutboxEvent(eventId: "e1", url: "x", body: "{}", createdAt: 1)])
        #expect(try reopened.pendingEventCount() == 1)
        // The wall clock is stepped back an hour: the retry scheduled for 10,000 lies an hour ahead, further
        // than any back-off, so it is due now instead of in an hour.
        let stepped: Int64 = 10_000 - 3_600_000
        #expect(try reopened.dueEvents(now: stepped).isEmpty)
        #expect(try reopened.dueEvents(now: stepped, scheduledAfter: stepped + 61_000).map(\.eventId) == ["e1"])
        #expect(try reopened.dueEvents(now: 9_000, scheduledAfter: 9_000 + 61_000).isEmpty)
    }
}
