import RecordingModel
import Events
import JSON
import NIOCore
import SIPCore
import Signalling

/// `trigger = newCall` (reference 001): call setup waits (after 100 Trying) while siprecd asks the
/// application at `{base}/newCall` whether to record.
extension RecordingService {
    func askNewCall(_ session: RecordingSession, answer: SDPSession, respond: @escaping @Sendable (SessionDecision) -> Void) {
        let recordingId = RecordingID.make()
        let webhooks = settings.webhooks
        let url = "\(webhooks.base)/newCall"
        let body = JSONValue.object([
            ("recordingId", .string(recordingId)), ("metaData", .optional(session.metadataText)),
            ("sipRecCallId", .string(session.origin.callID)), ("calledParty", .string(session.destUser)),
            ("domain", .string(session.domain)), ("callKey", .optional(session.callKey)),
        ]).serialized()
        let timeout = webhooks.newCallTimeout.components
        let timeoutMillis = Int(timeout.seconds * 1000 + timeout.attoseconds / 1_000_000_000_000_000)
        let fallback = webhooks.newCallDefault
        let secret = Array(webhooks.secret.utf8)
        decisionPool.runIfActive(eventLoop: eventLoop) { () -> NewCallDecision.Answer in
            guard !webhooks.base.isEmpty else {
                return NewCallDecision.Answer(record: fallback, failure: (nil, "no [webhooks] base is configured"))
            }
            return NewCallDecision.request(url: url, body: body, secret: secret, timeoutMillis: timeoutMillis, fallback: fallback)
        }.whenComplete { [self] result in
            let decision = (try? result.get()) ?? NewCallDecision.Answer(record: fallback, failure: (nil, "decision thread unavailable"))
            if let failure = decision.failure {
                publisher.raise(.apiRequestError(method: "POST", requestUri: url, statusCode: failure.statusCode,
                                       statusMessage: failure.statusMessage, recordingId: recordingId))
            }
            logger.info("newCall decision", metadata: [
                "recording_id": "\(recordingId)", "call_id": "\(session.origin.callID)", "record": "\(decision.record)",
                "default_used": "\(decision.failure != nil)"])
            guard !shuttingDown else {
                release(session)
                respond(.reject(statusCode: 503, reason: "Service Unavailable - shutting down"))
                return
            }
            if decision.record {
                startFirstRecording(session, answer: answer, recordingId: recordingId, respond: respond)
            } else {
                release(session)
                respond(.reject(statusCode: webhooks.newCallReject,
                                reason: SIPResponseBuilder.reasonPhrase(webhooks.newCallReject)))
            }
        }
    }
}
