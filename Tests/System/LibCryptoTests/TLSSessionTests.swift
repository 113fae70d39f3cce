import Testing
@testable import LibCrypto

/// Two sessions handshaking in memory: what one drains, the other is fed, until both finish or one fails
/// (then once more, so the other side reads the alert).
private func handshake(_ client: TLSSession, _ server: TLSSession) -> (client: TLSSession.HandshakeStep, server: TLSSession.HandshakeStep) {
    var clientStep = TLSSession.HandshakeStep.needsMore, serverStep = TLSSession.HandshakeStep.needsMore
    var failedRounds = 0
    for _ in 0..<20 {
        if clientStep == .needsMore { clientStep = client.handshake() }
        move(from: client, to: server)
        if serverStep == .needsMore { serverStep = server.handshake() }
        move(from: server, to: client)
        if clientStep == .finished, serverStep == .finished { break }
        if case .failed = clientStep { failedRounds += 1 }
        if case .failed = serverStep { failedRounds += 1 }
        if failedRounds >= 2 { break }
    }
    return (clientStep, serverStep)
}

private func move(from: TLSSession, to: TLSSession) {
    let pending = from.pendingOutput
    guard pending > 0 else { return }
    var bytes = [UInt8](repeating: 0, count: pending)
    let count = bytes.withUnsafeMutableBytes { from.drain(into: $0) }
    bytes.withUnsafeBytes { to.feed(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
}

private func readAll(_ session: TLSSession) -> (bytes: [UInt8], last: TLSSession.ReadResult) {
    var out: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4_096)
    while true {
        let result = buffer.withUnsafeMutableBytes { session.read(into: $0) }
        guard case .bytes(let count) = result else { return (out, result) }
        out += buffer[..<count]
    }
}

private func failureReason(_ step: TLSSession.HandshakeStep) -> TLSSession.FailureReason? {
    if case .failed(let failure) = step { return failure.reason }
    return nil
}

@Suite("SIP over TLS: sessions over memory, mutual authentication, refusals by reason")
struct TLSSessionTests {
    let files = TestPKI.Files()

    func server(requireClient: Bool = true, names: [String] = [], minimum: Int = 12) throws -> TLSContext {
        try TLSContext.server(.init(certificate: files.path("server.pem"), key: files.path("server.key"), verifyCA: files.path("ca.pem"),
                                    requirePeerCertificate: requireClient, minimumVersion: minimum, allowedPeerNames: names))
    }

    func client(_ name: String?, trusting ca: String = "ca.pem") throws -> TLSContext {
        try TLSContext.client(.init(certificate: name.map { files.path("\($0).pem") } ?? "", key: name.map { files.path("\($0).key") } ?? "",
                                    verifyCA: files.path(ca), requirePeerCertificate: true, minimumVersion: 12))
    }

    @Test("an SRC with a certificate of the client CA gets through, and SIP crosses both ways byte for byte")
    func mutualHandshake() throws {
        let src = try TLSSession(context: client("client"), host: "127.0.0.1")
        let srs = try TLSSession(context: server())
        let steps = handshake(src, srs)
        #expect(steps.client == .finished)
        #expect(steps.server == .finished)
        #expect(srs.peerSubject.contains("sbc1.example.com"))
        #expect(srs.negotiated.hasPrefix("TLSv1.3"))
        let invite = Array("INVITE sip:srs@127.0.0.1:5061;transport=tls SIP/2.0\r\nContent-Length: 0\r\n\r\n".utf8)
        #expect(invite.withUnsafeBytes { src.write($0) })
        move(from: src, to: srs)
        #expect(readAll(srs).bytes == invite)
        let ok = Array(repeating: UInt8(ascii: "x"), count: 40_000)   // more than two records
        #expect(ok.withUnsafeBytes { srs.write($0) })
        move(from: srs, to: src)
        #expect(readAll(src).bytes == ok)
    }

    @Test("an SRC's close_notify reads as the end of the connection")
    func closeNotify() throws {
        let src = try TLSSession(context: client("client"))
        let srs = try TLSSession(context: server())
        _ = handshake(src, srs)
        _ = readAll(srs)
        src.shutdown()
        move(from: src, to: srs)
        #expect(readAll(srs).last == .closed)
    }

    @Test("refused at the handshake, with the reason counted", arguments: [
        ("none", TLSSession.FailureReason.noClientCertificate),
        ("rogue", .untrustedCertificate),
        ("expired", .expiredCertificate),
    ])
    func refusals(certificate: String, reason: TLSSession.FailureReason) throws {
        let src = try TLSSession(context: client(certificate == "none" ? nil : certificate))
        let srs = try TLSSession(context: server())
        let steps = handshake(src, srs)
        #expect(failureReason(steps.server) == reason, "\(steps.server)")
        #expect(steps.client != .finished || failureReason(steps.server) != nil)
    }

    @Test("allowedPeerNames: a certificate carrying a listed DNS name or IP gets in, one carrying none is refused")
    func peerNames() throws {
        for (names, accepted) in [(["sbc1.example.com"], true), (["127.0.0.1"], true), (["sbc9.example.com", "10.0.0.9"], false)] {
            let srs = try TLSSession(context: server(names: names))
            let steps = handshake(try TLSSession(context: client("client")), srs)
            if accepted {
                #expect(steps.server == .finished, "names \(names)")
            } else {
                #expect(failureReason(steps.server) == .peerNameNotAllowed, "names \(names)")
            }
        }
    }

    @Test("without requireClientCertificate an SRC without a certificate gets through")
    func optionalClientCertificate() throws {
        let srs = try TLSSession(context: server(requireClient: false))
        #expect(handshake(try TLSSession(context: client(nil)), srs).server == .finished)
        #expect(srs.peerSubject.isEmpty)
    }

    @Test("an SRC that does not trust siprecd's certificate aborts, and siprecd says so")
    func refusedByPeer() throws {
        let srs = try TLSSession(context: server())
        let steps = handshake(try TLSSession(context: client("client", trusting: "rogue.pem")), srs)
        #expect(failureReason(steps.client) == .untrustedCertificate)
        #expect(failureReason(steps.server) == .certificateRefusedByPeer)
    }

    @Test("a context that cannot work names the [tls] key and file at fault")
    func contextErrors() {
        func message(_ certificate: String, _ key: String) -> String {
            do {
                _ = try TLSContext.server(.init(certificate: files.path(certificate), key: files.path(key), verifyCA: "",
                                                requirePeerCertificate: false, minimumVersion: 12))
                return "accepted"
            } catch {
                return error.message
            }
        }
        #expect(message("server.pem", "client.key").contains("tls.key \(files.path("client.key")) does not belong to the certificate"))
        #expect(message("missing.pem", "server.key").contains("cannot read it: No such file or directory"))
        #expect(message("empty.pem", "server.key").contains("no PEM certificate in it"))
        #expect(message("server.pem", "empty.pem").contains("tls.key"))
    }

    @Test("config check: an expired certificate is an error, one ending within 30 days a warning")
    func fileCheck() throws {
        var options = TLSContext.Options(certificate: files.path("expired.pem"), key: files.path("expired.key"), verifyCA: files.path("ca.pem"),
                                         requirePeerCertificate: true, minimumVersion: 12)
        let now: Int64 = 1_800_000_000   // 2027-01-15
        let expired = TLSFileCheck.check(options, now: now)
        #expect(expired.errors.count == 1)
        #expect(expired.errors.first?.contains("expired on 2021-01-01") == true)
        options.certificate = files.path("server.pem")
        options.key = files.path("server.key")
        let good = TLSFileCheck.check(options, now: now)
        #expect(good.errors.isEmpty)
        #expect(good.warnings.count == 1)   // server authentication only (see TLSOutgoingTests)
        let server = try TLSCertificateFile(path: files.path("server.pem"), key: "tls.certificate")
        let soon = TLSFileCheck.check(options, now: server.notAfter - 10 * 86_400)
        #expect(soon.errors.isEmpty)
        #expect(soon.warnings.first?.contains("expires on 2125-01-01, in 10 days") == true)
    }
}

@Suite("SIP over TLS: siprecd's own connections to an SRC")
struct TLSOutgoingTests {
    let files = TestPKI.Files()

    @Test("siprecd's own connection: allowedPeerNames refuse other certificates at the handshake; the Contact's host is checked after it")
    func contactHost() throws {
        let server = try TLSContext.server(.init(certificate: files.path("server.pem"), key: files.path("server.key"),
                                                 verifyCA: files.path("ca.pem"), requirePeerCertificate: true, minimumVersion: 12))
        func connect(host: String, names: [String]) throws -> (TLSSession.HandshakeStep, TLSSession) {
            let client = try TLSContext.client(.init(certificate: files.path("client.pem"), key: files.path("client.key"),
                                                     verifyCA: files.path("ca.pem"), requirePeerCertificate: true, minimumVersion: 12,
                                                     allowedPeerNames: names))
            let session = try TLSSession(context: client, host: host)
            let srs = try TLSSession(context: server)
            var step = TLSSession.HandshakeStep.needsMore
            for _ in 0..<10 where step == .needsMore {
                step = session.handshake()
                for (from, to) in [(session, srs), (srs, session)] {
                    var bytes = [UInt8](repeating: 0, count: max(from.pendingOutput, 1))
                    let count = bytes.withUnsafeMutableBytes { from.drain(into: $0) }
                    bytes.withUnsafeBytes { to.feed(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
                    if to === srs { _ = srs.handshake() }
                }
            }
            return (step, session)
        }
        let (step, session) = try connect(host: "10.9.9.9", names: [])
        #expect(step == .finished)
        #expect(session.peerCarries("127.0.0.1"))
        #expect(session.peerCarries("SRS.test"))
        #expect(!session.peerCarries("10.9.9.9"))
        #expect(!session.peerCarries("1234"))
        #expect(session.peerIdentity.contains("srs.test") && session.peerIdentity.contains("siprecd unit-test CA"))
        #expect(try connect(host: "10.9.9.9", names: ["srs.test"]).0 == .finished)
        if case .failed(let failure) = try connect(host: "127.0.0.1", names: ["sbc7.example.com"]).0 {
            #expect(failure.reason == .peerNameNotAllowed)
        } else {
            Issue.record("a certificate outside allowedPeerNames was accepted")
        }
    }

    @Test("config check warns when siprecd's certificate cannot serve as a client certificate")
    func clientUse() throws {
        #expect(try TLSCertificateFile(path: files.path("server.pem"), key: "tls.certificate").clientUse == false)
        #expect(try TLSCertificateFile(path: files.path("client.pem"), key: "tls.certificate").clientUse)
        let check = TLSFileCheck.check(.init(certificate: files.path("server.pem"), key: files.path("server.key"),
                                             verifyCA: files.path("ca.pem"), requirePeerCertificate: true, minimumVersion: 12),
                                       now: 1_800_000_000)
        #expect(check.errors.isEmpty)
        #expect(check.warnings.count == 1)
        #expect(check.warnings.first?.contains("server authentication only") == true)
    }
}
