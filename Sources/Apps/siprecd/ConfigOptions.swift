import SystemLayer
import ArgumentParser
import Config
import Daemon

#if canImport(Glibc)
import Glibc
#endif

/// The flags every command shares to find its configuration; each overrides the config file.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: "Configuration file (TOML). Without it, embedded defaults apply.")
    var config: String?

    @Option(name: .long, help: "SIP listen address HOST:PORT (UDP and TCP; tls: entries of the config stay). Default 127.0.0.1:5060.")
    var sip: String?

    @Option(name: .customLong("sip-tls"), help: "SIP over TLS listen address HOST:PORT (needs [tls] certificate and key). Default: none.")
    var sipTLS: String?

    @Option(name: .long, help: "REST API listen address HOST:PORT. Default 127.0.0.1:8080.")
    var api: String?

    @Option(name: .customLong("rtp-ports"), help: "RTP port range LOW-HIGH. Default 20000-29999.")
    var rtpPorts: String?

    @Option(name: .customLong("data-dir"), help: "Data directory (catalog and recordings). Default ./var.")
    var dataDir: String?

    @Option(name: .long, help: "Network interface RTP is captured on ([media] interface). Default lo.")
    var interface: String?

    /// The configuration file operator commands read on the box when no `--config` is given.
    static let systemConfig = "/etc/siprecd/siprecd.toml"

    /// The effective configuration: defaults, then the file, then `SIPRECD_<SECTION>_<KEY>` environment
    /// variables, then flags. Operator commands (`operatorCommand`) without `--config` read
    /// `$SIPRECD_CONFIG`, else /etc/siprecd/siprecd.toml when it exists, so on the box they find the daemon.
    func load(operatorCommand: Bool = false) throws -> SiprecdConfig {
        var config = SiprecdConfig.defaults
        if let path = file(operatorCommand: operatorCommand) {
            let text = try ConfigOptions.readConfigFile(path)
            do {
                config = try SiprecdConfig.parse(toml: text)
            } catch {
                // Every problem at once, as `config check` reports them, not only the first.
                let problems = SiprecdConfig.problems(toml: text)
                guard problems.count > 1 else { throw CLIError("\(path): \(error)") }
                throw CLIError(problems.map { "\(path): \($0)" }.joined(separator: "\n")
                    + "\n\(problems.count) errors in \(path) (siprecd config check \(path) lists them too)")
            }
        }
        do {
            config = try config.applyingEnvironment(ConfigOptions.environment())
        } catch {
            throw CLIError("\(error)")
        }
        if let sip {
            config.sip.listen = ListenAddress.udpAndTCP(try ConfigOptions.hostPort(sip, flag: "--sip"))
                + config.sip.listen.filter { $0.transport == .tls }
        }
        if let sipTLS {
            config.sip.listen = config.sip.listen.filter { $0.transport != .tls }
                + [ListenAddress(transport: .tls, address: try ConfigOptions.hostPort(sipTLS, flag: "--sip-tls"))]
        }
        if let api { config.api.listen = try ConfigOptions.hostPort(api, flag: "--api") }
        if let rtpPorts {
            guard let range = PortRange(parsing: rtpPorts) else {
                throw CLIError("--rtp-ports expects LOW-HIGH with ports from 1 to 65535 (e.g. 20000-29999), got '\(rtpPorts)'")
            }
            config.media.rtpPorts = range
        }
        if let interface { config.media.interface = interface }
        if let dataDir { config.storage.dataDir = dataDir }
        do {
            try config.validate()
        } catch {
            throw CLIError("\(error)")
        }
        return config
    }

    /// A config file's text, or an error that says why it cannot be had: missing, unreadable (and by whom),
    /// or not a file.
    static func readConfigFile(_ path: String) throws -> String {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let reason = errno
            if reason == ENOENT || reason == ENOTDIR {
                throw CLIError("config file \(path) does not exist (without --config, siprecd runs with its embedded defaults)")
            }
            if reason == EACCES {
                throw CLIError("cannot read config file \(path): permission denied on a folder above it (user id \(getuid()))")
            }
            throw CLIError("cannot read config file \(path): \(String(cString: strerror(reason)))")
        }
        guard info.st_mode & S_IFMT != S_IFDIR else { throw CLIError("config file \(path) is a directory, not a file") }
        guard let text = FileSystem.readText(path) else {
            let reason = errno
            if reason == EACCES {
                throw CLIError("cannot read config file \(path): permission denied for user id \(getuid()) "
                    + "(the file is mode \(String(info.st_mode & 0o777, radix: 8)), owner \(info.st_uid), group \(info.st_gid); "
                    + "the service reads it as the siprecd user: chgrp siprecd and chmod 0640 it)")
            }
            throw CLIError("cannot read config file \(path): \(String(cString: strerror(reason)))")
        }
        return text
    }

    /// `HOST:PORT` from a flag, or an error that says what is wrong with it.
    static func hostPort(_ text: String, flag: String) throws -> HostPort {
        if let address = HostPort(parsing: text) { return address }
        if let colon = text.lastIndex(of: ":") {
            let port = text[text.index(after: colon)...]
            guard !port.isEmpty, port.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw CLIError("\(flag) \(text): '\(port)' is not a port number (HOST:PORT, e.g. 127.0.0.1:5060)")
            }
            if port.count > 5 || Int(port).map({ $0 > 65535 }) ?? true {
                throw CLIError("\(flag) \(text): port \(port) is out of range (0 to 65535)")
            }
            throw CLIError("\(flag) \(text): '\(text[..<colon])' is not an IP address or host name (IPv6 as [::1]:5060)")
        }
        throw CLIError("\(flag) expects HOST:PORT (IPv6 as [::1]:5060), got '\(text)'")
    }

    /// The configuration file a command reads: `--config`; for operator commands then `$SIPRECD_CONFIG`, then
    /// /etc/siprecd/siprecd.toml when it exists; nil for the embedded defaults.
    func file(operatorCommand: Bool) -> String? {
        if let config { return config }
        guard operatorCommand else { return nil }
        if let named = getenv("SIPRECD_CONFIG").map({ String(cString: $0) }), !named.isEmpty { return named }
        return access(ConfigOptions.systemConfig, F_OK) == 0 ? ConfigOptions.systemConfig : nil
    }

    /// The process environment as (name, value) pairs.
    static func environment() -> [(String, String)] {
        var pairs: [(String, String)] = []
        var entry = environ
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            if let equals = text.firstIndex(of: "=") {
                pairs.append((String(text[..<equals]), String(text[text.index(after: equals)...])))
            }
            entry += 1
        }
        return pairs
    }
}

/// A failure the operator must fix (bad config file, unreadable catalog): printed as "Error: …", exit 1.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
