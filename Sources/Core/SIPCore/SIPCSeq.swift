/// A CSeq value (RFC 3261 §20.16): sequence number and method.
public struct SIPCSeq: Sendable, Equatable, CustomStringConvertible {
    /// The sequence number. RFC 3261 requires < 2^31; anything that fits 32 bits is accepted.
    public var number: UInt32
    /// The method, case preserved (methods are case-sensitive).
    public var method: String

    /// Creates a CSeq.
    public init(number: UInt32, method: String) {
        self.number = number
        self.method = method
    }

    /// Parses `314159 INVITE`. Returns nil for a missing or out-of-range number
    /// or a method that is not a token.
    public init?(parsing text: String) {
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard parts.count == 2,
              let number = parseBoundedDecimal(parts[0], max: Int(UInt32.max)),
              isToken(parts[1]) else { return nil }
        self.number = UInt32(truncatingIfNeeded: number)
        self.method = String(parts[1])
    }

    /// `number METHOD`.
    public var description: String { "\(number) \(method)" }
}
