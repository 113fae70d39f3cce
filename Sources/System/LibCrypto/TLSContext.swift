import COpenSSL

/// A TLS configuration (OpenSSL `SSL_CTX`) that sessions are made from: siprecd's certificate and key, the
/// CAs its peers must chain to and the names they must carry. Built once per listener and again on
/// reload; sessions keep the context they were made from alive, so a reload never pulls it from under
/// an open connection.
public final class TLSContext: @unchecked Sendable {
    // @unchecked: the SSL_CTX is fully set up in init and only read afterwards (SSL_new is thread-safe);
    // `names` is never written after init.

    /// What a context is made of (the `[tls]` section, as paths and values).
    public struct Options: Sendable, Equatable {
        public var certificate: String
        public var key: String
        /// The CAs the peer must chain to; empty: a server asks for no certificate, a client uses the system's.
        public var verifyCA: String
        public var requirePeerCertificate: Bool
        /// 12 or 13.
        public var minimumVersion: Int
        /// TLS 1.2 suites (OpenSSL syntax); empty: ``defaultCiphers``.
        public var ciphers: String
        /// DNS names or IP addresses, one of which the peer's certificate must carry; empty: any.
        public var allowedPeerNames: [String]

        public init(certificate: String, key: String, verifyCA: String, requirePeerCertificate: Bool, minimumVersion: Int,
                    ciphers: String = "", allowedPeerNames: [String] = []) {
            self.certificate = certificate
            self.key = key
            self.verifyCA = verifyCA
            self.requirePeerCertificate = requirePeerCertificate
            self.minimumVersion = minimumVersion
            self.ciphers = ciphers
            self.allowedPeerNames = allowedPeerNames
        }
    }

    /// TLS 1.2 suites with forward secrecy only: ECDHE with AES-GCM, ChaCha20-Poly1305, then AES-CBC for
    /// older SBCs. No static-RSA key exchange, no 3DES, no RC4.
    public static let defaultCiphers = [
        "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384",
        "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305",
        "ECDHE-ECDSA-AES128-SHA", "ECDHE-RSA-AES128-SHA", "ECDHE-ECDSA-AES256-SHA", "ECDHE-RSA-AES256-SHA",
    ].joined(separator: ":")

    let handle: OpaquePointer
    /// The allowed names, NUL-separated and double-NUL-ended, for the verify callback (SSL_CTX app data).
    private let names: UnsafeMutablePointer<CChar>?
    public let isServer: Bool
    public let options: Options
    /// siprecd's own certificate (the first of `certificate`), when it has one.
    public let certificate: TLSCertificateFile?

    /// A listener's context: the SRC is the client.
    public static func server(_ options: Options) throws(TLSFailure) -> TLSContext {
        try TLSContext(server: true, options: options)
    }

    /// A context for siprecd's own connections to an SRC (in-dialog requests after its connection closed):
    /// it presents siprecd's certificate and checks the SRC's against the same CAs and names.
    public static func client(_ options: Options) throws(TLSFailure) -> TLSContext {
        try TLSContext(server: false, options: options)
    }

    private init(server: Bool, options: Options) throws(TLSFailure) {
        if !options.certificate.isEmpty {
            let file = try TLSCertificateFile(path: options.certificate, key: "tls.certificate")
            certificate = file
        } else {
            certificate = nil
        }
        var nameBytes: [CChar] = []
        for name in options.allowedPeerNames where !name.isEmpty { nameBytes += name.utf8CString }
        if nameBytes.isEmpty {
            names = nil
        } else {
            nameBytes.append(0)
            let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: nameBytes.count)
            buffer.initialize(from: nameBytes, count: nameBytes.count)
            names = buffer
        }
        var error = [CChar](repeating: 0, count: 512)
        let ciphers = options.ciphers.isEmpty ? TLSContext.defaultCiphers : options.ciphers
        guard let context = siprecd_tls_context_new(server ? 1 : 0, options.certificate, options.key, options.verifyCA,
                                                    options.requirePeerCertificate ? 1 : 0, Int32(options.minimumVersion),
                                                    ciphers, names, &error, Int32(error.count)) else {
            names?.deallocate()
            throw TLSFailure(message: String(nulTerminated: error))
        }
        handle = context
        isServer = server
        self.options = options
    }

    deinit {
        siprecd_tls_context_free(handle)
        names?.deallocate()
    }
}

/// A TLS configuration that cannot be used, or a session that cannot be made; the message names the
/// `[tls]` key and file at fault.
public struct TLSFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}
