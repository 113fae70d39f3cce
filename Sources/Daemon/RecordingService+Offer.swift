import Capture
import JSON
import Catalog
import MediaCore
import NIOCore
import Pipeline
import RecordingMetadata
import SIPCore
import Signalling

extension RecordingService {
    /// A SIPREC INVITE: plan the session, then record at once (`always`), after the application's
    /// decision (`newCall`), or when a REST start for its call key arrives (`rest`).
    public func sessionOffered(_ offer: SessionOffer, respond: @escaping @Sendable (SessionDecision) -> Void) {
        guard !shuttingDown else {
            respond(.reject(statusCode: 503, reason: "Service Unavailable - shutting down"))
            return
        }
        guard !lowDisk else {
            logger.warning("session refused: data disk below minFree", metadata: ["call_id": "\(offer.callID)", "free_bytes": "\(freeBytes)"])
            respond(.reject(statusCode: 503, reason: "Service Unavailable - recording disk full (below minFree)"))
            return
        }
        let session: RecordingSession, answer: SDPSession
        do {
            (session, answer) = try openSession(offer)
        } catch {
            logger.warning("session refused", metadata: ["call_id": "\(offer.callID)", "reason": "\(error.reason)"])
            respond(.reject(statusCode: error.statusCode, reason: error.reason))
            return
        }
        session.metadataText = offer.metadataText
        switch session.trigger {
        case .always:
            startFirstRecording(session, answer: answer, recordingId: RecordingID.make(), respond: respond)
        case .rest:
            // Media flows from the 200 OK on; nothing is written until a REST start for the call key.
            accept(session)
            respond(.accept(answer: answer))
            logger.info("session waiting for a REST start", metadata: [
                "call_id": "\(offer.callID)", "call_key": "\(session.callKey ?? "")", "role": "\(session.role)"])
            applyHeldStart(to: session)
        case .newCall:
            askNewCall(session, answer: answer, respond: respond)
        }
    }

    /// Records the session from its answer on: the catalog row exists before the SRC is told where to
    /// send media, so a crash after the 200 OK leaves a row that start-up recovery closes.
    func startFirstRecording(_ session: RecordingSession, answer: SDPSession, recordingId: String,
                             respond: @escaping @Sendable (SessionDecision) -> Void) {
        startRecording(session, recordingId: recordingId, request: nil) { [self] result in
            switch result {
            case .success:
                respond(.accept(answer: answer))
            case .failure(let refusal):
                release(session)
                respond(.reject(statusCode: refusal.statusCode, reason: refusal.reason))
            }
        }
    }

    /// The session is answered: its sockets are read from now on.
    func accept(_ session: RecordingSession) {
        session.idleSinceNanos = monotonicNanos()
        sessions[session.dialogID] = session
        engine.openSockets(session.sockets)
    }

    /// Gives back the ports of a session that never reached the engine.
    func release(_ session: RecordingSession) {
        for socket in session.sockets {
            ports.release(port: socket.port)
            socket.close()
        }
        session.sockets = []
    }

    struct Refusal: Error {
        var statusCode: Int
        var reason: String
    }

    /// Plans streams and channels, opens the RTP sockets and builds the SDP answer.
    func openSession(_ offer: SessionOffer) throws(Refusal) -> (RecordingSession, SDPSession) {
        let host = sipServer?.localHost(for: offer.invite) ?? settings.mediaHost
        let labels = offer.sdp.media.map(\.label)
        let assignment = ChannelAssignment.assign(metadata: offer.metadata, mediaLabels: labels)
        // Which m-lines we can take: ask the answerer with placeholder ports first.
        let (_, trialPlan) = SDPAnswerer.answer(offer: offer.sdp, localAddress: host,
                                                ports: Array(repeating: 1, count: offer.sdp.media.count),
                                                sessionId: "0", sessionVersion: 1)
        guard trialPlan.filter(\.accepted).count <= RecordingService.maximumStreams else {
            throw Refusal(statusCode: 488, reason: "Not Acceptable Here - more than \(RecordingService.maximumStreams) audio streams offered")
        }
        guard trialPlan.contains(where: \.accepted) else {
            throw Refusal(statusCode: 488, reason: "Not Acceptable Here - no PCMU/PCMA audio stream offered")
        }
        var sockets: [RTPSocket?] = []
        do {
            for plan in trialPlan {
                sockets.append(plan.accepted ? try ports.allocate(host: settings.mediaHost) : nil)
            }
        } catch {
            for socket in sockets.compactMap({ $0 }) { ports.release(port: socket.port); socket.close() }
            throw Refusal(statusCode: 503, reason: "Service Unavailable - \(error.message)")
        }
        let portNumbers = sockets.map { $0?.port ?? 0 }
        let sessionId = String(UInt32.random(in: 1...UInt32.max))
        let (answer, plan) = SDPAnswerer.answer(offer: offer.sdp, localAddress: host, ports: portNumbers,
                                                sessionId: sessionId, sessionVersion: 1)

        let roles = plan.map { p in assignment.streams.first(where: { $0.mLineIndex == p.mLineIndex })?.role ?? .callee }
        let plans: [StreamPlan?] = plan.indices.map { index in
            let p = plan[index]
            guard p.accepted else { return nil }
            let payloads = StreamPayloads(
                audioPayloadType: UInt8(p.payloadType ?? 0), codec: AudioCodec(encodingName: p.encoding ?? "PCMU") ?? .pcmu,
                telephoneEventPayloadType: p.telephoneEventPT.map(UInt8.init), comfortNoisePayloadType: p.comfortNoisePT.map(UInt8.init) ?? 13)
            return StreamPlan(mLineIndex: index, label: p.label, role: roles[index] == .caller ? .caller : .callee,
                              payloads: payloads, accepting: p.direction != .inactive, socket: sockets[index], key: nil)
        }
        let origin = RecordingOrigin(
            dialogID: offer.dialogID, callID: offer.callID, requestURI: offer.requestURI, source: offer.source,
            metadata: offer.metadata, metadataError: offer.metadataError, siprecIndications: offer.siprecIndications,
            assignment: assignment, invite: offer.invite)
        let decision = RuleMatcher.decide(rules: settings.rules, requestURI: offer.requestURI, source: offer.source,
                                          invite: offer.invite, metadata: offer.metadata)
        let session = RecordingSession(dialogID: offer.dialogID, origin: origin, decision: decision, plans: plans,
                                       sockets: sockets.compactMap { $0 })
        session.lastAnswer = answer
        if let error = offer.metadataError {
            logger.warning("recording metadata unusable; channels follow SDP order", metadata: [
                "call_id": "\(offer.callID)", "error": "\(error)"])
        }
        return (session, answer)
    }
}
