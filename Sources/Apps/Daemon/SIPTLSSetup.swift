import Config
import LibCrypto
import Logging
import NIOCore
import Signalling

#if canImport(Glibc)
import Glibc
#endif

/// `[tls]` as OpenSSL contexts: the listeners' (SRCs are the clients) and siprecd's own connections to an
/// SRC (the same certificate, CAs and names the other way round).
public enum SIPTLSSetup {
    /// The options of the listeners' context.
    public static func serverOptions(_ tls: TLSSettings) -> TLSContext.Options {
        TLSContext.Options(certificate: tls.certificate, key: tls.key, verifyCA: tls.clientCA,
                           requirePeerCertificate: tls.requireClientCertificate, minimumVersion: tls.minVersion == .tls13 ? 13 : 12,
                           ciphers: tls.ciphers, allowedPeerNames: tls.allowedPeerNames)
    }

    /// Both contexts; the error names the key and file at fault.
    static func contexts(_ tls: TLSSettings) throws(TLSFailure) -> (server: TLSContext, client: TLSContext) {
        let server = try TLSContext.server(serverOptions(tls))
        var client = serverOptions(tls)
        client.requirePeerCertificate = true
        return (server, try TLSContext.client(client))
    }

    /// True when siprecd answers SIP over TLS with this configuration.
    static func listens(_ config: SiprecdConfig) -> Bool {
        config.sip.mode == .active && config.sip.listen.contains { $0.transport == .tls }
    }

    /// The contexts at start-up, after the checks `config check` makes (an expired certificate or a key
    /// that does not match stops siprecd here, with the reason); warnings (expiring soon) are logged.
    static func start(_ config: SiprecdConfig, eventLoop: EventLoop, logger: Logger) throws -> SIPTLS? {
        guard listens(config) else { return nil }
        let check = TLSFileCheck.check(serverOptions(config.tls), now: Int64(time(nil)), loadingContext: false)
        if let first = check.errors.first { throw TLSFailure(message: "SIP over TLS cannot start: \(first)") }
        for warning in check.warnings { logger.warning("\(warning)") }
        let server: TLSContext, client: TLSContext
        do {
            (server, client) = try contexts(config.tls)
        } catch {
            throw TLSFailure(message: "SIP over TLS cannot start: \(error.message)")
        }
        log(server, logger: logger, "SIP over TLS ready")
        return SIPTLS(eventLoop: eventLoop, server: server, client: client)
    }

    /// SIGHUP: new contexts for new connections; with broken files the running ones stay. True when the
    /// new ones took over.
    @discardableResult
    static func reload(_ tls: SIPTLS, from config: SiprecdConfig, logger: Logger) -> Bool {
        guard listens(config) else { return false }
        let check = TLSFileCheck.check(serverOptions(config.tls), now: Int64(time(nil)), loadingContext: false)
        do {
            if let first = check.errors.first { throw TLSFailure(message: first) }
            let (server, client) = try contexts(config.tls)
            tls.replace(server: server, client: client)
            for warning in check.warnings { logger.warning("\(warning)") }
            log(server, logger: logger, "TLS certificates reloaded: new SIP/TLS connections use them; open connections whose certificate they refuse are closed")
            return true
        } catch {
            logger.error("TLS certificate reload refused; SIP/TLS keeps the certificates it had", metadata: ["error": "\(error)"])
            return false
        }
    }

    private static func log(_ context: TLSContext, logger: Logger, _ message: Logger.Message) {
        let options = context.options
        logger.notice(message, metadata: [
            "certificate": "\(context.certificate?.subject ?? "?")",
            "not_after": "\(context.certificate.map { TLSCertificateFile.date($0.notAfter) } ?? "?")",
            "client_certificate": "\(options.requirePeerCertificate ? "required" : options.verifyCA.isEmpty ? "not asked" : "optional")",
            "min_version": "TLS \(options.minimumVersion == 13 ? "1.3" : "1.2")",
            "allowed_peer_names": "\(options.allowedPeerNames.isEmpty ? "any" : options.allowedPeerNames.joined(separator: ","))"])
    }
}

extension SIPFlow.Transport {
    /// The SIP server's transport of a `[sip] listen` entry.
    init(_ transport: ListenAddress.Transport) {
        switch transport {
        case .udp: self = .udp
        case .tcp: self = .tcp
        case .tls: self = .tls
        }
    }
}
