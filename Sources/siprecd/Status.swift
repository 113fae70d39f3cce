import ArgumentParser
import JSON

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Ask the running server how it is: health, active recordings, SIP and capture counters.")

    @OptionGroup var options: ConfigOptions

    func run() throws {
        let config = try options.load()
        guard let health = ServerProbe.get(config.api.listen, path: "/healthz") else {
            throw CLIError("siprecd is not answering on \(config.api.listen) (is it running? see `systemctl status siprecd`)")
        }
        let document = (try? JSONValue.parse(health.body)) ?? .object([])
        print("siprecd \(document["version"]?.stringValue ?? "?") on \(config.api.listen): \(document["status"]?.stringValue ?? "HTTP \(health.status)")")
        if case .int(let active)? = document["activeRecordings"] { print("active recordings: \(active)") }
        if case .int(let dialogs)? = document["sipDialogs"] { print("SIP dialogs: \(dialogs)") }
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
