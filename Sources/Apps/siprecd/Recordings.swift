import API
import ArgumentParser
import Catalog
import Config
import JSON
import RecordingModel

#if canImport(Glibc)
import Glibc
#endif

struct Recordings: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List recordings: from the running server (control socket or API), else from the catalog file.")

    @OptionGroup var options: ConfigOptions

    @Flag(help: "Print JSON, as GET /api/v1/recordings does.")
    var json = false

    @Option(help: "Only recordings in this state: \(RecordingState.allCases.map(\.rawValue).joined(separator: ", ")).")
    var state: String?

    @Option(name: .customLong("call-key"), help: "Only recordings with this call key.")
    var callKey: String?

    @Option(name: .customLong("original-call-id"), help: "Only recordings of the call with this original Call-ID (from the metadata).")
    var originalCallId: String?

    @Option(help: "At most this many, newest first.")
    var limit: Int = 100

    @OptionGroup var tenant: TenantOption

    func validate() throws {
        if let state, let problem = RecordingState.problem(with: state) { throw ValidationError("--state: \(problem)") }
        guard limit >= 1 else { throw ValidationError("--limit must be at least 1, got \(limit)") }
    }

    func run() throws {
        let config = try options.load(operatorCommand: true)
        if try listFromServer(config) { return }
        let path = "\(config.storage.dataDir)/catalog.db"
        guard access(path, F_OK) == 0 || !json else {
            print(JSONValue.object([("recordings", .array([]))]).serialized())
            return
        }
        guard access(path, F_OK) == 0 else {
            print("(no recordings: there is no catalog at \(path); siprecd has not run with this data directory)")
            return
        }
        let catalog: RecordingCatalog
        do {
            catalog = try RecordingCatalog(path: "\(config.storage.dataDir)/catalog.db")
        } catch {
            throw CLIError("cannot open the catalog in \(config.storage.dataDir): \(error)")
        }
        let records = try catalog.recordings(limit: limit, offset: 0, filter: RecordingFilter(state: state.flatMap(RecordingState.init(rawValue:)), callKey: callKey, originalCallId: originalCallId),
                                             domain: tenant.domain)
        if json {
            print(JSONValue.object([("recordings", .array(records.map(RecordingJSON.encode)))]).serialized())
            return
        }
        let header = Recordings.header
        let rows = records.map { r in
            [r.recordingId, r.state.rawValue, r.calledParty, r.domain, r.callKey ?? "-", WallClock.iso8601(r.startTime),
             r.endTime.map { Recordings.duration($0 - r.startTime) } ?? "-", r.warnings.map(\.rawValue).joined(separator: ",")]
        }
        Recordings.printTable(header: header, rows: rows)
        if records.isEmpty { print("(no recordings)") }
    }

    /// Lists through the running daemon; false when it does not answer (then the catalog file is read).
    func listFromServer(_ config: SiprecdConfig) throws -> Bool {
        var query = "limit=\(max(1, limit))"
        if let state { query += "&state=\(Recordings.percentEncoded(state))" }
        if let callKey { query += "&callKey=\(Recordings.percentEncoded(callKey))" }
        if let originalCallId { query += "&originalCallId=\(Recordings.percentEncoded(originalCallId))" }
        if let item = tenant.queryItem { query += "&\(item)" }
        guard let response = ServerProbe(config: config).get("/api/v1/recordings?\(query)"), response.status != 401 else { return false }
        guard response.status == 200, let document = try? JSONValue.parse(response.body), case .array(let items)? = document["recordings"] else {
            throw CLIError("the server answered HTTP \(response.status): \(response.body.prefix(200))")
        }
        if json {
            print(document.serialized())
            return true
        }
        let rows = items.map { item -> [String] in
            func text(_ key: String) -> String { item[key]?.stringValue ?? "-" }
            var duration = "-"
            if case .int(let ms)? = item["durationMs"] { duration = Recordings.duration(ms) }
            var warnings = ""
            if case .array(let list)? = item["warnings"] { warnings = list.compactMap(\.stringValue).joined(separator: ",") }
            return [text("recordingId"), text("state"), text("calledParty"), text("domain"), text("callKey"), text("startTime"), duration, warnings]
        }
        Recordings.printTable(header: Recordings.header, rows: rows)
        if items.isEmpty { print("(no recordings)") }
        return true
    }

    static let header = ["RECORDING ID", "STATE", "CALLED PARTY", "DOMAIN", "CALL KEY", "START (UTC)", "DURATION", "WARNINGS"]

    static func percentEncoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            if (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || "-._~".utf8.contains(byte) {
                out.append(Character(UnicodeScalar(byte)))
            } else {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(2)
            }
        }
        return out
    }

    static func duration(_ ms: Int64) -> String {
        let s = ms / 1000
        return "\(s / 3600):\(pad(s / 60 % 60)):\(pad(s % 60)).\(ms % 1000 / 100)"
    }

    static func pad(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }

    /// Prints a table for a terminal: every cell escaped (Call-IDs and names come from the network).
    static func printTable(header: [String], rows unsafe: [[String]]) {
        let rows = unsafe.map { $0.map(DisplayText.escaped) }
        let widths = header.indices.map { i in ([header] + rows).map { $0[i].count }.max() ?? 0 }
        for row in [header] + rows {
            print(row.enumerated().map { i, cell in cell + String(repeating: " ", count: widths[i] - cell.count) }
                .joined(separator: "  "))
        }
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
