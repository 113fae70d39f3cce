import ArgumentParser
import JSON

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Ask the running server how it is: health, active recordings, SIP and capture counters.")

    @OptionGroup var options: ConfigOptions

    @Flag(help: "Print the health document and the counters as JSON.")
    var json = false

    func run() throws {
        let config = try options.load()
        guard let health = ServerProbe.get(config.api.listen, path: "/healthz") else {
            throw CLIError("siprecd is not answering on \(config.api.listen) (is it running? see `systemctl status siprecd`)")
        }
        let document = (try? JSONValue.parse(health.body)) ?? .object([])
        if json {
            var counters: [(String, JSONValue)] = []
            if let metrics = ServerProbe.get(config.api.listen, path: "/metrics"), metrics.status == 200 {
                for line in metrics.body.split(separator: "\n") where !line.hasPrefix("#") {
                    let parts = line.split(separator: " ")
                    if parts.count == 2, let value = Int64(parts[1]) { counters.append((String(parts[0]), .int(value))) }
                }
            }
            print(JSONValue.object([("health", document), ("counters", .object(counters))]).serialized())
            return
        }
        print("siprecd \(document["version"]?.stringValue ?? "?") on \(config.api.listen): \(document["status"]?.stringValue ?? "HTTP \(health.status)")")
        if case .int(let active)? = document["activeRecordings"] { print("active recordings: \(active)") }
        if case .int(let dialogs)? = document["sipDialogs"] { print("SIP dialogs: \(dialogs)") }
        if case .int(let uptime)? = document["uptimeSeconds"] { print("uptime: \(uptime / 86400)d \(uptime / 3600 % 24)h \(uptime / 60 % 60)m") }
        if let capture = document["capture"]?.stringValue { print("capture: \(capture)") }
        if case .int(let free)? = document["disk"]?["freeBytes"] {
            print("disk: \(free / 1_000_000) MB free\(document["disk"]?["low"] == .bool(true) ? " (below minFree: new calls refused)" : "")")
        }
        guard let metrics = ServerProbe.get(config.api.listen, path: "/metrics"), metrics.status == 200 else { return }
        print("counters:")
        for line in metrics.body.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ")
            guard parts.count == 2 else { continue }
            print("  \(parts[0].replacingPrefix("siprecd_"))  \(parts[1])")
        }
    }
}

extension JSONValue {
    var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }
}

extension Substring {
    func replacingPrefix(_ prefix: String) -> Substring {
        hasPrefix(prefix) ? dropFirst(prefix.count) : self
    }
}
