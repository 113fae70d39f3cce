import Catalog
import Events
import JSON
import Logging
import NIOCore
import NIOPosix
import RecordingModel

/// The lifecycle's `persist` effect: a recording's catalog row, written with the events it causes in the
/// same transaction, on the catalog thread, in order; the control loop never waits on SQLite. A failure is
/// logged, never lost silently.
///
/// Confined to the control event loop.
final class RecordingRows: @unchecked Sendable {
    // @unchecked: no mutable state; the catalog is used only on the catalog thread.
    let eventLoop: EventLoop
    let catalog: RecordingCatalog
    let catalogWorker: NIOThreadPool
    let publisher: EventPublisher
    let logger: Logger

    init(eventLoop: EventLoop, catalog: RecordingCatalog, catalogWorker: NIOThreadPool, publisher: EventPublisher, logger: Logger) {
        self.eventLoop = eventLoop
        self.catalog = catalog
        self.catalogWorker = catalogWorker
        self.publisher = publisher
        self.logger = logger
    }

    /// Writes a catalog row (and the events it causes, in the same transaction) on the catalog thread;
    /// failures are logged, never lost silently.
    func write(_ record: RecordingRecord, events: [OutboxEvent] = []) {
        let catalog = catalog
        let logger = logger
        catalogWorker.runIfActive(eventLoop: eventLoop) {
            try catalog.save(record, queueing: events)
        }.whenFailure { error in
            logger.error("catalog write failed", metadata: [
                "recording_id": "\(record.recordingId)", "domain": "\(record.domain.lowercased())", "error": "\(error)"])
        }
    }

    /// Writes the row of a recording in progress (state, streams, control details) with its events.
    func writeLive(_ recording: LiveRecording, events: [OutboxEvent] = []) {
        recording.record.updatedAt = WallClock.unixMillis()
        recording.record.streams = RecordingReport.streamRecords(recording, outcome: nil)
        recording.record.detailsJSON = RecordingReport.details(recording, outcome: nil).serialized()
        write(recording.record, events: events)
    }

    /// Closes the row of a recording whose session ended (or shutdown began) while its first row was written:
    /// cancelled, no files, ended when it started, with RECORDINGCANCELLED and `reason`.
    func writeNeverBegun(_ recording: LiveRecording, reason: String) {
        recording.record.state = RecordingLifecycle.next(recording.record.state, on: .ended(.cancelled)) ?? .cancelled
        recording.record.reason = reason
        recording.record.endTime = recording.record.startTime
        recording.record.masterPath = nil
        recording.record.mp3Path = nil
        write(recording.record, events: publisher.announce(publisher.factory.ended(recording.record)))
    }

    /// Writes the final row with its event (RECORDINGREADY carries the call's related recordings, read
    /// from the catalog on its thread) and alarms, then shows them on the live stream.
    func writeEnded(_ record: RecordingRecord, alarms: [OutboxEvent]) {
        let catalog = catalog, factory = publisher.factory, logger = logger
        let queue = publisher.webhooksEnabled
        catalogWorker.runIfActive(eventLoop: eventLoop) { () throws -> [OutboxEvent] in
            let related = record.state == .ready ? (try? catalog.related(to: record)) ?? [] : []
            let events = [factory.ended(record, related: related)] + alarms
            try catalog.save(record, queueing: EventPublisher.outbound(events, webhooksEnabled: queue))
            return events
        }.whenComplete { [self] result in
            switch result {
            case .success(let events):
                for event in events { publisher.publishLive(event) }
            case .failure(let error):
                logger.error("catalog write failed", metadata: [
                    "recording_id": "\(record.recordingId)", "domain": "\(record.domain.lowercased())", "error": "\(error)"])
            }
        }
    }
}
