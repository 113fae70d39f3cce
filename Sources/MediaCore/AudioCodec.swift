/// The payload formats the media path decodes.
public enum AudioCodec: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case pcmu, pcma
    /// G.729 / G.729A with Annex B SID frames (RFC 3551: 10-byte frames, several per packet).
    case g729
    /// G.726 ADPCM at 16, 24, 32 and 40 kbit/s (RFC 3551 §4.5.4 packing; dynamic payload types).
    case g726_16, g726_24, g726_32, g726_40
    /// AMR (narrowband, RFC 4867) in its two payload formats, which one SDP may offer side by side on
    /// different payload types: bandwidth-efficient (the default) and `octet-align=1`.
    case amr, amrOctetAligned

    /// The RTP/AVP static payload type (RFC 3551), nil for codecs that have only dynamic ones.
    public var staticPayloadType: UInt8? {
        switch self {
        case .pcmu: return 0
        case .pcma: return 8
        case .g729: return 18
        case .g726_16, .g726_24, .g726_32, .g726_40, .amr, .amrOctetAligned: return nil
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
        case .amr, .amrOctetAligned: return "AMR"
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

    /// Maps an SDP encoding name (case-insensitive) of an 8 kHz mono format to a codec we decode.
    public init?(encodingName: String) {
        self.init(encodingName: encodingName, clockRate: 8000, channels: 1, parameters: nil)
    }

    /// The codec an SDP format (rtpmap name, clock rate and channels; its fmtp parameters) names, or nil
    /// when siprecd does not decode it. AMR with `interleaving`, `crc=1` or `robust-sorting=1` (RFC 4867
    /// §8.1) is not decoded: no SRC is known to fork those, and they are answered like any other format
    /// siprecd does not record.
    public init?(encodingName: String, clockRate: Int, channels: Int, parameters: String?) {
        guard clockRate == 8000, channels == 1 else { return nil }
        switch encodingName.uppercased() {
        case "PCMU": self = .pcmu
        case "PCMA": self = .pcma
        case "G729", "G729A": self = .g729
        case "G726-16": self = .g726_16
        case "G726-24": self = .g726_24
        case "G726-32": self = .g726_32
        case "G726-40": self = .g726_40
        case "AMR":
            let fmtp = FormatParameters(parameters)
            guard fmtp["interleaving"] == nil, fmtp["crc"] ?? "0" == "0", fmtp["robust-sorting"] ?? "0" == "0" else { return nil }
            self = fmtp["octet-align"] == "1" ? .amrOctetAligned : .amr
        default: return nil
        }
    }

    /// What siprecd records, for the messages that refuse an offer.
    public static let supportedSummary = "PCMU/8000, PCMA/8000, G729/8000, G726-16/24/32/40 and AMR/8000 "
        + "(bandwidth-efficient or octet-aligned)"
}
