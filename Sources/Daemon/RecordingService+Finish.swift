import Capture
import Catalog
import JSON
import MediaCore
import Pipeline
import Signalling

extension RecordingService {
    public func sessionEnded(dialogID: String, cause: SessionEnd) {
        guard let recording = live.removeValue(forKey: dialogID) else { return }
        end(recording, cause: cause)
    }

    /// Closes the pause span, asks the engine to end capture, and waits (asynchronously) for the files.
    func end(_ recording: LiveRecording, cause: SessionEnd) {
        let now = monotonicNanos()
        if recording.isPaused {
            recording.pauses[recording.pauses.count - 1].toSample = recording.position(atNanos: now)
        }
        if cause == .cancelled { recording.addWarning("cancelled") }
        if cause == .missingAck { recording.addWarning("missingAck") }
        recording.ending = true
        closing[recording.pipeline.id] = recording
        for port in recording.sockets { ports.release(port: port) }
        engine.finish(recording.pipeline, atNanos: now)
        logger.info("recording ending", metadata: [
            "recording_id": "\(recording.record.recordingId)", "call_id": "\(recording.record.sipRecCallId)",
            "cause": "\(cause.rawValue)"])
    }

    /// The files are closed: decide the final state and write the catalog row.
    func finalize(pipelineID: String, outcome: RecordingOutcome) {
        guard let recording = closing.removeValue(forKey: pipelineID) else { return }
        let record = RecordingReport.finalRecord(recording, outcome: outcome)
        recording.record = record
        persist(record, events: announce(eventFactory.ended(record)))
        logger.info("recording \(record.state)", metadata: [
            "recording_id": "\(record.recordingId)", "call_id": "\(record.sipRecCallId)",
            "duration_ms": "\(outcome.frames / 8)", "reason": "\(record.reason ?? "")",
            "warnings": "\(record.warnings.joined(separator: ","))"])
    }
}
