import Catalog
import Config
import Daemon
import LibCrypto
import HTTPClient
import JSON
import ListenIn
import Systemd
import SystemLayer

#if canImport(Glibc)
import Glibc
#endif

/// The individual checks of `siprecd doctor`; each returns a level and one line a technician can act on.
enum DoctorChecks {
    enum Level: String { case ok = "OK", warn = "WARN", fail = "FAIL" }
    typealias Finding = (level: Level, detail: String)

    /// Whether HOST:PORT can be bound now for `transport` (nil when it can, else the reason).
    static func bindProblem(_ address: HostPort, tcp: Bool) -> String? {
        var hints = addrinfo()
        hints.ai_flags = AI_PASSIVE | AI_NUMERICHOST
        hints.ai_socktype = Int32(tcp ? SOCK_STREAM.rawValue : SOCK_DGRAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(address.host, String(address.port), &hints, &result) == 0, let info = result else {
            return "\(address.host) is not a local address"
        }
        defer { freeaddrinfo(result) }
        let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, 0)
        guard fd >= 0 else { return "socket: \(String(cString: strerror(errno)))" }
        defer { close(fd) }
        var one: Int32 = 1
        if tcp { setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size)) }
        guard bind(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 else {
            switch errno {
            case EADDRINUSE: return "in use by another program (ss -lnp 'sport = :\(address.port)')"
            case EACCES: return "permission denied (ports below 1024 need CAP_NET_BIND_SERVICE)"
            case EADDRNOTAVAIL: return "\(address.host) is not an address of this box"
            default: return String(cString: strerror(errno))
            }
        }
        return nil
    }

    /// SIP, API and the ends of the RTP range, when the server is not running and should be able to take them.
    static func ports(_ config: SiprecdConfig) -> Finding {
        var problems: [String] = []
        for listen in config.sip.listen {
            if let problem = bindProblem(listen.address, tcp: listen.transport != .udp) { problems.append("SIP \(listen): \(problem)") }
        }
        if let problem = bindProblem(config.api.listen, tcp: true) { problems.append("API \(config.api.listen): \(problem)") }
        for port in [config.media.rtpPorts.low, config.media.rtpPorts.high] {
            let address = HostPort(host: config.sip.listen.first?.address.host ?? "0.0.0.0", port: port)
            if let problem = bindProblem(address, tcp: false) { problems.append("RTP udp:\(address): \(problem)") }
        }
        if problems.isEmpty {
            return (.ok, "free: SIP \(config.sip.listen.map(\.description).joined(separator: ", ")), API \(config.api.listen), RTP \(config.media.rtpPorts)")
        }
        return (.fail, problems.joined(separator: "; "))
    }

    /// The `[tls]` files as the daemon loads them: readable, the key the certificate's, dates (a warning
    /// 30 days before one ends).
    static func tls(_ config: SiprecdConfig) -> Finding {
        let check = TLSFileCheck.check(SIPTLSSetup.serverOptions(config.tls), now: Int64(time(nil)))
        if !check.errors.isEmpty { return (.fail, check.errors.joined(separator: "; ")) }
        if !check.warnings.isEmpty { return (.warn, check.warnings.joined(separator: "; ")) }
        let certificate = try? TLSCertificateFile(path: config.tls.certificate, key: "tls.certificate")
        return (.ok, "\(config.tls.certificate) (\(certificate?.subject ?? "?")) valid until \(certificate.map { TLSCertificateFile.date($0.notAfter) } ?? "?")"
            + (config.tls.requireClientCertificate ? "; SRCs need a certificate from \(config.tls.clientCA)" : "; client certificates optional"))
    }

    /// Writes, syncs, reads back and removes 4 MB in the data directory.
    static func diskWrite(_ dataDir: String) -> Finding {
        let path = "\(dataDir)/.doctor-\(getpid())"
        let size = 4 << 20
        var block = [UInt8](repeating: 0, count: 65_536)
        for i in block.indices { block[i] = UInt8(truncatingIfNeeded: i &* 31 &+ 7) }
        let started = monotonicMillis()
        let fd = open(path, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return (.fail, "cannot create a file in \(dataDir): \(String(cString: strerror(errno)))") }
        defer { close(fd); unlink(path) }
        var written = 0
        while written < size {
            do {
                try FileIO.writeAll(fd, block)
            } catch {
                return (.fail, "writing \(dataDir): \(error)")
            }
            written += block.count
        }
        guard fsync(fd) == 0 else { return (.fail, "fsync in \(dataDir): \(String(cString: strerror(errno)))") }
        let elapsed = max(1, monotonicMillis() - started)
        var back = [UInt8](repeating: 0, count: block.count)
        var offset = 0
        while offset < size {
            let n = (try? FileIO.readFully(fd, into: &back, at: Int64(offset))) ?? -1
            guard n == back.count, back == block else { return (.fail, "read back from \(dataDir) differs from what was written at byte \(offset)") }
            offset += n
        }
        return (.ok, "wrote, synced and read back 4 MB in \(elapsed) ms (\(size / 1000 / elapsed) MB/s)")
    }

    /// The wall clock: not before this release was built, synchronised by NTP, not behind the newest recording.
    static func clock(_ catalogPath: String, buildYear: Int) -> Finding {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let nowMillis = Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
        var broken = tm()
        var seconds = now.tv_sec
        gmtime_r(&seconds, &broken)
        let year = Int(broken.tm_year) + 1900
        if year < buildYear {
            return (.fail, "the clock says \(year), before this release was built (\(buildYear)): set it (timedatectl, or an RTC) or recordings get wrong times")
        }
        if access(catalogPath, R_OK) == 0, let catalog = try? RecordingCatalog(path: catalogPath),
           let newest = try? catalog.recordings(limit: 1).first, newest.startTime > nowMillis + 60_000 {
            return (.fail, "the clock is \((newest.startTime - nowMillis) / 1000) s behind the newest recording's start: it was stepped back")
        }
        let state = ClockStatus.query()
        if !state.synchronized {
            return (.warn, "\(WallClock.iso8601(nowMillis)), but not synchronised by NTP (timedatectl status; systemd-timesyncd or chrony)")
        }
        return (.ok, "\(WallClock.iso8601(nowMillis)), synchronised (max error \(state.maxErrorMicros / 1000) ms)")
    }

    /// An HTTP request to a webhook URL: any answer shows it is reachable.
    static func webhook(_ url: String) -> Finding {
        guard let target = BlockingHTTP.Target(url: url) else { return (.fail, "\(url) is not an http:// URL") }
        do {
            let response = try BlockingHTTP.request(method: "GET", target: target, timeoutMillis: 3_000)
            return (.ok, "\(url) answers (HTTP \(response.status) to a GET)")
        } catch {
            return (.fail, "\(url): \(error)")
        }
    }

    static func audio(_ device: String) -> Finding {
        switch PCMOutput.probe(device: device) {
        case .success: return (.ok, "ALSA '\(device)' opens for playback (siprecd monitor / play)")
        case .failure(let error): return (.warn, "\(error): siprecd monitor and play will not work; recording is not affected")
        }
    }

    static func monotonicMillis() -> Int {
        Int(monotonicNanos() / 1_000_000)
    }
}
