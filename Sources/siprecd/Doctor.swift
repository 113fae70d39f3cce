import ArgumentParser
import Capture
import Config
import Daemon

#if canImport(Glibc)
import Glibc
#endif

/// `siprecd doctor`: what a field technician checks first, each line OK / WARN / FAIL with the reason.
struct Doctor: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the configuration, data directory, disk space, capture rights and the running server.")

    @OptionGroup var options: ConfigOptions

    func run() throws {
        var failures = 0
        func report(_ level: String, _ what: String, _ detail: String) {
            if level == "FAIL" { failures += 1 }
            print("\(level.padding(4))  \(what.padding(18))  \(detail)")
        }
        let config: SiprecdConfig
        do {
            config = try options.load()
            report("OK", "configuration", options.config ?? "embedded defaults")
        } catch {
            report("FAIL", "configuration", "\(error)")
            throw ExitCode(1)
        }
        let dataDir = config.storage.dataDir
        if access(dataDir, W_OK) == 0 {
            report("OK", "data directory", "\(dataDir) is writable")
        } else if access(dataDir, F_OK) != 0 {
            report("WARN", "data directory", "\(dataDir) does not exist yet (siprecd run creates it)")
        } else {
            report("FAIL", "data directory", "\(dataDir) is not writable by this user")
        }
        let probe = access(dataDir, F_OK) == 0 ? dataDir : "."
        if let free = FileSystem.freeBytes(probe) {
            let line = "\(free / 1_000_000) MB free, minFree \(config.storage.minFree / 1_000_000) MB"
            report(free >= config.storage.minFree ? "OK" : "FAIL", "disk space", line)
        }
        let (canCapture, reason) = CaptureCapabilities.canCapture()
        switch (config.media.capture, canCapture) {
        case (.pcap, true): report("OK", "capture", "pcap on \(config.media.interface) (\(reason))")
        case (.pcap, false): report("WARN", "capture", "pcap asked for but \(reason): RTP will be read from sockets")
        case (.socket, _): report("OK", "capture", "socket (pcap \(canCapture ? "would be possible" : "not possible: \(reason)"))")
        }
        if let health = ServerProbe.get(config.api.listen, path: "/healthz") {
            report(health.status == 200 ? "OK" : "FAIL", "server", "answering on \(config.api.listen) (HTTP \(health.status))")
        } else {
            report("WARN", "server", "not answering on \(config.api.listen)")
        }
        if failures > 0 { throw ExitCode(1) }
    }
}

extension String {
    func padding(_ width: Int) -> String { self + String(repeating: " ", count: max(0, width - count)) }
}
