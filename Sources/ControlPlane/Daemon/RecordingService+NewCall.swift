import RecordingModel
import Events
import HTTPClient
import JSON
import NIOCore
import SIPCore
import Signatures
import Signalling

/// `trigger = newCall` (reference 001): call setup waits (after 100 Trying) while siprecd asks the
/// application at `{base}/newCall` whether to record.
extension RecordingService {
    /// The application's answer, or the configured default when it did not give one.
    struct NewCallAnswer: Sendable {
        var record: Bool
        /// Set when the request failed: what the apiRequestError alarm reports.
        var failure: (statusCode: Int?, statusMessage: String)?
    }

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
        decisionPool.runIfActive(eventLoop: eventLoop) { () -> NewCallAnswer in
            guard !webhooks.base.isEmpty else {
                return NewCallAnswer(record: fallback, failure: (nil, "no [webhooks] base is configured"))
            }
            return RecordingService.requestDecision(url: url, body: body, secret: secret, timeoutMillis: timeoutMillis, fallback: fallback)
        }.whenComplete { [self] result in
            let decision = (try? result.get()) ?? NewCallAnswer(record: fallback, failure: (nil, "decision thread unavailable"))
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

    /// POSTs the newCall body and reads `{"recordCall": bool}`; anything else is a failure that uses
    /// the default. Runs on a decision thread (it blocks up to the timeout).
    static func requestDecision(url: String, body: String, secret: [UInt8], timeoutMillis: Int, fallback: Bool) -> NewCallAnswer {
        guard let target = BlockingHTTP.Target(url: url) else {
            return NewCallAnswer(record: fallback, failure: (nil, "not an http:// URL"))
        }
        let signature = "sha256=" + HMACSHA256.authenticationCode(key: secret, message: Array(body.utf8)).hexString
        let response: BlockingHTTP.Response
        do {
            response = try BlockingHTTP.request(method: "POST", target: target, body: body, headers: [
                ("Content-Type", "application/json"), ("X-Siprecd-Signature", signature)], timeoutMillis: timeoutMillis)
        } catch {
            return NewCallAnswer(record: fallback, failure: (nil, error.message))
        }
        guard (200..<300).contains(response.status) else {
            return NewCallAnswer(record: fallback, failure: (response.status, "HTTP \(response.status)"))
        }
        guard case .bool(let record)? = (try? JSONValue.parse(response.body))?["recordCall"] else {
            return NewCallAnswer(record: fallback, failure: (response.status, "the answer has no boolean recordCall"))
        }
        return NewCallAnswer(record: record, failure: nil)
    }
}
