import HTTPClient
import JSON
import Signatures

/// `trigger = newCall` (reference 001): the request that asks the application at `{base}/newCall`
/// whether to record a call, signed like every webhook.
public enum NewCallDecision {
    /// The application's answer, or the configured default when it did not give one.
    public struct Answer: Sendable {
        public var record: Bool
        /// Set when the request failed: what the apiRequestError alarm reports.
        public var failure: (statusCode: Int?, statusMessage: String)?

        public init(record: Bool, failure: (statusCode: Int?, statusMessage: String)?) {
            self.record = record
            self.failure = failure
        }
    }

    /// POSTs the newCall body and reads `{"recordCall": bool}`; anything else is a failure that uses
    /// the default. Runs on a decision thread (it blocks up to the timeout).
    public static func request(url: String, body: String, secret: [UInt8], timeoutMillis: Int, fallback: Bool) -> Answer {
        guard let target = BlockingHTTP.Target(url: url) else {
            return Answer(record: fallback, failure: (nil, "not an http:// URL"))
        }
        let signature = "sha256=" + HMACSHA256.authenticationCode(key: secret, message: Array(body.utf8)).hexString
        let response: BlockingHTTP.Response
        do {
            response = try BlockingHTTP.request(method: "POST", target: target, body: body, headers: [
                ("Content-Type", "application/json"), ("X-Siprecd-Signature", signature)], timeoutMillis: timeoutMillis)
        } catch {
            return Answer(record: fallback, failure: (nil, error.message))
        }
        guard (200..<300).contains(response.status) else {
            return Answer(record: fallback, failure: (response.status, "HTTP \(response.status)"))
        }
        guard case .bool(let record)? = (try? JSONValue.parse(response.body))?["recordCall"] else {
            return Answer(record: fallback, failure: (response.status, "the answer has no boolean recordCall"))
        }
        return Answer(record: record, failure: nil)
    }
}
