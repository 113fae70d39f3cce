import Wire

/// Which sender a stream records (symmetric-RTP latching). The first sender heard is latched; a datagram
/// from any other address or port is not recorded while the latched sender is active, so stray or
/// injected RTP aimed at a recording's port cannot mix into the call. When the latched sender has been
/// quiet for `quietNanos` (an SBC fail-over, a media relay that moved, a re-INVITE to a new sender), the
/// next sender heard is latched instead. A new SSRC from the latched sender is the same stream: the
/// reassembler's timeline handles it.
struct SourceLatch {
    /// How long the latched sender must be silent before another may take over.
    static let quietNanos: Int64 = 500_000_000

    enum Verdict { case latched, relatched, foreign }

    private var sender: EndpointKey?
    private var lastNanos: Int64 = 0

    mutating func admit(_ from: EndpointKey, nowNanos: Int64) -> Verdict {
        guard let current = sender else {
            sender = from
            lastNanos = nowNanos
            return .latched
        }
        if current == from {
            lastNanos = max(lastNanos, nowNanos)
            return .latched
        }
        guard nowNanos - lastNanos >= SourceLatch.quietNanos else { return .foreign }
        sender = from
        lastNanos = nowNanos
        return .relatched
    }
}
