/// What the box can run out of while it sets up a call. A call that finds one exhausted is refused with
/// 503 and the reason, counted in /metrics (`siprecd_calls_refused_exhausted_total{resource}`), and every
/// other call goes on.
enum CallSetupResource: String, CaseIterable, Sendable {
    /// No free even port in `[media] rtpPorts`.
    case rtpPorts
    /// The system would not open a socket (descriptors, `LimitNOFILE=`, or socket memory).
    case descriptors
    /// The system would not map a stream's buffers (memory or address space).
    case memory
}
