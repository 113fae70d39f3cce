/// siprecd's effective configuration: embedded defaults, overlaid by the TOML file, overlaid by
/// command-line flags (which the CLI applies by assigning to these `var`s, then calls ``validate()``).
public struct SiprecdConfig: Sendable, Equatable {
    /// `[sip]`.
    public var sip: SIPSettings
    /// `[tls]`: the certificate of `tls:` listeners and the SRCs' CA.
    public var tls = TLSSettings()
    /// `[media]`.
    public var media: MediaSettings
    /// `[storage]`.
    public var storage: StorageSettings
    /// `[api]`.
    public var api: APISettings
    /// `[webhooks]`.
    public var webhooks = WebhooksSettings()
    /// `[audio]`.
    public var audio = AudioSettings()
    /// `[buckets.NAME]`, by name: where STORERECORDING puts files.
    public var buckets: [String: BucketSettings] = [:]
    /// `[keys]`: AES-256 keys by name.
    public var keys: [String: [UInt8]] = [:]
    /// `[[rules]]`, in order: the first that matches a session decides how it is recorded.
    public var rules: [RecordingRule] = []
    /// Sections accepted for later features and kept as parsed: `[[rules]]`,
    /// `[buckets.NAME]` and `[keys]`. Keys are the top-level section names.
    public var extra: TOMLTable

    /// Top-level sections kept verbatim in ``extra``.
    public static let reservedSections = ["rules", "buckets", "keys"]

    /// Creates a configuration; every argument defaults to the documented default.
    public init(
        sip: SIPSettings = SIPSettings(),
        media: MediaSettings = MediaSettings(),
        storage: StorageSettings = StorageSettings(),
        api: APISettings = APISettings(),
        extra: TOMLTable = TOMLTable()
    ) {
        self.sip = sip
        self.media = media
        self.storage = storage
        self.api = api
        self.extra = extra
    }

    /// The configuration used when no file is given.
    public static let defaults = SiprecdConfig()

    /// Checks the rules that span what a file or a flag can set, and normalises ``MediaSettings/rtpPorts``
    /// (its low end is rounded up to an even port). Call after applying command-line overrides;
    /// ``parse(toml:)`` already calls it. Errors carry no line number.
    public mutating func validate() throws(ConfigError) {
        func fail(_ message: String) -> ConfigError { ConfigError(code: .invalidValue, line: nil, message: message) }
        guard !sip.listen.isEmpty else { throw fail("'sip.listen' must name at least one address") }
        // In passive mode tls: ports are only watched (their sessions cannot be read): no certificate is needed.
        if let problem = tls.problems(listening: sip.mode == .active && sip.listen.contains { $0.transport == .tls }).first {
            throw fail(problem)
        }
        guard SIPSettings.maxTCPConnectionsRange.contains(sip.maxTCPConnections) else {
            throw fail("'sip.maxTcpConnections' must be between \(SIPSettings.maxTCPConnectionsRange.lowerBound) and \(SIPSettings.maxTCPConnectionsRange.upperBound), found \(sip.maxTCPConnections)")
        }
        guard SIPSettings.maxMessageSizeRange.contains(sip.maxMessageSize) else {
            throw fail("'sip.maxMessageSize' must be between \(SIPSettings.maxMessageSizeRange.lowerBound) and \(SIPSettings.maxMessageSizeRange.upperBound), found \(sip.maxMessageSize)")
        }
        guard let aligned = media.rtpPorts.evenAligned else {
            throw fail("'media.rtpPorts' \(media.rtpPorts) must hold at least two ports starting at an even port")
        }
        media.rtpPorts = aligned
        guard MediaSettings.mp3BitrateRange.contains(media.mp3Bitrate) else {
            throw fail("'media.mp3Bitrate' must be between 8 and 320 kbit/s, found \(media.mp3Bitrate)")
        }
        guard MediaSettings.mp3QualityRange.contains(media.mp3Quality) else {
            throw fail("'media.mp3Quality' must be between 0 and 9, found \(media.mp3Quality)")
        }
        guard media.rtpTimeout > .zero else { throw fail("'media.rtpTimeout' must be longer than 0s") }
        guard media.capture != .pcap || !media.interface.isEmpty else {
            throw fail("'media.interface' must name an interface when capture is \"pcap\"")
        }
        guard media.interface.isEmpty || MediaSettings.isInterfaceName(media.interface) else {
            throw fail("'media.interface' \"\(media.interface)\" is not an interface name (1 to 15 characters, no '/' or spaces; see `ip link`)")
        }
        guard !storage.dataDir.isEmpty else { throw fail("'storage.dataDir' must not be empty") }
        guard storage.minFree >= 0 else { throw fail("'storage.minFree' must not be negative") }
        guard APISettings.authModes.contains(api.auth) else {
            throw fail("'api.auth' must be one of \(APISettings.authModes.map { "\"\($0)\"" }.joined(separator: ", ")), found \"\(api.auth)\"")
        }
        // Recordings are call audio: without authentication the API may only listen on loopback.
        guard api.auth != "none" || api.listen.isLoopback else {
            throw fail("'api.auth' = \"none\" needs a loopback 'api.listen' (127.0.0.1 or ::1), found \(api.listen): set auth or listen on loopback")
        }
    }
}
