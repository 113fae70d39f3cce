import RecordingModel
import Capture
import JSON
import MediaCore
import NIOCore
import Pipeline
import RecordingMetadata
import SIPCore
import Signalling
import SRTP
import SystemLayer

extension RecordingService {
    /// A SIPREC INVITE: plan the session, then record at once (`always`), after the application's
    /// decision (`newCall`), or when a REST start for its call key arrives (`rest`).
    public func sessionOffered(_ offer: SessionOffer, respond: @escaping @Sendable (SessionDecision) -> Void) {
        guard !shuttingDown else {
            respond(.reject(statusCode: 503, reason: "Service Unavailable - shutting down"))
            return
        }
        guard !temporaryStore.lowDisk else {
            respond(.reject(statusCode: 503, reason: "Service Unavailable - recording disk full: \(temporaryStore.freeBytes) bytes free, below [storage] minFree"))
            return
        }
        let session: RecordingSession, answer: SDPSession
        do {
            (session, answer) = try openSession(offer)
        } catch {
            respond(.reject(statusCode: error.statusCode, reason: error.reason, warningCode: error.warningCode))
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
            commands.applyHeldStart(to: session)
        case .newCall:
            askNewCall(session, answer: answer, respond: respond)
        }
    }

    /// Records the session from its answer on: the catalog row exists before the SRC is told where to
    /// send media, so a crash after the 200 OK leaves a row that start-up recovery closes.
    func startFirstRecording(_ session: RecordingSession, answer: SDPSession, recordingId: String,
                             respond: @escaping @Sendable (SessionDecision) -> Void) {
        starts.start(session, recordingId: recordingId, request: nil) { [self] result in
            switch result {
            case .success:
                respond(.accept(answer: answer))
            case .failure(let refusal):
                release(session)
                respond(.reject(statusCode: refusal.statusCode, reason: refusal.reason, warningCode: refusal.warningCode))
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

    typealias Refusal = SessionRefusal

    /// Plans the session an offer asks for and opens its ports (`SessionPlanner`).
    func openSession(_ offer: SessionOffer) throws(Refusal) -> (RecordingSession, SDPSession) {
        let planner = SessionPlanner(settings: settings, host: sipServer?.localHost(for: offer.invite) ?? settings.mediaHost, logger: logger)
        return try planner.plan(offer, ports: &ports) { resource, error in
            refusal(lacking: resource, callID: offer.callID, domain: offer.requestURI?.host ?? "", error: error)
        }
    }
}
