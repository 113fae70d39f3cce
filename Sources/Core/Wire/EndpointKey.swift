/// An IP address and port as one fixed-size value: the key the capture path uses to find a stream.
/// IPv4 addresses are stored IPv4-mapped (::ffff:a.b.c.d), so one table serves both families.
/// Hashing and comparing it allocates nothing.
public struct EndpointKey: Hashable, Sendable, CustomStringConvertible {
    public var addressHigh: UInt64
    public var addressLow: UInt64
    public var port: UInt16

    /// The wildcard address with a port (a socket bound to 0.0.0.0 or ::).
    public static func anyAddress(port: UInt16) -> EndpointKey {
        EndpointKey(addressHigh: 0, addressLow: 0, port: port)
    }

    public init(addressHigh: UInt64, addressLow: UInt64, port: UInt16) {
        self.addressHigh = addressHigh
        self.addressLow = addressLow
        self.port = port
    }

    /// An IPv4 address in host byte order.
    public init(ipv4: UInt32, port: UInt16) {
        addressHigh = 0
        addressLow = 0x0000_FFFF_0000_0000 | UInt64(ipv4)
        self.port = port
    }

    /// An IPv6 address from its 16 network-order bytes (an IPv4-mapped address stays IPv4-mapped).
    public init(ipv6 bytes: UnsafeRawBufferPointer, port: UInt16) {
        var high: UInt64 = 0, low: UInt64 = 0
        for i in 0..<8 { high = high << 8 | UInt64(bytes[i]) }
        for i in 8..<16 { low = low << 8 | UInt64(bytes[i]) }
        addressHigh = high
        addressLow = low
        self.port = port
    }

    /// Parses "192.0.2.1" or "2001:db8::1" (no brackets, no zone); nil for anything else.
    public init?(address: String, port: Int) {
        guard (0...65535).contains(port) else { return nil }
        if let v4 = EndpointKey.parseIPv4(address) {
            self.init(ipv4: v4, port: UInt16(port))
        } else if let v6 = EndpointKey.parseIPv6(address) {
            self.init(addressHigh: v6.0, addressLow: v6.1, port: UInt16(port))
        } else {
            return nil
        }
    }

    public var isIPv4: Bool { addressHigh == 0 && addressLow >> 32 == 0xFFFF }
    public var isWildcard: Bool { addressHigh == 0 && (addressLow == 0 || addressLow == 0x0000_FFFF_0000_0000) }

    /// The same endpoint with the wildcard address.
    public var wildcard: EndpointKey { .anyAddress(port: port) }

    /// The address in its usual text form.
    public var addressString: String {
        if isIPv4 {
            let v = UInt32(truncatingIfNeeded: addressLow)
            return "\(v >> 24).\(v >> 16 & 0xFF).\(v >> 8 & 0xFF).\(v & 0xFF)"
        }
        let groups = (0..<8).map { i -> UInt16 in
            let word = i < 4 ? addressHigh : addressLow
            return UInt16(truncatingIfNeeded: word >> UInt64(48 - 16 * (i % 4)))
        }
        return groups.map { String($0, radix: 16) }.joined(separator: ":")
    }

    public var description: String { isIPv4 ? "\(addressString):\(port)" : "[\(addressString)]:\(port)" }

    static func parseIPv4(_ text: String) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard !part.isEmpty, part.count <= 3, let octet = UInt32(part), octet <= 255 else { return nil }
            value = value << 8 | octet
        }
        return value
    }

    static func parseIPv6(_ text: String) -> (UInt64, UInt64)? {
        guard text.contains(":"), text.count <= 45 else { return nil }
        let halves = text.components(separatedByDoubleColon: ())
        guard halves.count <= 2 else { return nil }
        func groups(_ s: Substring) -> [UInt16]? {
            if s.isEmpty { return [] }
            var out: [UInt16] = []
            let pieces = s.split(separator: ":", omittingEmptySubsequences: false)
            for (i, piece) in pieces.enumerated() {
                if i == pieces.count - 1, piece.contains("."), let v4 = parseIPv4(String(piece)) {
                    out.append(UInt16(v4 >> 16)); out.append(UInt16(v4 & 0xFFFF))
                } else {
                    guard !piece.isEmpty, piece.count <= 4, let g = UInt16(piece, radix: 16) else { return nil }
                    out.append(g)
                }
            }
            return out
        }
        guard let head = groups(halves[0]) else { return nil }
        let tail = halves.count == 2 ? groups(halves[1]) : []
        guard let tail else { return nil }
        let missing = 8 - head.count - tail.count
        guard halves.count == 2 ? missing >= 1 : missing == 0 else { return nil }
        let all = head + Array(repeating: 0, count: max(0, missing)) + tail
        var high: UInt64 = 0, low: UInt64 = 0
        for i in 0..<4 { high = high << 16 | UInt64(all[i]) }
        for i in 4..<8 { low = low << 16 | UInt64(all[i]) }
        return (high, low)
    }
}

extension String {
    /// Splits at the first "::" (at most two halves).
    fileprivate func components(separatedByDoubleColon: Void) -> [Substring] {
        guard let range = firstRange(of: "::") else { return [self[...]] }
        return [self[..<range.lowerBound], self[range.upperBound...]]
    }
}
