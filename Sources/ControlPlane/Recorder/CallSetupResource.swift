import Logging

/// What the box can run out of while it sets up a call. A call that finds one exhausted is refused with
/// 503 and the reason, counted in /metrics (`siprecd_calls_refused_exhausted_total{resource}`), and every
/// other call goes on.
public enum CallSetupResource: String, CaseIterable, Sendable {
    /// No free even port in `[media] rtpPorts`.
    case rtpPorts
    /// The system would not open a socket (descriptors, `LimitNOFILE=`, or socket memory).
    case descriptors
    /// The system would not map a stream's buffers (memory or address space).
    case memory
}

extension RecordingService {
    /// A call refused because the box ran out of `resource`: counted, logged with the system's words, and
    /// answered 503 with them.
    func refusal(lacking resource: CallSetupResource, callID: String, domain: String, error: String) -> Refusal {
        exhausted[resource, default: 0] += 1
        logger.error("call refused: \(resource.rawValue) exhausted", metadata: [
            "call_id": "\(callID)", "domain": "\(domain.lowercased())", "error": "\(error)"])
        return Refusal(statusCode: 503, reason: "Service Unavailable - \(error)")
    }
}

/// Why siprecd refuses a session (or a recording of it): the SIP status and reason it answers with.
struct SessionRefusal: Error {
    var statusCode: Int
    var reason: String
    /// The `Warning:` code (RFC 3261 §20.43): 305 incompatible media format, 399 otherwise.
    var warningCode = 399
}
