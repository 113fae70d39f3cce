import SystemLayer
import ArgumentParser
import Capture
import Config
import Daemon
import JSON

#if canImport(Glibc)
import Glibc
#endif

/// `siprecd doctor`: what a field technician checks first, each line OK / WARN / FAIL with the reason.
struct Doctor: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check configuration, data directory and disk, capture rights and interface, ports, clock, webhooks, audio and the running server.",
        discussion: "Exit status 1 when any check FAILs. With the server running, its ports are reported as held by it.")

    @OptionGroup var options: ConfigOptions

    @Flag(help: "Print the checks as JSON ({\"checks\": [{check, level, detail}], \"failures\": N}).")
    var json = false

    func run() throws {
        var findings: [(check: String, level: DoctorChecks.Level, detail: String)] = []
        func report(_ level: DoctorChecks.Level, _ check: String, _ detail: String) {
            findings.append((check, level, detail))
            if !json { print("\(level.rawValue.padding(4))  \(check.padding(15))  \(detail)") }
        }
        func report(_ check: String, _ finding: DoctorChecks.Finding) { report(finding.level, check, finding.detail) }
        defer {
            if json {
                print(JSONValue.object([
                    ("checks", .array(findings.map { .object([("check", .string($0.check)), ("level", .string($0.level.rawValue)), ("detail", .string($0.detail))]) })),
                    ("failures", .int(Int64(findings.count { $0.level == .fail }))),
                ]).serialized())
            }
        }
        let config: SiprecdConfig
        do {
            config = try options.load(operatorCommand: true)
            report(.ok, "configuration", options.file(operatorCommand: true) ?? "embedded defaults")
        } catch {
            report(.fail, "configuration", "\(error)")
            throw ExitCode(1)
        }
        let server = ServerProbe(config: config)
        let health = server.get("/healthz")

        let dataDir = config.storage.dataDir
        let dataDirExists = access(dataDir, F_OK) == 0
        if access(dataDir, W_OK) == 0 {
            report(.ok, "data directory", "\(dataDir) is writable")
            report("disk write", DoctorChecks.diskWrite(dataDir))
        } else if !dataDirExists {
            report(.warn, "data directory", "\(dataDir) does not exist yet (siprecd run creates it)")
        } else {
            report(.fail, "data directory", "\(dataDir) is not writable by this user (run doctor as root or the siprecd user)")
        }
        if let free = FileSystem.freeBytes(dataDirExists ? dataDir : ".") {
            let line = "\(free / 1_000_000) MB free, minFree \(config.storage.minFree / 1_000_000) MB"
            report(free >= config.storage.minFree ? .ok : .fail, "disk space", line)
        }

        let (canCapture, reason) = CaptureCapabilities.canCapture()
        switch (config.media.capture, canCapture) {
        case (.pcap, true): report(.ok, "capture", "pcap on \(config.media.interface) (\(reason))")
        case (.pcap, false): report(.warn, "capture", "pcap asked for but \(reason): RTP will be read from sockets")
        case (.socket, _): report(.ok, "capture", "socket (pcap \(canCapture ? "would be possible" : "not possible: \(reason)"))")
        }
        if config.media.capture == .pcap || config.sip.mode == .passive {
            let index = if_nametoindex(config.media.interface)
            report(index != 0 ? .ok : .fail, "interface",
                   index != 0 ? "\(config.media.interface) exists (index \(index))" : "\(config.media.interface) does not exist on this box (ip link)")
        }

        if health != nil {
            report(.ok, "ports", "held by the running siprecd (SIP \(config.sip.listen.map(\.description).joined(separator: ", ")), API \(config.api.listen))")
        } else {
            report("ports", DoctorChecks.ports(config))
        }
        report("clock", DoctorChecks.clock("\(dataDir)/catalog.db", buildYear: SiprecdVersion.year))
        if config.sip.mode == .active, config.sip.listen.contains(where: { $0.transport == .tls }) {
            report("TLS", DoctorChecks.tls(config))
        }
        let webhooks = config.webhooks
        if webhooks.base.isEmpty && webhooks.alarms.isEmpty {
            report(.ok, "webhooks", "none configured (events on /api/v1/events only)")
        } else {
            if !webhooks.base.isEmpty { report("webhooks", DoctorChecks.webhook(webhooks.base)) }
            if !webhooks.alarmsURL.isEmpty, webhooks.alarmsURL != webhooks.base { report("alarm webhook", DoctorChecks.webhook(webhooks.alarmsURL)) }
        }
        report("audio", DoctorChecks.audio(config.audio.device))

        if let health {
            report(health.status == 200 ? .ok : .fail, "server",
                   "answering via \(server.via) (HTTP \(health.status)\(health.status == 503 ? ": low disk, new calls refused" : ""))")
        } else {
            report(.warn, "server", "not answering on \(server.via)")
        }
        if findings.contains(where: { $0.level == .fail }) { throw ExitCode(1) }
    }
}

extension String {
    func padding(_ width: Int) -> String { self + String(repeating: " ", count: max(0, width - count)) }
}
