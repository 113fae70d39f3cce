import ArgumentParser
import JSON
import RecordingModel

/// `siprecd calls`: the calls being recorded now, from the running server.
struct Calls: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the calls being recorded now (recording or paused), from the running server.")

    @OptionGroup var options: ConfigOptions

    @Flag(help: "Print JSON ({\"calls\": [recording…]}).")
    var json = false

    @OptionGroup var tenant: TenantOption

    func run() throws {
        let config = try options.load(operatorCommand: true)
        let server = ServerProbe(config: config)
        var live: [JSONValue] = []
        for state in [RecordingState.recording, .paused] {
            guard let response = server.get(tenant.path("/api/v1/recordings?state=\(state)&limit=1000")) else { throw server.notAnswering }
            if response.status == 401 {
                throw CLIError("the API wants credentials: run as a user who may open \(config.controlSocketPath ?? "the control socket"), or set SIPRECD_TOKEN")
            }
            guard response.status == 200, case .array(let items)? = (try? JSONValue.parse(response.body))?["recordings"] else {
                throw CLIError("the API answered HTTP \(response.status): \(response.body.prefix(200))")
            }
            live += items
        }
        if json {
            print(JSONValue.object([("calls", .array(live))]).serialized())
            return
        }
        let rows = live.map { call -> [String] in
            func text(_ key: String) -> String { call[key]?.stringValue ?? "-" }
            return [text("recordingId"), text("indicator"), text("calledParty"), text("domain"), text("callKey"),
                    text("sipRecCallId"), text("startTime")]
        }
        Recordings.printTable(header: ["RECORDING ID", "STATE", "CALLED PARTY", "DOMAIN", "CALL KEY", "SIP CALL-ID", "START (UTC)"],
                              rows: rows)
        if live.isEmpty { print("(no calls being recorded)") }
    }
}
