import Events
import Capture
import Catalog
import JSON
import MediaCore
import Pipeline
import RecordingModel
import Signalling
import SystemLayer

#if canImport(Glibc)
import Glibc
#endif

extension RecordingService {
    public func sessionEnded(dialogID: String, cause: SessionEnd, atNanos nanos: Int64) {
        guard let session = sessions.removeValue(forKey: dialogID) else { return }
        close(session, cause: cause.rawValue, atNanos: nanos)
    }

    /// Ends a session at `nanos` (when the BYE or CANCEL was read, or now): its recording in progress (if
    /// any) ends with it, keeping the RTP that arrived before then; its ports are given back.
    func close(_ session: RecordingSession, cause: String, atNanos nanos: Int64 = monotonicNanos()) {
        session.ending = true
        for socket in session.sockets { ports.release(port: socket.port) }
        if let recording = session.current, recording.attached {
            session.current = nil
            if cause == SessionEnd.cancelled.rawValue { recording.addWarning(.cancelled) }
            if cause == SessionEnd.missingAck.rawValue { recording.addWarning(.missingAck) }
            // Why the SRC's session ended without a BYE: the warning says it.
            let vanished: [SessionEnd] = [.noAnswerInAck, .sessionExpired, .srcGone, .heldSessionTimeout]
            if let end = SessionEnd(rawValue: cause), vanished.contains(end) { recording.addWarning(RecordingWarning(rawValue: cause)) }
            end(recording, cause: cause, closingSockets: session.sockets, atNanos: nanos)
        } else {
            // No recording, or one whose row is still being written (it sees `ending` and closes).
            engine.closeSockets(session.sockets)
            logger.info("session ended", metadata: [
                "call_id": "\(session.origin.callID)", "cause": "\(cause)", "recordings": "\(session.recordingIds.count)"])
        }
        session.sockets = []
    }

    /// Stops a recording at `now` (`.stop`, or `.cancel` for a cancel command): what the lifecycle returns is
    /// done — the media is finished, and the files' outcome comes back to `finalize`.
    func end(_ recording: LiveRecording, cause: String, closingSockets: [RTPSocket] = [], atNanos now: Int64 = monotonicNanos()) {
        let event: RecordingLifecycle.Event = recording.cancelReason == nil ? .stop : .cancel
        guard let transition = lifecycle(event, recording.record) else { return }
        for effect in transition.effects {
            switch effect {
            case .finishMedia: finishMedia(recording, cause: cause, closingSockets: closingSockets, atNanos: now)
            case .persist, .attachMedia, .removeStartJournal, .removeFiles, .answerWaiters: lifecycle.unexpected(effect, event, recording.record)
            }
        }
    }

    /// Closes the open spans (pauses, directions, holds) at `now` and asks the engine to end capture.
    func finishMedia(_ recording: LiveRecording, cause: String, closingSockets: [RTPSocket], atNanos now: Int64) {
        let position = recording.position(atNanos: now)
        if recording.isPaused { recording.pauses[recording.pauses.count - 1].toSample = position }
        for index in recording.directionSpans.indices where recording.directionSpans[index].toSample == nil {
            recording.directionSpans[index].toSample = position
        }
        for index in recording.holds.indices where recording.holds[index].toSample == nil {
            recording.holds[index].toSample = position
        }
        recording.ending = true
        closing[recording.pipeline.id] = recording
        engine.finish(recording.pipeline, atNanos: now, closingSockets: closingSockets)
        logger.info("recording ending", metadata: [
            "recording_id": "\(recording.record.recordingId)", "call_id": "\(recording.record.sipRecCallId)",
            "cause": "\(cause)"])
    }

    /// The files are closed: the lifecycle's `ended` transition decides the final state, and its effects
    /// are done in order (journal, files of a cancelled recording, the row with its events, waiters).
    func finalize(pipelineID: String, outcome: RecordingOutcome) {
        guard let recording = closing.removeValue(forKey: pipelineID) else { return }
        var (record, ending) = RecordingReport.finalRecord(recording, outcome: outcome)
        guard let transition = lifecycle(.ended(ending), record) else { return }
        record.state = transition.state
        logger.log(level: record.state == .failed ? .warning : .info, "recording \(record.state)", metadata: [
            "recording_id": "\(record.recordingId)", "call_id": "\(record.sipRecCallId)", "domain": "\(record.domain.lowercased())",
            "duration_ms": "\(recording.millis(outcome.frames))", "reason": "\(record.reason ?? "")",
            "warnings": "\(record.warnings.map(\.rawValue).joined(separator: ","))"])
        for effect in transition.effects {
            switch effect {
            case .removeStartJournal:
                guard let master = record.masterPath else { continue }
                // On the journal's own thread, after any write of it still queued there.
                let path = "\(settings.dataDir)/\(master)"
                journalPool.runIfActive(eventLoop: eventLoop) { StreamStartJournal.remove(master: path) }.whenFailure { _ in }
            case .removeFiles:
                // A cancel command: nothing of the recording is kept.
                for path in [record.masterPath, record.mp3Path].compactMap({ $0 }) { unlink("\(settings.dataDir)/\(path)") }
                record.masterPath = nil
                record.mp3Path = nil
            case .persist:
                recording.record = record
                var alarms: [OutboxEvent] = []
                if transition.announce.contains(.recordingFailedAlarm) { alarms.append(publisher.factory.alarm(.recordingFailed(record))) }
                if let error = outcome.writeError { alarms.append(publisher.factory.alarm(.tempStorageError(record, details: error))) }
                rows.writeEnded(record, alarms: alarms)
            case .answerWaiters:
                for waiter in controlWaiters.removeValue(forKey: record.recordingId) ?? [] { waiter(record) }
            case .attachMedia, .finishMedia:
                lifecycle.unexpected(effect, .ended(ending), record)
            }
        }
    }

    /// Ends every live session (shutdown): BYE to each SRC, then the files are closed.
    public func endAll() {
        shuttingDown = true
        for (dialogID, session) in sessions {
            session.current?.addWarning(.shutdown)
            sipServer?.terminate(dialogID: dialogID, cause: .terminatedLocally)
            if let still = sessions.removeValue(forKey: dialogID) { close(still, cause: "shutdown") }
        }
        commands.heldStarts.removeAll()
    }
}
