import JSON
import Capture
import MediaCore
import Pipeline
import RecordingMetadata
import SIPCore
import SRTP
import Signalling

extension RecordingService {
    /// re-INVITE / UPDATE: apply direction (pause/resume), codec changes, refused m-lines and metadata
    /// to the session and to its recording in progress.
    public func sessionUpdated(_ update: SessionUpdate) -> SessionDecision {
        guard let session = sessions[update.dialogID] else {
            return .reject(statusCode: 481, reason: "Call/Transaction Does Not Exist")
        }
        let recording = session.current
        // The SDP first: a re-INVITE or UPDATE refused for its security leaves the session as it was, its
        // metadata included (RFC 3261 §14.2).
        var negotiated: (SDPSession, [SDPAnswerPlan], [(Int, SRTPReceiver)])?
        if let sdp = update.sdp {
            let host = session.lastAnswer?.connection?.address ?? settings.mediaHost
            let ports = session.plans.indices.map { index -> Int in
                guard index < sdp.media.count, let socket = session.plans[index]?.socket, sdp.media[index].port != 0 else { return 0 }
                return socket.port
            } + Array(repeating: 0, count: max(0, sdp.media.count - session.plans.count))
            var (answer, plan) = SDPAnswerer.answer(offer: sdp, localAddress: host, ports: ports,
                                                    sessionId: session.lastAnswer?.origin?.sessionId ?? "1", sessionVersion: 2,
                                                    decodable: AudioCodec.decodable, security: session.security)
            answer.origin = session.lastAnswer?.origin ?? answer.origin
            switch SessionSecurity.changes(session: session, plan: plan, window: settings.replayWindow) {
            case .success(let rekeys): negotiated = (answer, plan, rekeys)
            case .failure(let refusal): return .reject(statusCode: refusal.statusCode, reason: refusal.reason, warningCode: refusal.warningCode)
            }
        }
        if !update.metadataRepairs.isEmpty {
            session.origin.metadataRepairs += update.metadataRepairs.filter { !session.origin.metadataRepairs.contains($0) }
            if let recording {
                recording.addWarning(.metadataRepaired)
                recording.metadataRepairs += update.metadataRepairs.filter { !recording.metadataRepairs.contains($0) }
            }
        }
        if let metadata = update.metadata {
            let merged = session.origin.metadata.map { $0.merging(metadata) } ?? metadata
            session.origin.metadata = merged
            session.origin.metadataError = nil
            let labels = session.plans.map { $0?.label }
            let fresh = ChannelAssignment.assign(metadata: merged, mediaLabels: labels)
            // Channels are fixed once audio flows; the new assignment refreshes who is who (a transfer, a
            // conference) and the participants' roles.
            session.origin.assignment.callerParticipantId = fresh.callerParticipantId
            session.origin.assignment.calleeParticipantId = fresh.calleeParticipantId
            if fresh.streams.map(\.role) == session.origin.assignment.streams.map(\.role) { session.origin.assignment.reason = fresh.reason }
            session.origin.assignment.streams = session.origin.assignment.streams.map { current in
                var updated = current
                if let match = fresh.streams.first(where: { $0.mLineIndex == current.mLineIndex }) {
                    updated.participantId = match.participantId
                    updated.participantAoR = match.participantAoR
                    updated.participantName = match.participantName
                }
                return updated
            }
            if let recording {
                recording.metadata = merged
                recording.metadataError = nil
                recording.assignment = session.origin.assignment
                recording.refreshParticipants()
                let identity = CallIdentity.of(merged)
                recording.record.originalCallId = identity.originalCallId ?? recording.record.originalCallId
                recording.record.ucid = identity.ucid ?? recording.record.ucid
                recording.conference.observe(merged, atMillis: WallClock.unixMillis())
                recording.participantHistory.observe(merged, atMillis: WallClock.unixMillis())
                persistLive(recording)
            }
        } else if let error = update.metadataError {
            recording?.addWarning(.metadataInvalid)
            logger.warning("metadata update unusable; keeping the previous metadata", metadata: [
                "call_id": "\(session.origin.callID)", "domain": "\(session.domain.lowercased())", "error": "\(error)"])
        }
        guard let sdp = update.sdp, let negotiated else {
            if let recording { persistLive(recording) }
            return .accept(answer: session.lastAnswer ?? SDPSession())
        }
        let (answer, plan, rekeys) = negotiated
        for (index, receiver) in rekeys {
            session.plans[index]?.crypto = plan[index].crypto
            session.plans[index]?.receiver = receiver
            if let stream = recording?.streamsByMLine[index] { engine.rekey(stream, receiver) }
            logger.info("SRTP re-key: the SRC's new key for the stream takes over; the old one decrypts packets still in flight", metadata: [
                "call_id": "\(session.origin.callID)", "m_line": "\(index + 1)", "suite": "\(plan[index].crypto?.suite.rawValue ?? "")"])
        }
        for index in session.plans.indices where session.plans[index] != nil {
            let entry = index < plan.count ? plan[index] : nil
            let accepting = entry.map { $0.accepted && $0.direction != .inactive } ?? false
            session.sdpAccepting[index] = accepting
            // Port 0 (or an m-line dropped from the offer) holds the stream; it may come back later.
            let hold = entry?.hold ?? (accepting ? nil : .portZero)
            session.plans[index]?.hold = hold
            if let recording {
                recording.accepting[index] = accepting
                if let hold { recording.openHold(index, reason: hold, atNanos: update.receivedNanos) } else { recording.closeHold(index, atNanos: update.receivedNanos) }
            }
            if let entry, entry.accepted {
                let payloads = StreamPayloads(plan: entry)
                session.plans[index]?.payloads = payloads
                session.plans[index]?.undecodable = entry.undecodable
                recording?.undecodable[index] = entry.undecodable
                if let stream = recording?.streamsByMLine[index] {
                    engine.setPayloads(stream, payloads, decoders: StreamDecoders(linked: payloads, sampleRate: stream.sampleRate))
                }
            } else if let entry, !entry.undecodable.isEmpty, sdp.media[index].port != 0 {
                recording?.addWarning(.unsupportedCodec)
                logger.warning("re-INVITE moved a stream to formats siprecd cannot decode; the stream is held until it comes back", metadata: [
                    "call_id": "\(session.origin.callID)", "domain": "\(session.domain.lowercased())", "m_line": "\(index + 1)",
                    "offered": "\(entry.undecodable.map(\.encoding).joined(separator: ","))"])
            }
        }
        if sdp.media.count > session.plans.count {
            recording?.addWarning(.streamsAddedIgnored)
            logger.notice("re-INVITE added m-lines; they were refused (channels are fixed for a recording)", metadata: [
                "call_id": "\(session.origin.callID)"])
        }
        session.lastAnswer = answer
        if let recording { applyAccepting(recording, cause: "sdp", atNanos: update.receivedNanos) }
        return .accept(answer: answer)
    }
}
