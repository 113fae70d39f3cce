/// G.711 µ-law and A-law decoding (ITU-T G.711), table-driven.
///
/// The tables are computed once from the standard's segment formulas; decoding a sample is one load.
public enum G711 {
    /// 16-bit linear PCM for each µ-law code.
    public static let muLawTable: [Int16] = (0..<256).map { muLawToLinear(UInt8($0)) }
    /// 16-bit linear PCM for each A-law code.
    public static let aLawTable: [Int16] = (0..<256).map { aLawToLinear(UInt8($0)) }

    /// µ-law code to linear, per G.711 (bias 0x84).
    public static func muLawToLinear(_ code: UInt8) -> Int16 {
        let u = ~code
        let exponent = Int((u >> 4) & 0x07)
        let mantissa = Int(u & 0x0F)
        let magnitude = ((mantissa << 3) + 0x84) << exponent
        return Int16(u & 0x80 != 0 ? 0x84 - magnitude : magnitude - 0x84)
    }

    /// A-law code to linear, per G.711 (even bits inverted, 0x55).
    public static func aLawToLinear(_ code: UInt8) -> Int16 {
        let a = code ^ 0x55
        let exponent = Int((a >> 4) & 0x07)
        let mantissa = Int(a & 0x0F)
        var magnitude = (mantissa << 4) + 8
        if exponent != 0 { magnitude = (magnitude + 0x100) << (exponent - 1) }
        return Int16(a & 0x80 != 0 ? magnitude : -magnitude)
    }
}

/// The payload formats the media path decodes.
public enum AudioCodec: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case pcmu, pcma
    /// G.729 / G.729A with Annex B SID frames (RFC 3551: 10-byte frames, several per packet).
    case g729
    /// G.726 ADPCM at 16, 24, 32 and 40 kbit/s (RFC 3551 §4.5.4 packing; dynamic payload types).
    case g726_16, g726_24, g726_32, g726_40

    /// The RTP/AVP static payload type (RFC 3551), nil for codecs that have only dynamic ones.
    public var staticPayloadType: UInt8? {
        switch self {
        case .pcmu: return 0
        case .pcma: return 8
        case .g729: return 18
        case .g726_16, .g726_24, .g726_32, .g726_40: return nil
        }
    }

    public var description: String {
        switch self {
        case .pcmu: return "PCMU"
        case .pcma: return "PCMA"
        case .g729: return "G729"
        case .g726_16: return "G726-16"
        case .g726_24: return "G726-24"
        case .g726_32: return "G726-32"
        case .g726_40: return "G726-40"
        }
    }

    /// Bits per sample of G.726, nil for the other codecs.
    public var g726Bits: Int? {
        switch self {
        case .g726_16: return 2
        case .g726_24: return 3
        case .g726_32: return 4
        case .g726_40: return 5
        default: return nil
        }
    }

    /// G.711: decoded by a table straight into the ring; the others through a stream's ``AudioFrameDecoder``.
    public var isG711: Bool { self == .pcmu || self == .pcma }

    /// Maps an SDP encoding name (case-insensitive) to a codec we decode.
    public init?(encodingName: String) {
        switch encodingName.uppercased() {
        case "PCMU": self = .pcmu
        case "PCMA": self = .pcma
        case "G729", "G729A": self = .g729
        case "G726-16": self = .g726_16
        case "G726-24": self = .g726_24
        case "G726-32": self = .g726_32
        case "G726-40": self = .g726_40
        default: return nil
        }
    }
}
