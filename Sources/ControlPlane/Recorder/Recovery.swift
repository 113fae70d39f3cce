import Events
import Catalog
import Encoding
import JSON
import Logging
import RecordingModel

/// At start-up, recordings left in a live state by a crash or power loss are closed: the master's WAV
/// header is rebuilt from the file's length so its audio is playable, and the recording becomes ready
/// with the warning `interrupted`. Its end event (RECORDINGREADY with `warning: interrupted`, or
/// RECORDINGFAILED) is queued in the outbox with the row, so the application hears of it like of any other
/// recording. Nothing recorded is lost silently.
public enum Recovery {
    public static func recoverInterrupted(catalog: RecordingCatalog, dataDir: String, events: EventFactory,
                                   logger: Logger) throws -> Int {
        let stranded = try catalog.recordings(inStates: [.pending, .recording, .paused])
        for var record in stranded {
            var frames: Int64 = 0
            if let master = record.masterPath, let channels = Optional(max(1, record.streams.count)) {
                frames = (try? WAVWriter.repairHeader(path: "\(dataDir)/\(master)", channels: channels, sampleRate: record.sampleRate)) ?? 0
                StreamStartJournal.apply(to: &record, master: "\(dataDir)/\(master)")
                StreamStartJournal.remove(master: "\(dataDir)/\(master)")
            }
            record.state = RecordingLifecycle.next(record.state, on: .recovered(hasAudio: frames > 0)) ?? .failed
            record.reason = frames > 0 ? nil : "Interrupted before any audio was written"
            let millis = frames / Int64(max(1, record.sampleRate / 1000))
            record.endTime = record.startTime + millis
            record.warnings.append(.interrupted)
            record.updatedAt = WallClock.unixMillis()
            let ended = events.ended(record)
            try catalog.save(record, queueing: EventPublisher.outbound([ended], webhooksEnabled: true))
            logger.warning("recording recovered after interruption", metadata: [
                "recording_id": "\(record.recordingId)", "domain": "\(record.domain.lowercased())", "state": "\(record.state)", "duration_ms": "\(millis)"])
        }
        return stranded.count
    }
}
