/// How RTP packets are received.
public enum CaptureKind: String, Sendable, Equatable, CaseIterable {
    /// Ordinary UDP sockets bound to ports from ``MediaSettings/rtpPorts``.
    case socket
    /// Passive capture with libpcap on ``MediaSettings/interface``.
    case pcap
}

/// The rate of a recording's lossless master and MP3 (`[media] masterRate`).
public enum MasterRate: Sendable, Equatable, CustomStringConvertible {
    /// 8 kHz when every stream is narrowband (G.711 masters stay bit-exact), 16 kHz when a stream's codec
    /// is wideband (G.722, AMR-WB, Opus).
    case auto
    /// Always this rate: 8000 (narrowband: wideband streams are resampled down), 16000, or 48000 (fullband
    /// Opus kept; every other stream resampled up).
    case fixed(Int)

    /// The rates a master may have.
    public static let rates = [8_000, 16_000, 48_000]

    /// `"auto"` or one of ``rates`` (as a string or an integer).
    public init?(parsing text: String) {
        if text.lowercased() == "auto" { self = .auto; return }
        guard let rate = Int(text), MasterRate.rates.contains(rate) else { return nil }
        self = .fixed(rate)
    }

    public var description: String {
        switch self {
        case .auto: return "auto"
        case .fixed(let rate): return String(rate)
        }
    }

    /// The rate of a recording whose streams use `wideband` (any stream's codec is wideband).
    public func rate(wideband: Bool) -> Int {
        switch self {
        case .auto: return wideband ? 16_000 : 8_000
        case .fixed(let rate): return rate
        }
    }
}

/// What a recording holds where packets were lost (`[media] concealment`).
public enum LossConcealment: String, Sendable, Equatable, CaseIterable {
    /// Silence, for every codec: the master holds only audio that arrived.
    case silence
    /// The decoder's own packet-loss concealment (G.729, AMR, AMR-WB, Opus with its in-band FEC); codecs
    /// without one (G.711, G.722, G.726) stay silent.
    case codec
}

/// Whether the answer accepts SRTP (RFC 3711) and plain RTP (`[media] srtp`).
public enum SRTPMode: String, Sendable, Equatable, CaseIterable {
    /// RTP/AVP and RTP/SAVP offers are both accepted.
    case optional
    /// Only RTP/SAVP: a plain RTP/AVP offer gets 488.
    case required
    /// Only RTP/AVP: SRTP m-lines are refused.
    case off
}

/// The `[media]` section: RTP reception, jitter handling and MP3 encoding.
public struct MediaSettings: Sendable, Equatable {
    /// Ports offered for RTP; `low` is even and at least two ports remain. Default: 20000-29999.
    public var rtpPorts: PortRange
    /// How RTP is received. Default: `.pcap` (libpcap on `interface`); without CAP_NET_RAW siprecd falls back to sockets.
    public var capture: CaptureKind
    /// Network interface for `.pcap` capture. Default: `lo`.
    public var interface: String
    /// A stream without packets for this long is considered ended. Default: 30 s.
    public var rtpTimeout: Duration
    /// How long packets are held to put reordered packets back in sequence. Default: 200 ms.
    public var reorderWindow: Duration
    /// MP3 bit rate in kbit/s, 8...320. Default: 32.
    public var mp3Bitrate: Int
    /// LAME quality, 0 (best, slowest) ... 9 (fastest). Default: 5.
    public var mp3Quality: Int
    /// Kernel capture ring for `pcap` capture, in bytes. Default: 64 MiB.
    public var captureBuffer: Int64 = 64 << 20
    /// Audio each stream's ring holds between capture and encoder (rounded up to a power of two of
    /// samples): the slack the encoder has when it falls behind (a busy CPU, a slow disk) before packets
    /// are dropped as ring-full. 64 KB of memory per call per 4 s. Default: 8 s.
    public var streamBuffer: Duration = .seconds(8)
    /// Encode the MP3 while recording. false: the lossless master only (STORE makes MP3s from it). Default: true.
    public var mp3 = true
    /// The master's rate. Default: `"auto"` (8 kHz, or 16 kHz when a stream's codec is wideband).
    public var masterRate = MasterRate.auto
    /// Lost packets: silence, or the decoder's concealment. Default: `.silence`.
    public var concealment = LossConcealment.silence
    /// SRTP: `.optional` (RTP/AVP and RTP/SAVP), `.required` (RTP/SAVP only) or `.off`. Default: `.optional`.
    public var srtp = SRTPMode.optional
    /// Accept SDES keys (`a=crypto`) in offers that came over plain SIP (UDP or TCP), where anyone on the
    /// path can read them. Default: false (such offers get 488 with a reason; over TLS they are accepted).
    public var sdesOverPlainSIP = false

    /// The accepted range for ``mp3Bitrate``.
    public static let mp3BitrateRange = 8...320
    /// The accepted range for ``mp3Quality``.
    public static let mp3QualityRange = 0...9

    /// Creates media settings; every argument defaults to the documented default.
    public init(
        rtpPorts: PortRange = PortRange(low: 20_000, high: 29_999)!,
        capture: CaptureKind = .pcap,
        interface: String = "lo",
        rtpTimeout: Duration = .seconds(30),
        reorderWindow: Duration = .milliseconds(200),
        mp3Bitrate: Int = 32,
        mp3Quality: Int = 5
    ) {
        self.rtpPorts = rtpPorts
        self.capture = capture
        self.interface = interface
        self.rtpTimeout = rtpTimeout
        self.reorderWindow = reorderWindow
        self.mp3Bitrate = mp3Bitrate
        self.mp3Quality = mp3Quality
    }

    /// A Linux network interface name: 1 to 15 bytes (IFNAMSIZ), printable, no '/' and no white space.
    public static func isInterfaceName(_ name: String) -> Bool {
        (1...15).contains(name.utf8.count) && name.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "/") }
    }
}
