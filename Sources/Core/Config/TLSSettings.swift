/// The `[tls]` section: siprecd's certificate for SIP over TLS (`tls:` entries of `[sip] listen`) and how
/// it authenticates the SRCs that connect (mutual TLS).
public struct TLSSettings: Sendable, Equatable {
    /// The lowest TLS version accepted.
    public enum MinimumVersion: String, Sendable, Equatable, CaseIterable {
        case tls12 = "1.2"
        case tls13 = "1.3"
    }

    /// siprecd's certificate chain (PEM, leaf first). Required when a `tls:` address is listened on.
    public var certificate = ""
    /// The private key of ``certificate`` (PEM).
    public var key = ""
    /// The CAs that sign the SRCs' certificates (PEM bundle). Required while ``requireClientCertificate``.
    public var clientCA = ""
    /// An SRC must present a certificate that chains to ``clientCA``. Default: true.
    public var requireClientCertificate = true
    /// Default: 1.2.
    public var minVersion = MinimumVersion.tls12
    /// Names (DNS names or IP addresses) one of which the SRC's certificate must carry in its
    /// subjectAltName (or, without DNS names there, its common name). Empty: any certificate that chains.
    public var allowedPeerNames: [String] = []
    /// TLS 1.2 cipher suites in OpenSSL's syntax; empty: siprecd's list (ECDHE with AES-GCM, ChaCha20 or
    /// AES-CBC: forward secrecy always). TLS 1.3 suites are OpenSSL's defaults.
    public var ciphers = ""

    /// Creates the defaults.
    public init() {}

    /// Every key of the section.
    static let keys = ["certificate", "key", "clientCA", "requireClientCertificate", "minVersion", "allowedPeerNames", "ciphers"]

    mutating func apply(_ reader: SectionReader) throws(ConfigError) {
        if let value = try reader.string("certificate") { certificate = value }
        if let value = try reader.string("key") { key = value }
        if let value = try reader.string("clientCA") { clientCA = value }
        if let value = try reader.bool("requireClientCertificate") { requireClientCertificate = value }
        // `minVersion = 1.3` unquoted (and SIPRECD_TLS_MINVERSION=1.3) is a TOML float: taken as written.
        if let number = reader.table["minVersion"]?.doubleValue, reader.table["minVersion"]?.stringValue == nil,
           let value = MinimumVersion(rawValue: number == 1.3 ? "1.3" : number == 1.2 ? "1.2" : "") {
            minVersion = value
        } else if let value = try reader.parsed("minVersion", as: "a TLS version", example: "\"1.2\" or \"1.3\"", MinimumVersion.init(rawValue:)) {
            minVersion = value
        }
        if let value = try reader.parsedArray("allowedPeerNames", as: "a DNS name or an IP address", example: "\"sbc1.example.com\"",
                                              TLSSettings.peerName) {
            allowedPeerNames = value
        }
        if let value = try reader.string("ciphers") {
            guard value.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
                throw reader.invalid("ciphers", "must be an OpenSSL cipher list without spaces, like \"ECDHE+AESGCM:ECDHE+CHACHA20\"")
            }
            ciphers = value
        }
    }

    /// A name as certificates carry it: an IP address, or a DNS name (letters, digits, `-`, `.`).
    static func peerName(_ text: String) -> String? {
        if IPAddress.parse(text[...]) != nil { return text }
        guard HostPort(parsing: "\(text):1") != nil else { return nil }
        return text.lowercased()
    }

    /// Problems of the section against the listeners that use it (no file is read here).
    func problems(listening: Bool) -> [String] {
        guard listening else { return [] }
        var found: [String] = []
        if certificate.isEmpty || key.isEmpty {
            found.append("'sip.listen' has a tls: address, so [tls] needs 'certificate' and 'key' (siprecd's PEM certificate chain and its private key)")
        }
        if requireClientCertificate, clientCA.isEmpty {
            found.append("'tls.requireClientCertificate' is true (the default) but 'tls.clientCA' is not set: name the PEM bundle of the CAs "
                + "that sign your SRCs' certificates, or set requireClientCertificate = false to accept SRCs without one")
        }
        if !requireClientCertificate, !allowedPeerNames.isEmpty {
            found.append("'tls.allowedPeerNames' only binds SRCs that present a certificate, and with requireClientCertificate = false "
                + "an SRC without one gets in regardless: set requireClientCertificate = true (with clientCA), or drop allowedPeerNames")
        }
        return found
    }
}
