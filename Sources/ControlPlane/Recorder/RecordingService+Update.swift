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
        session.applyMetadata(of: update)
        if update.metadata != nil, let recording {
            rows.writeLive(recording)
        } else if let error = update.metadataError {
            logger.warning("metadata update unusable; keeping the previous metadata", metadata: [
                "call_id": "\(session.origin.callID)", "domain": "\(session.domain.lowercased())", "error": "\(error)"])
        }
        guard let sdp = update.sdp, let negotiated else {
            if let recording { rows.writeLive(recording) }
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
