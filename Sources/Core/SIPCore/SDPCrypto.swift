/// One `a=crypto:` line of an SDES offer (RFC 4568 §9.1): an SRTP suite, its master key(s) and session
/// parameters, under a tag the answer echoes. `description` never shows key material.
public struct SDPCrypto: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The tag (1–999,999,999) that the answer's `a=crypto` repeats.
    public var tag: Int
    /// The suite as offered (the name is case-sensitive in RFC 4568).
    public var suite: SRTPSuite
    /// One or more master keys (RFC 4568 §6.1: several only with MKIs, to rotate keys).
    public var keys: [SDESKey]
    /// Session parameters as parsed.
    public var parameters: SDESSessionParameters
    /// Keys one line may carry (each with its own MKI): more is not a rotation schedule but an attack.
    static let maximumKeys = 16

    /// A field for an error message: never one that holds key material (a misordered line, a second
    /// `inline:` where a session parameter belongs), which is named by its length instead.
    static func quotable(_ field: Substring, _ limit: Int) -> String {
        field.lowercased().contains("inline:") ? "<key parameter, \(field.count) characters>" : String(field.prefix(limit))
    }

    /// Parses the value after `a=crypto:` (`tag suite key-params [session-params…]`).
    public init(parsing text: Substring) throws(SDPCryptoError) {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard fields.count >= 3 else {
            throw SDPCryptoError("a=crypto needs a tag, a suite and key parameters, got \"\(fields.count) field(s)\"")
        }
        guard fields[0].count <= 9, let tag = parseBoundedDecimal(fields[0], max: 999_999_999) else {
            throw SDPCryptoError("a=crypto tag \"\(fields[0].prefix(12))\" is not 1-9 digits")
        }
        guard let suite = SRTPSuite(rawValue: String(fields[1])) else {
            throw SDPCryptoError("a=crypto:\(tag) suite \"\(SDPCrypto.quotable(fields[1], 40))\" is not one siprecd decrypts (\(SRTPSuite.supportedList))")
        }
        var keys: [SDESKey] = []
        let keyParameters = fields[2].split(separator: ";", omittingEmptySubsequences: false)
        guard keyParameters.count <= SDPCrypto.maximumKeys else {
            throw SDPCryptoError("a=crypto:\(tag) offers \(keyParameters.count) keys, more than \(SDPCrypto.maximumKeys)")
        }
        for keyParameter in keyParameters {
            keys.append(try SDESKey(parsing: keyParameter, suite: suite, tag: tag))
        }
        if keys.count > 1, keys.contains(where: { $0.mki == nil }) {
            throw SDPCryptoError("a=crypto:\(tag) offers \(keys.count) keys but not each with an MKI (RFC 4568 §6.1)")
        }
        if let first = keys.first?.mki, keys.contains(where: { $0.mki?.length != first.length }) {
            throw SDPCryptoError("a=crypto:\(tag) keys' MKI lengths differ")
        }
        self.tag = tag
        self.suite = suite
        self.keys = keys
        parameters = try SDESSessionParameters(parsing: fields.dropFirst(3), tag: tag)
    }

    /// The tag, the suite and what the keys are, never the keys themselves.
    public var description: String {
        "a=crypto:\(tag) \(suite.rawValue) \(keys.count) key(s)\(keys.first?.mki.map { " MKI \($0.length) byte(s)" } ?? "") inline:<masked>"
    }

    public var debugDescription: String { description }

    /// Reflection (`dump`, string interpolation of containers) sees the description only.
    public var customMirror: Mirror { Mirror(self, children: ["crypto": description]) }
}

/// Why an `a=crypto` line cannot be used, in words for the 488's Warning and the log.
public struct SDPCryptoError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// The SRTP suites siprecd decrypts (RFC 4568 §6.2, RFC 7714 §14.2).
public enum SRTPSuite: String, Sendable, CaseIterable {
    case aesCM128HmacSHA1_80 = "AES_CM_128_HMAC_SHA1_80"
    case aesCM128HmacSHA1_32 = "AES_CM_128_HMAC_SHA1_32"
    case aeadAES128GCM = "AEAD_AES_128_GCM"
    case aeadAES256GCM = "AEAD_AES_256_GCM"

    /// Bytes of the master key.
    public var masterKeyBytes: Int {
        switch self {
        case .aesCM128HmacSHA1_80, .aesCM128HmacSHA1_32, .aeadAES128GCM: 16
        case .aeadAES256GCM: 32
        }
    }

    /// Bytes of the master salt: 112 bits for AES-CM, 96 for AEAD (RFC 7714 §12).
    public var masterSaltBytes: Int {
        switch self {
        case .aesCM128HmacSHA1_80, .aesCM128HmacSHA1_32: 14
        case .aeadAES128GCM, .aeadAES256GCM: 12
        }
    }

    /// The largest key lifetime the suite allows, in packets (2^48 for SRTP: RFC 4568 §6.2, RFC 7714 §14.2).
    static let maximumLifetime: UInt64 = 1 << 48

    static var supportedList: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// One `inline:` key parameter: master key and salt, lifetime, MKI (RFC 4568 §6.1, §9.2).
public struct SDESKey: Sendable, Equatable {
    /// Master key followed by master salt, wiped from memory when the last copy goes.
    public let material: SRTPKeyMaterial
    /// Packets the key may protect, when given (at most 2^48).
    public var lifetime: UInt64?
    /// The master key identifier and its length in bytes (1–128), when given.
    public var mki: (value: UInt64, length: Int)?

