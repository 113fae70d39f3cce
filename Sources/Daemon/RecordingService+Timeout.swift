import Capture
import Pipeline

extension RecordingService {
    /// Ends sessions whose RTP stopped without a BYE (warning `rtpTimeout`). Paused recordings are
    /// exempt: no RTP is expected while every stream is inactive. A session with no recording in progress
    /// (waiting for a REST start, or stopped) is watched through its ports' unclaimed arrivals.
    func checkRTPTimeouts() {
        let now = monotonicNanos()
        let limit = settings.rtpTimeout.components.seconds * 1_000_000_000 + settings.rtpTimeout.components.attoseconds / 1_000_000_000
        for (dialogID, session) in sessions where session.current == nil && !session.sockets.isEmpty {
            var last = session.idleSinceNanos
            for socket in session.sockets { last = max(last, engine.unclaimedArrivals.lastArrival(port: socket.port)) }
            guard now - last > limit else { continue }
            logger.warning("no RTP for the timeout while no recording was in progress; ending the session", metadata: [
                "call_id": "\(session.origin.callID)", "call_key": "\(session.callKey ?? "")"])
            sipServer?.terminate(dialogID: dialogID, cause: .terminatedLocally)
            if let still = sessions.removeValue(forKey: dialogID) { close(still, cause: "rtpTimeout") }
        }
        for session in sessions.values {
            guard let recording = session.current, recording.attached, !recording.ending,
                  recording.pipeline.writeFailed.load(ordering: .relaxed) else { continue }
            // Only this recording ends (failed, its files kept as far as they were written); the session
            // and every other call go on.
            logger.error("recording file write failed; ending the recording", metadata: [
                "recording_id": "\(recording.record.recordingId)", "call_id": "\(recording.record.sipRecCallId)"])
            recording.addWarning("writeFailed")
            stop(session, recording, reason: "storage write failed")
        }
        for (dialogID, session) in sessions {
            guard let recording = session.current, recording.attached, !recording.isPaused else { continue }
            var last = recording.pauses.last?.toSample.map { recording.startNanos + $0 * 125_000 } ?? recording.startNanos
            for stream in recording.streams {
                last = max(last, stream.reassembler.counters.lastArrivalNanos.load(ordering: .relaxed))
            }
            guard now - last > limit else { continue }
            recording.addWarning("rtpTimeout")
            logger.warning("no RTP for the timeout; ending the session", metadata: [
                "recording_id": "\(recording.record.recordingId)", "call_id": "\(recording.record.sipRecCallId)"])
            sipServer?.terminate(dialogID: dialogID, cause: .terminatedLocally)
            if let still = sessions.removeValue(forKey: dialogID) { close(still, cause: "rtpTimeout") }
            tracker.forget(callID: dialogID)
        }
    }

    /// Reports, once per stream and payload type, RTP the stream cannot use: a payload type the SDP did
    /// not negotiate, or one siprecd cannot decode (warning `unsupportedPayload`).
    func checkReception() {
        for session in sessions.values {
            guard let recording = session.current, recording.attached else { continue }
            var changed = false
            for (index, stream) in recording.streamsByMLine.enumerated() {
                guard let stream, stream.reassembler.counters.unknownPayload.load(ordering: .relaxed) > 0 else { continue }
                for unknown in stream.reassembler.counters.unknownPayloadTypes where !recording.reportedPayloadTypes[index].contains(unknown.payloadType) {
                    recording.reportedPayloadTypes[index].insert(unknown.payloadType)
                    recording.addWarning("unsupportedPayload")
                    changed = true
                    let offered = recording.undecodable[index].first { $0.payloadType == Int(unknown.payloadType) }
                    logger.warning("RTP with a payload type the stream cannot record", metadata: [
                        "recording_id": "\(recording.record.recordingId)", "call_id": "\(recording.record.sipRecCallId)",
                        "label": "\(stream.label ?? "")", "m_line": "\(index + 1)", "payload_type": "\(unknown.payloadType)",
                        "encoding": "\(offered?.encoding ?? "not in the SDP")", "packets": "\(unknown.packets)",
                        "why": "\(offered == nil ? "not negotiated" : "siprecd cannot decode it")"])
                }
            }
            if changed { persistLive(recording) }
        }
    }

    /// Ends every live session (shutdown): BYE to each SRC, then the files are closed.
    public func endAll() {
        shuttingDown = true
        for (dialogID, session) in sessions {
            session.current?.addWarning("shutdown")
            sipServer?.terminate(dialogID: dialogID, cause: .terminatedLocally)
            if let still = sessions.removeValue(forKey: dialogID) { close(still, cause: "shutdown") }
        }
        heldStarts.removeAll()
    }
}
