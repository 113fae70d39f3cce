import Wire

/// Which sender a stream records (symmetric-RTP latching). The first sender heard is latched; a datagram
/// from any other address or port is not recorded while the latched sender is active, so stray or
/// injected RTP aimed at a recording's port cannot mix into the call. When the latched sender has been
/// quiet for `quietNanos` (an SBC fail-over, a media relay that moved, a re-INVITE to a new sender), the
/// next sender heard is latched instead. A re-INVITE or UPDATE with SDP may move the sender on purpose, so
/// it re-opens the choice: the first datagram after it decides, and a signalled move loses nothing. A new
/// SSRC from the latched sender is the same stream: the reassembler's timeline handles it.
struct SourceLatch {
    /// How long the latched sender must be silent before another may take over.
    static let quietNanos: Int64 = 500_000_000

    enum Verdict { case latched, relatched, foreign }

    private var sender: EndpointKey?
    private var lastNanos: Int64 = 0
    /// Set by a renegotiation: the next datagram's sender is latched, whoever it is.
    private var reopened = false

    mutating func reopen() {
        reopened = true
    }

    mutating func admit(_ from: EndpointKey, nowNanos: Int64) -> Verdict {
        guard let current = sender else {
            sender = from
            lastNanos = nowNanos
            return .latched
        }
        let decides = reopened
        reopened = false
        if current == from {
            lastNanos = max(lastNanos, nowNanos)
            return .latched
        }
        guard decides || nowNanos - lastNanos >= SourceLatch.quietNanos else { return .foreign }
        sender = from
        lastNanos = nowNanos
        return .relatched
    }
}
