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
    /// G.722 (RFC 3551 §4.5.2: 16 kHz audio, an 8000 Hz RTP clock, one octet per 8 kHz tick), decoded to
    /// 16 kHz and resampled to the master's rate when that is another.
    case g722
    /// G.726 in the AAL2 / ITU-T I.366.2 bit order (codewords from the most significant bit of each octet),
    /// named `AAL2-G726-32` etc. in SDP (RFC 3551 §4.5.4).
    case aal2G726_16, aal2G726_24, aal2G726_32, aal2G726_40
    /// Opus (RFC 7587: `opus/48000/2`, a 48000 Hz RTP clock, 2.5–120 ms a packet), decoded to mono at
    /// the master's rate.
    case opus
    /// AMR-WB (RFC 4867: `AMR-WB/16000`, a 16000 Hz RTP clock), in the same two payload formats as AMR,
    /// decoded to 16 kHz and resampled to the master's rate when that is another.
    case amrWB, amrWBOctetAligned

    /// The RTP/AVP static payload type (RFC 3551), nil for codecs that have only dynamic ones.
    public var staticPayloadType: UInt8? {
        switch self {
        case .pcmu: return 0
        case .pcma: return 8
        case .g729: return 18
        case .g722: return 9
        case .g726_16, .g726_24, .g726_32, .g726_40, .amr, .amrOctetAligned,
             .aal2G726_16, .aal2G726_24, .aal2G726_32, .aal2G726_40, .opus, .amrWB, .amrWBOctetAligned: return nil
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
        case .g722: return "G722"
        case .aal2G726_16: return "AAL2-G726-16"
        case .aal2G726_24: return "AAL2-G726-24"
        case .aal2G726_32: return "AAL2-G726-32"
        case .aal2G726_40: return "AAL2-G726-40"
        case .opus: return "opus"
        case .amrWB, .amrWBOctetAligned: return "AMR-WB"
        }
    }

    /// The RTP timestamp clock (Hz): 48000 for Opus, 16000 for AMR-WB, 8000 for the others (G.722's
    /// included, RFC 3551).
    public var clockRate: Int {
        switch self {
        case .opus: return 48_000
        case .amrWB, .amrWBOctetAligned: return 16_000
        default: return 8_000
        }
    }

    /// The rate of the audio the codec carries: 16000 for the wideband codecs (G.722 too, whose RTP clock
    /// says 8000), 48000 for Opus (fullband at most), 8000 for the narrowband ones.
    public var audioRate: Int {
        switch self {
        case .g722, .amrWB, .amrWBOctetAligned: return 16_000
        case .opus: return 48_000
        default: return 8_000
        }
    }

    /// Whether the codec carries more than narrowband audio: a stream of it gives a 16 kHz master
    /// (`[media] masterRate = "auto"`).
    public var isWideband: Bool { audioRate > 8_000 }

    /// How the codec's RTP timestamps map onto a timeline of `rate` samples a second.
    @inline(__always)
    public func clockScale(timelineRate rate: Int) -> ClockScale { ClockScale(clockRate: clockRate, timelineRate: rate) }

    /// Bits per sample of G.726 (either bit order), nil for the other codecs.
    public var g726Bits: Int? {
        switch self {
        case .g726_16, .aal2G726_16: return 2
        case .g726_24, .aal2G726_24: return 3
        case .g726_32, .aal2G726_32: return 4
        case .g726_40, .aal2G726_40: return 5
        default: return nil
        }
    }

    /// The highest payload rate an SRC usually sends of the codec, in bytes a second (its top mode; Opus at
    /// 64 kbit/s, the top of what SBCs offer for voice: faster Opus gets proportionally less of the stream
    /// buffer's slack): what a stream's ``DecodeQueue`` is sized for.
    public var payloadBytesPerSecond: Int {
        switch self {
        case .pcmu, .pcma, .g722: return 8_000
        case .g729: return 1_000
        case .amr, .amrOctetAligned: return 1_650            // 12.2 kbit/s: 32 octets (31 + ToC) every 20 ms
        case .amrWB, .amrWBOctetAligned: return 3_100        // 23.85 kbit/s: 62 octets every 20 ms
        case .opus: return 8_000
        default: return (g726Bits ?? 8) * 1_000
        }
    }

    /// G.711: decoded by a table straight into the ring of an 8 kHz master; the others, and G.711 into a
    /// wider master, through a stream's ``AudioFrameDecoder``.
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
        let name = encodingName.uppercased()
        if name == "OPUS" {
            // RFC 7587 §7: always opus/48000/2, whatever the stream carries (mono is accepted as sent).
            guard clockRate == 48_000, channels == 2 || channels == 1 else { return nil }
            self = .opus
            return
        }
        if name == "AMR-WB" {
            guard clockRate == 16_000, channels == 1, let layout = AudioCodec.amrLayout(parameters) else { return nil }
            self = layout ? .amrWBOctetAligned : .amrWB
            return
        }
        guard clockRate == 8000, channels == 1 else { return nil }
        switch name {
        case "PCMU": self = .pcmu
        case "PCMA": self = .pcma
        case "G729", "G729A": self = .g729
        case "G726-16": self = .g726_16
        case "G726-24": self = .g726_24
        case "G726-32": self = .g726_32
        case "G726-40": self = .g726_40
        case "AAL2-G726-16": self = .aal2G726_16
        case "AAL2-G726-24": self = .aal2G726_24
        case "AAL2-G726-32": self = .aal2G726_32
        case "AAL2-G726-40": self = .aal2G726_40
        case "G722": self = .g722
        case "AMR":
            guard let octetAligned = AudioCodec.amrLayout(parameters) else { return nil }
            self = octetAligned ? .amrOctetAligned : .amr
        default: return nil
        }
    }

    /// Whether an AMR or AMR-WB format is octet-aligned, or nil when it uses what siprecd does not decode.
    private static func amrLayout(_ parameters: String?) -> Bool? {
        let fmtp = FormatParameters(parameters)
        guard fmtp["interleaving"] == nil, fmtp["crc"] ?? "0" == "0", fmtp["robust-sorting"] ?? "0" == "0" else { return nil }
        return fmtp["octet-align"] == "1"
    }

    /// What siprecd records, for the messages that refuse an offer.
    public static let supportedSummary = "PCMU/8000, PCMA/8000, G729/8000, G722/8000, G726-16/24/32/40 (and AAL2-G726-…), "
        + "AMR/8000 and AMR-WB/16000 (bandwidth-efficient or octet-aligned) and opus/48000/2"
}
