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

    @Option(name: .long, help: "SIP listen address HOST:PORT (UDP and TCP). Default 127.0.0.1:5060.")
    var sip: String?

    @Option(name: .long, help: "REST API listen address HOST:PORT. Default 127.0.0.1:8080.")
    var api: String?

    @Option(name: .customLong("rtp-ports"), help: "RTP port range LOW-HIGH. Default 20000-29999.")
    var rtpPorts: String?

    @Option(name: .customLong("data-dir"), help: "Data directory (catalog and recordings). Default ./var.")
    var dataDir: String?

    /// The configuration file operator commands read on the box when no `--config` is given.
    static let systemConfig = "/etc/siprecd/siprecd.toml"

    /// The effective configuration: defaults, then the file, then `SIPRECD_<SECTION>_<KEY>` environment
    /// variables, then flags. Operator commands (`operatorCommand`) without `--config` read
    /// `$SIPRECD_CONFIG`, else /etc/siprecd/siprecd.toml when it exists, so on the box they find the daemon.
    func load(operatorCommand: Bool = false) throws -> SiprecdConfig {
        var config = SiprecdConfig.defaults
        if let path = file(operatorCommand: operatorCommand) {
            guard let text = FileSystem.readText(path) else { throw CLIError("cannot read config file \(path)") }
            do {
                config = try SiprecdConfig.parse(toml: text)
            } catch {
                throw CLIError("\(path): \(error)")
            }
        }
        do {
            config = try config.applyingEnvironment(ConfigOptions.environment())
        } catch {
            throw CLIError("\(error)")
        }
        if let sip {
            guard let address = HostPort(parsing: sip) else { throw ValidationError("--sip expects HOST:PORT, got '\(sip)'") }
            config.sip.listen = ListenAddress.udpAndTCP(address)
        }
        if let api {
            guard let address = HostPort(parsing: api) else { throw ValidationError("--api expects HOST:PORT, got '\(api)'") }
            config.api.listen = address
        }
        if let rtpPorts {
            guard let range = PortRange(parsing: rtpPorts) else { throw ValidationError("--rtp-ports expects LOW-HIGH, got '\(rtpPorts)'") }
            config.media.rtpPorts = range
        }
        if let dataDir { config.storage.dataDir = dataDir }
        do {
            try config.validate()
        } catch {
            throw CLIError("\(error)")
        }
        return config
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
