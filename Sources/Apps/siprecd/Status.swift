import ArgumentParser
import JSON

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Ask the running server how it is: uptime, calls, capture and drops, disk, last errors, counters.",
        discussion: """
            Talks to the running siprecd over its control socket ([api] controlSocket), or over the API port \
            with SIPRECD_TOKEN (bearer) or SIPRECD_BASIC_AUTH (user:password) when the API wants credentials.
            """)

    @OptionGroup var options: ConfigOptions

    @Flag(help: "Print the status document and the counters as JSON.")
    var json = false

    @OptionGroup var tenant: TenantOption

    func run() throws {
        let config = try options.load(operatorCommand: true)
        let server = ServerProbe(config: config)
        guard let answer = server.get(tenant.path("/api/v1/status")) else { throw server.notAnswering }
        if answer.status == 403 || answer.status == 400 {
            throw CLIError("the API answered HTTP \(answer.status): \(DisplayText.escaped(String(answer.body.prefix(300))))")
        }
        // Without the control socket or credentials only the public health document can be read.
        let full = answer.status == 200
        let body = full ? answer.body : server.get("/healthz")?.body ?? "{}"
        let document = (try? JSONValue.parse(body)) ?? .object([])
        var counters: [(String, JSONValue)] = []
        // The counters are box-wide: not shown for one tenant.
        if tenant.domain == nil, let metrics = server.get("/metrics"), metrics.status == 200 {
            for line in metrics.body.split(separator: "\n") where !line.hasPrefix("#") {
                let parts = line.split(separator: " ")
                if parts.count == 2, let value = Int64(parts[1]) { counters.append((String(parts[0]), .int(value))) }
            }
        }
        if json {
            print(JSONValue.object([("status", document), ("counters", .object(counters))]).serialized())
            return
        }
        print("siprecd\(document["version"]?.stringValue.map { " " + $0 } ?? "") via \(server.via): \(document["status"]?.stringValue ?? "HTTP \(answer.status)")")
        if let domain = document["domain"]?.stringValue { print("tenant:            \(DisplayText.escaped(domain)) (its calls and problems only)") }
        if case .int(let uptime)? = document["uptimeSeconds"] { print("uptime:            \(uptime / 86400)d \(uptime / 3600 % 24)h \(uptime / 60 % 60)m \(uptime % 60)s") }
        if case .int(let active)? = document["activeRecordings"] { print("active recordings: \(active)") }
        if case .int(let dialogs)? = document["sipDialogs"] { print("SIP dialogs:       \(dialogs)") }
        if let capture = document["capture"]?.stringValue { print("capture:           \(capture)") }
        if case .object(let drops)? = document["drops"] {
            print("drops:             " + drops.map { "\($0.0) \($0.1.serialized())" }.joined(separator: ", "))
        }
        if case .int(let free)? = document["disk"]?["freeBytes"] {
            print("disk:              \(free / 1_000_000) MB free\(document["disk"]?["low"] == .bool(true) ? " (below minFree: new calls refused)" : "")")
        }
        if case .array(let problems)? = document["lastErrors"] {
            print(problems.isEmpty ? "last errors:       none" : "last errors (newest first):")
            for problem in problems.prefix(10) {
                let count = problem["count"].flatMap { if case .int(let n) = $0, n > 1 { return " (×\(n))" } else { return nil } } ?? ""
                var fields = ""
                if case .object(let pairs)? = problem["fields"], !pairs.isEmpty {
                    fields = "  [" + pairs.map { "\($0.0)=\($0.1.stringValue ?? $0.1.serialized())" }.joined(separator: " ") + "]"
                }
                // Messages and fields may carry network text: escaped for the terminal (`--json` is exact).
                print(DisplayText.escaped("  \(problem["time"]?.stringValue ?? "?")  \(problem["level"]?.stringValue ?? "?")  \(problem["message"]?.stringValue ?? "")\(count)\(fields)"))
            }
        } else if !full {
            print("last errors:       (need the control socket or SIPRECD_TOKEN: the API answered HTTP \(answer.status))")
        }
        guard !counters.isEmpty else { return }
        print("counters:")
        for (name, value) in counters {
            print("  \(name.replacingPrefix("siprecd_"))  \(value.serialized())")
        }
    }
}

extension JSONValue {
    var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }
}

extension String {
    func replacingPrefix(_ prefix: String) -> Substring {
        hasPrefix(prefix) ? dropFirst(prefix.count) : self[...]
    }
}
