/// An IPv4 or IPv6 network such as `10.0.0.0/8` or `::1/128`; a bare address means a single host.
///
/// Used for `sip.allow`. An IPv4 block also matches IPv4-mapped IPv6 peers (`::ffff:10.1.2.3`),
/// which is how dual-stack sockets report IPv4 senders.
public struct CIDRBlock: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The network address, 4 or 16 bytes, with host bits cleared.
    public let network: [UInt8]
    /// Number of leading bits that must match: 0...32 for IPv4, 0...128 for IPv6.
    public let prefixLength: Int

    /// Parses `address/prefix` or a bare address. Nil when malformed or the prefix is too long.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress.parse(parts[0]), !parts[0].contains("%") else { return nil }
        let maximum = address.count * 8
        var prefix = maximum
        if parts.count == 2 {
            guard (1...3).contains(parts[1].count), parts[1].allSatisfy({ $0.isASCII && $0.isNumber }),
                  let value = Int(parts[1]), value <= maximum else { return nil }
            prefix = value
        }
        network = Self.masked(address, prefix)
        prefixLength = prefix
    }

    /// True when `address` (IPv4 or IPv6 text, optionally `[bracketed]` or with a `%zone`) is inside the block.
    /// Malformed addresses are never inside.
    public func contains(_ address: String) -> Bool {
        var text = Substring(address)
        if text.hasPrefix("["), text.hasSuffix("]") { text = text.dropFirst().dropLast() }
        guard var bytes = IPAddress.parse(text) else { return false }
        if network.count == 4, bytes.count == 16, bytes[..<12].elementsEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF]) {
            bytes = Array(bytes[12...])
        }
        guard bytes.count == network.count else { return false }
        return Self.masked(bytes, prefixLength) == network
    }

    /// `network/prefix`, e.g. `10.0.0.0/8`, `2001:db8::/32`.
    public var description: String { "\(IPAddress.format(network))/\(prefixLength)" }

    private static func masked(_ bytes: [UInt8], _ prefix: Int) -> [UInt8] {
        bytes.enumerated().map { position, byte in
            let bits = min(max(prefix - position * 8, 0), 8)
            return bits == 8 ? byte : byte & ~(0xFF >> UInt8(bits))
        }
    }
}
