import API
import ArgumentParser
import Catalog
import JSON

#if canImport(Glibc)
import Glibc
#endif

struct Recordings: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List recordings from the catalog (works whether or not the server runs).")

    @OptionGroup var options: ConfigOptions

    @Flag(help: "Print JSON, as GET /api/v1/recordings does.")
    var json = false

    @Option(help: "Only recordings in this state (recording, paused, ready, failed, …).")
    var state: String?

    @Option(name: .customLong("call-key"), help: "Only recordings with this call key.")
    var callKey: String?

    @Option(help: "At most this many, newest first.")
    var limit: Int = 100

    func run() throws {
        let config = try options.load(operatorCommand: true)
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
        let records = try catalog.recordings(limit: limit, offset: 0, state: state, callKey: callKey)
        if json {
            print(JSONValue.object([("recordings", .array(records.map(RecordingJSON.encode)))]).serialized())
            return
        }
        let header = ["RECORDING ID", "STATE", "CALLED PARTY", "DOMAIN", "CALL KEY", "START (UTC)", "DURATION", "WARNINGS"]
        let rows = records.map { r in
            [r.recordingId, r.state, r.calledParty, r.domain, r.callKey ?? "-", WallClock.iso8601(r.startTime),
             r.endTime.map { Recordings.duration($0 - r.startTime) } ?? "-", r.warnings.joined(separator: ",")]
        }
        Recordings.printTable(header: header, rows: rows)
        if records.isEmpty { print("(no recordings)") }
    }

    static func duration(_ ms: Int64) -> String {
        let s = ms / 1000
        return "\(s / 3600):\(pad(s / 60 % 60)):\(pad(s % 60)).\(ms % 1000 / 100)"
    }

    static func pad(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }

    static func printTable(header: [String], rows: [[String]]) {
        let widths = header.indices.map { i in ([header] + rows).map { $0[i].count }.max() ?? 0 }
        for row in [header] + rows {
            print(row.enumerated().map { i, cell in cell + String(repeating: " ", count: widths[i] - cell.count) }
                .joined(separator: "  "))
        }
    }
}
