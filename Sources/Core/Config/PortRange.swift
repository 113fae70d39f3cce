/// An inclusive range of UDP ports, written `20000-29999`.
public struct PortRange: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The first port, 1...65535.
    public var low: Int
    /// The last port, low...65535.
    public var high: Int

    /// Creates a range; nil unless 1 <= low <= high <= 65535.
    public init?(low: Int, high: Int) {
        guard 1 <= low, low <= high, high <= 65535 else { return nil }
        self.low = low
        self.high = high
    }

    /// Parses `LOW-HIGH`. Nil when malformed or out of 1...65535.
    public init?(parsing text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2,
              parts.allSatisfy({ !$0.isEmpty && $0.count <= 5 && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let low = Int(parts[0]), let high = Int(parts[1]) else { return nil }
        self.init(low: low, high: high)
    }

    /// How many ports the range holds.
    public var count: Int { high - low + 1 }

    /// The range with `low` rounded up to an even port, as RTP wants (RTCP takes the odd one above);
    /// nil when fewer than two ports would remain.
    public var evenAligned: PortRange? {
        let even = low % 2 == 0 ? low : low + 1
        guard let aligned = PortRange(low: even, high: high), aligned.count >= 2 else { return nil }
        return aligned
    }

    /// `low-high`.
    public var description: String { "\(low)-\(high)" }
}
