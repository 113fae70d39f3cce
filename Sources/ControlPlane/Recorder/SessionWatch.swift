import RecordingModel
import MediaCore
import Signalling
import Pipeline
import SystemLayer

/// The watch over live sessions: every half second a session whose RTP stopped without a BYE ends
/// (warning `rtpTimeout`); a session whose SRC holds every stream is probed and ends after
/// `[sip] heldSessionTimeout`; RTP a stream cannot use is reported once per payload type. Every 100 ms
/// where each stream's audio begins is journalled next to its master.
///
/// Confined to the control event loop; owned by the recording service (unowned back-reference).
final class SessionWatch {
    unowned let service: RecordingService

    init(service: RecordingService) {
        self.service = service
    }

    /// Ends sessions whose RTP stopped without a BYE (warning `rtpTimeout`), and watches held ones.
    /// While the SRC holds every stream (a=inactive, recvonly, 0.0.0.0, port 0) no RTP is expected, so the
    /// RTP timeout does not run; the session is probed instead and ends after `[sip] heldSessionTimeout`.
    /// A REST pause or a muted direction is not a hold: the SRC still sends, so a vanished SRC is noticed
    /// by the RTP timeout. A session with no recording in progress (waiting for a REST start, or stopped)
    /// is watched through its ports' unclaimed arrivals.
    func checkRTPTimeouts() {
        let now = monotonicNanos()
        let limit = service.settings.rtpTimeout.components.seconds * 1_000_000_000 + service.settings.rtpTimeout.components.attoseconds / 1_000_000_000
        for (dialogID, session) in Array(service.sessions) where service.sessions[dialogID] === session {
            if isHeld(session) {
                watchHeld(dialogID, session, now: now)
                continue
            }
            if session.heldSinceNanos != nil {
                session.heldSinceNanos = nil
                session.heldUntilNanos = now
            }
            if session.current == nil, !session.sockets.isEmpty {
                var last = max(session.idleSinceNanos, session.heldUntilNanos)
                for socket in session.sockets { last = max(last, service.engine.unclaimedArrivals.lastArrival(port: socket.port)) }
                guard now - last > limit else { continue }
                service.logger.warning("no RTP for the timeout while no recording was in progress; ending the session", metadata: [
                    "call_id": "\(session.origin.callID)", "call_key": "\(session.callKey ?? "")", "domain": "\(session.domain.lowercased())"])
                service.sipServer?.terminate(dialogID: dialogID, cause: .terminatedLocally)
                if let still = service.sessions.removeValue(forKey: dialogID) { service.close(still, cause: "rtpTimeout") }
                continue
            }
            guard let recording = session.current, recording.attached, !recording.ending else { continue }
            if recording.pipeline.writeFailed.load(ordering: .relaxed) {
                // Only this recording ends (failed, its files kept as far as they were written); the session
                // and every other call go on.
                service.logger.error("recording file write failed; ending the recording", metadata: [
                    "recording_id": "\(recording.record.recordingId)", "call_id": "\(recording.record.sipRecCallId)",
                    "domain": "\(recording.record.domain.lowercased())"])
                recording.addWarning(.writeFailed)
                service.stop(session, recording, reason: "storage write failed")
                continue
            }
            var last = max(recording.startNanos, session.heldUntilNanos)
            if let resumed = recording.pauses.last?.toSample { last = max(last, recording.startNanos + TimelineClock.nanos(position: resumed, sampleRate: recording.pipeline.sampleRate)) }
            for stream in recording.streams {
                last = max(last, stream.reassembler.counters.lastArrivalNanos.load(ordering: .relaxed))
            }
            guard now - last > limit else { continue }
            recording.addWarning(.rtpTimeout)
            service.logger.warning("no RTP for the timeout; ending the session", metadata: [
                "recording_id": "\(recording.record.recordingId)", "call_id": "\(recording.record.sipRecCallId)",
                "domain": "\(recording.record.domain.lowercased())"])
            service.sipServer?.terminate(dialogID: dialogID, cause: .terminatedLocally)
            if let still = service.sessions.removeValue(forKey: dialogID) { service.close(still, cause: "rtpTimeout") }
            service.passive.tracker.forget(callID: dialogID)
        }
    }

    /// Whether the SRC holds every stream of the session (no RTP is expected).
    func isHeld(_ session: RecordingSession) -> Bool {
        if let recording = session.current {
            return recording.attached && !recording.ending && !recording.accepting.contains(true)
        }
        return !session.sockets.isEmpty && !session.sdpAccepting.contains(true)
    }

