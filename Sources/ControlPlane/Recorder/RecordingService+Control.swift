import Events
import JSON
import MediaCore
import NIOCore
import Pipeline
import RecordingModel
import SystemLayer

/// What runtime control does to a recording in progress: stop, cancel, and the streams that take packets
/// after a pause, a direction change or an SDP direction (with RECORDINGPAUSED/RESUMED).
extension RecordingService {
    /// Ends the recording (RECORDINGREADY) at `nanos`, when the request that stops it was read; the
    /// session goes on and a later start makes a related one.
    func stop(_ session: RecordingSession, _ recording: LiveRecording, reason: String, atNanos nanos: Int64 = monotonicNanos()) {
        session.current = nil
        session.idleSinceNanos = nanos
        recording.addWarning(.stopped)
        end(recording, cause: reason, atNanos: nanos)
    }

    /// Ends the recording and deletes what it wrote (RECORDINGCANCELLED, reason `cancelCommand`).
    func cancel(_ session: RecordingSession, _ recording: LiveRecording, atNanos nanos: Int64) {
        recording.cancelReason = "cancelCommand"
        session.current = nil
        session.idleSinceNanos = nanos
        end(recording, cause: "cancel command", atNanos: nanos)
    }

    /// Recomputes which streams take packets (SDP direction, pause, direction modes), tells the engine,
    /// keeps the pause spans, and announces a pause or resume. `nanos` is when the message or request
    /// that caused it was read: RTP that arrived before it keeps the previous state.
    func applyAccepting(_ recording: LiveRecording, cause: String, requestedBy: String? = nil, atNanos nanos: Int64) {
        for index in recording.streamsByMLine.indices {
            guard let stream = recording.streamsByMLine[index] else { continue }
            let accept = recording.shouldAccept(index)
            if accept != recording.effective[index] {
                recording.effective[index] = accept
                engine.setAccepting(stream, accept, atNanos: nanos)
            }
        }
        guard let transition = recording.updatePause(atNanos: nanos, by: requestedBy) else {
            rows.writeLive(recording, events: [])   // the streams' directions changed, not the state
            return
        }
        let paused = transition.state == .paused
        logger.info("recording \(paused ? "paused" : "resumed") (\(cause))", metadata: ["recording_id": "\(recording.record.recordingId)"])
        let factory = publisher.factory, record = recording.record
        let events = transition.announce.flatMap { announcement -> [OutboxEvent] in
            switch announcement {
            case .recordingPaused: return publisher.announce(factory.paused(record, requestedBy: requestedBy, cause: cause))
            case .recordingResumed: return publisher.announce(factory.resumed(record, requestedBy: requestedBy, cause: cause))
            default: return []
            }
        }
        for effect in transition.effects {
            switch effect {
            case .persist: rows.writeLive(recording, events: events)
            case .attachMedia, .finishMedia, .removeStartJournal, .removeFiles, .answerWaiters:
                lifecycle.unexpected(effect, paused ? .pause : .resume, record)
            }
        }
    }

}
