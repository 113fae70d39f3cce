#if canImport(Glibc)
import Glibc
#endif

/// An SRTP master key and salt, decoded from SDES base64 straight into memory of its own that is wiped
/// (`explicit_bzero`) when the last reference goes: never in a Swift array or string that could be copied
/// around or left behind. It prints as `<masked>`.
public final class SRTPKeyMaterial: Sendable, Equatable, CustomStringConvertible {
    // Sendable: the bytes are written once, in init, and only read after.
    private nonisolated(unsafe) let bytes: UnsafeMutablePointer<UInt8>
    /// Bytes of key and salt.
    public let count: Int

    /// Decodes `base64` (RFC 4648 with padding optional, as SDES offers vary) that must hold exactly `count`
    /// bytes; nil when it is not base64 or has another length.
    init?(base64: Substring, count: Int) {
        let text = base64.utf8
        var padding = 0
        for byte in text.reversed() {
            guard byte == UInt8(ascii: "="), padding < 2 else { break }
            padding += 1
        }
        let significant = text.count - padding
        if padding > 0, text.count % 4 != 0 { return nil }
        guard significant * 6 / 8 == count, significant % 4 != 1 else { return nil }
        bytes = .allocate(capacity: count)
        bytes.initialize(repeating: 0, count: count)
        self.count = count
        var accumulator: UInt32 = 0
        var bits = 0
        var written = 0
        for byte in text.prefix(significant) {
            // Every property is set, so a failed init runs deinit, which wipes and frees.
            guard let value = Self.sextet(byte) else { return nil }
            accumulator = (accumulator << 6) | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                if written < count { bytes[written] = UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)) }
                written += 1
            }
        }
        accumulator = 0
    }

    deinit {
        Self.wipe(bytes, count)
        bytes.deallocate()
    }

    /// Runs `body` over the key then the salt.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: bytes, count: count))
    }

    /// Compared in constant time.
    public static func == (lhs: SRTPKeyMaterial, rhs: SRTPKeyMaterial) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in 0..<lhs.count { difference |= lhs.bytes[index] ^ rhs.bytes[index] }
        return difference == 0
    }

    public var description: String { "<masked>" }

    private static func wipe(_ pointer: UnsafeMutablePointer<UInt8>, _ count: Int) {
        explicit_bzero(pointer, count)
    }

    private static func sextet(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): byte - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): byte - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"): 62
        case UInt8(ascii: "/"): 63
        default: nil
        }
    }
}
