import RecordingModel
import Testing
@testable import Catalog
import TestSupport

@Suite("Event outbox")
struct OutboxTests {
    @Test("an event is queued with its recording, delivered in queue order per receiver, retried after a failure, and survives a reopen")
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
            // One receiver: its oldest event first; the next waits behind it, even while it backs off.
            #expect(try catalog.dueEvents(now: 5_000).map(\.eventId) == ["e1"])
            try catalog.markFailed(eventId: "e1", nextAttemptAt: 10_000, error: "connection refused")
            #expect(try catalog.dueEvents(now: 5_000).isEmpty)
            // Another receiver is not held up by this one.
            try catalog.enqueue([OutboxEvent(eventId: "a1", url: "https://ops.example.com:8443/alarms", body: "{}", createdAt: 3_000)])
            #expect(try catalog.dueEvents(now: 5_000).map(\.eventId) == ["a1"])
            try catalog.markDelivered(eventId: "a1", at: 5_001)
            #expect(try catalog.pendingEventCount() == 2)
        }
        let reopened = try RecordingCatalog(path: path)
        let due = try reopened.dueEvents(now: 10_000)
        #expect(due.map(\.eventId) == ["e1"])
        #expect(due.first?.attempts == 1 && due.first?.lastError == "connection refused")
        #expect(try reopened.pendingEventCount() == 2)
        // Queuing the same event id again (a retried transaction) does not duplicate it.
        try reopened.save(fullRecord(), queueing: [OutboxEvent(eventId: "e1", url: "x", body: "{}", createdAt: 1)])
        #expect(try reopened.pendingEventCount() == 2)
        // The wall clock is stepped back an hour: the retry scheduled for 10,000 lies an hour ahead, further
        // than any back-off, so it is due now instead of in an hour.
        let stepped: Int64 = 10_000 - 3_600_000
        #expect(try reopened.dueEvents(now: stepped).isEmpty)
        #expect(try reopened.dueEvents(now: stepped, scheduledAfter: stepped + 61_000).map(\.eventId) == ["e1"])
        #expect(try reopened.dueEvents(now: 9_000, scheduledAfter: 9_000 + 61_000).isEmpty)
        // Once the oldest is delivered the next is due at once (it was never tried: no back-off of its own).
        try reopened.markDelivered(eventId: "e1", at: 10_001)
        #expect(try reopened.dueEvents(now: 10_002).map(\.eventId) == ["e2"])
    }

    @Test("receiver of a URL: scheme, host and port")
    func receiver() {
        #expect(OutboxEvent.receiver(of: "http://127.0.0.1:8080/hooks/recordingReady") == "http://127.0.0.1:8080")
        #expect(OutboxEvent.receiver(of: "https://ops.example.com/alarms") == "https://ops.example.com")
        #expect(OutboxEvent.receiver(of: "http://h") == "http://h")
    }
}