    public static func == (lhs: SDESKey, rhs: SDESKey) -> Bool {
        lhs.material == rhs.material && lhs.lifetime == rhs.lifetime && lhs.mki?.value == rhs.mki?.value
            && lhs.mki?.length == rhs.mki?.length
    }

    init(parsing text: Substring, suite: SRTPSuite, tag: Int) throws(SDPCryptoError) {
        guard text.hasPrefix("inline:") else {
            throw SDPCryptoError("a=crypto:\(tag) key method must be inline (RFC 4568 §6.1)")
        }
        let pieces = text.dropFirst("inline:".count).split(separator: "|", omittingEmptySubsequences: false)
        guard pieces.count <= 3 else { throw SDPCryptoError("a=crypto:\(tag) key has more than lifetime and MKI after it") }
        let expected = suite.masterKeyBytes + suite.masterSaltBytes
        guard let material = SRTPKeyMaterial(base64: pieces[0], count: expected) else {
            throw SDPCryptoError("a=crypto:\(tag) key is not base64 of \(expected) bytes (\(suite.rawValue): \(suite.masterKeyBytes)-byte key + \(suite.masterSaltBytes)-byte salt)")
        }
        self.material = material
        var rest = pieces.dropFirst()
        // The lifetime comes first when present; an MKI always has a colon (RFC 4568 §9.2).
        if let lifetime = rest.first, !lifetime.contains(":") {
            guard let value = Self.parseLifetime(lifetime), value > 0, value <= SRTPSuite.maximumLifetime else {
                throw SDPCryptoError("a=crypto:\(tag) key lifetime \"\(lifetime.prefix(24))\" is not 1 to 2^48 packets")
            }
            self.lifetime = value
            rest = rest.dropFirst()
        }
        if let mki = rest.first {
            let parts = mki.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0].count <= 20, let length = parseBoundedDecimal(parts[1], max: 128), length > 0,
                  let value = UInt64(parts[0]), length >= 8 || value < (UInt64(1) << UInt64(8 * length)) else {
                throw SDPCryptoError("a=crypto:\(tag) MKI \"\(mki.prefix(24))\" is not value:length with a length of 1-128 bytes that holds the value")
            }
            self.mki = (value, length)
            rest = rest.dropFirst()
        }
        guard rest.isEmpty else { throw SDPCryptoError("a=crypto:\(tag) key parameters are out of order (inline:key|lifetime|MKI:length)") }
    }

    /// `2^n` or a decimal count.
    private static func parseLifetime(_ text: Substring) -> UInt64? {
        if text.hasPrefix("2^") {
            guard let exponent = parseBoundedDecimal(text.dropFirst(2), max: 63) else { return nil }
            return UInt64(1) << UInt64(exponent)
        }
        guard text.count <= 19 else { return nil }
        return UInt64(text)
    }
}

/// Session parameters of an `a=crypto` line (RFC 4568 §6.3). Unknown ones make the line unusable unless
/// they start with `-` (§6.3.7: those may be ignored).
public struct SDESSessionParameters: Sendable, Equatable {
    /// Key derivation rate as the power of two (0: derive once, the only rate libsrtp supports).
    public var keyDerivationRate: Int = 0
    public var unencryptedSRTP = false
    public var unencryptedSRTCP = false
    public var unauthenticatedSRTP = false
    /// Replay window size in packets (`WSH`, at least 64), when given.
    public var windowSizeHint: Int?
    /// `FEC_ORDER` or `FEC_KEY` was offered (not supported: the stream is refused).
    public var forwardErrorCorrection = false
    /// `-`-prefixed parameters ignored.
    public var ignored: [String] = []

    init(parsing fields: ArraySlice<Substring>, tag: Int) throws(SDPCryptoError) {
        for field in fields {
            let (name, value) = field.firstIndex(of: "=").map { (field[..<$0], Optional(field[field.index(after: $0)...])) } ?? (field, nil)
            switch (name, value) {
            case ("KDR", let rate?):
                guard let power = parseBoundedDecimal(rate, max: 24) else {
                    throw SDPCryptoError("a=crypto:\(tag) KDR=\(rate.prefix(8)) is not 0-24")
                }
                keyDerivationRate = power
            case ("UNENCRYPTED_SRTP", nil): unencryptedSRTP = true
            case ("UNENCRYPTED_SRTCP", nil): unencryptedSRTCP = true
            case ("UNAUTHENTICATED_SRTP", nil): unauthenticatedSRTP = true
            case ("WSH", let size?):
                guard let window = parseBoundedDecimal(size, max: 1 << 15), window >= 64 else {
                    throw SDPCryptoError("a=crypto:\(tag) WSH=\(size.prefix(8)) is not a window of 64 packets or more")
                }
                windowSizeHint = window
            case ("FEC_ORDER", _?), ("FEC_KEY", _?): forwardErrorCorrection = true
            default:
                guard field.hasPrefix("-") else {
                    throw SDPCryptoError("a=crypto:\(tag) session parameter \"\(SDPCrypto.quotable(field, 32))\" is not one siprecd knows (RFC 4568 §6.3)")
                }
                ignored.append(String(field.prefix(64)))
            }
        }
    }
}