    /// A held session: ended after `heldSessionTimeout` (warning `heldSessionTimeout`); its SRC probed
    /// every `heldSessionProbe` with an in-dialog OPTIONS (no answer, 408 or 481: `srcGone`).
    func watchHeld(_ dialogID: String, _ session: RecordingSession, now: Int64) {
        let since = session.heldSinceNanos ?? now
        session.heldSinceNanos = since
        if now - since >= service.settings.heldSessionTimeout.nanoseconds {
            service.logger.warning("every stream has been held for heldSessionTimeout; ending the session", metadata: [
                "call_id": "\(session.origin.callID)", "recording_id": "\(session.current?.record.recordingId ?? "")",
                "domain": "\(session.domain.lowercased())", "held_seconds": "\((now - since) / 1_000_000_000)"])
            service.sipServer?.terminate(dialogID: dialogID, cause: .heldSessionTimeout)
            if let still = service.sessions.removeValue(forKey: dialogID) { service.close(still, cause: SessionEnd.heldSessionTimeout.rawValue) }
            return
        }
        let probe = service.settings.heldSessionProbe.nanoseconds
        guard probe > 0, now - max(session.probedAtNanos, since) >= probe else { return }
        session.probedAtNanos = now
        service.sipServer?.probe(dialogID: dialogID, because: "every stream held for \((now - since) / 1_000_000_000) s")
    }

    /// Reports, once per stream and payload type, RTP the stream cannot use: a payload type the SDP did
    /// not negotiate, or one siprecd cannot decode (warning `unsupportedPayload`).
    func checkReception() {
        for session in service.sessions.values {
            guard let recording = session.current, recording.attached else { continue }
            var changed = false
            for (index, stream) in recording.streamsByMLine.enumerated() {
                guard let stream, stream.reassembler.counters.unknownPayload.load(ordering: .relaxed) > 0 else { continue }
                for unknown in stream.reassembler.counters.unknownPayloadTypes where !recording.reportedPayloadTypes[index].contains(unknown.payloadType) {
                    recording.reportedPayloadTypes[index].insert(unknown.payloadType)
                    recording.addWarning(.unsupportedPayload)
                    changed = true
                    let offered = recording.undecodable[index].first { $0.payloadType == Int(unknown.payloadType) }
                    service.logger.warning("RTP with a payload type the stream cannot record", metadata: [
                        "recording_id": "\(recording.record.recordingId)", "call_id": "\(recording.record.sipRecCallId)",
                        "domain": "\(recording.record.domain.lowercased())", "label": "\(stream.label ?? "")", "m_line": "\(index + 1)", "payload_type": "\(unknown.payloadType)",
                        "encoding": "\(offered?.encoding ?? "not in the SDP")", "packets": "\(unknown.packets)",
                        "why": "\(offered == nil ? "not negotiated" : "siprecd cannot decode it")"])
                }
            }
            if changed { service.rows.writeLive(recording) }
        }
    }

    /// Journals where each stream of a recording starts once its first packet is in (`<master>.starts`),
    /// so a recording recovered after a crash still says where each channel's audio begins: the master on
    /// disk is then fully described although the process never finished it. A file next to the master,
    /// not a catalog write: a burst of call starts must not queue catalog writes ahead of the ones new
    /// SIP answers wait for (measured: that burst added 30 ms to INVITE→200 OK every 500 ms).
    func checkpointStreamStarts() {
        var journals: [(String, [StreamRecord])] = []
        for session in service.sessions.values {
            guard let recording = session.current, recording.attached, !recording.ending,
                  let master = recording.record.masterPath else { continue }
            let started = recording.streams.count { $0.reassembler.counters.firstPosition.load(ordering: .relaxed) >= 0 }
            guard started > recording.checkpointedStarts else { continue }
            recording.checkpointedStarts = started
            journals.append(("\(service.settings.dataDir)/\(master)", RecordingReport.streamRecords(recording, outcome: nil)))
        }
        guard !journals.isEmpty else { return }
        // Off the control loop: a burst of call starts means a burst of small file writes.
        let batch = journals
        service.journalPool.runIfActive(eventLoop: service.eventLoop) {
            for (master, streams) in batch { StreamStartJournal.write(master: master, streams: streams) }
        }.whenFailure { _ in }
    }
}
