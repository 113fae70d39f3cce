import SystemLayer
import ArgumentParser
import API
import Catalog
import Config
import Daemon
import Recorder
import JSON
import Logging
import MediaCore
import Pipeline

struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Turn a capture file (pcap or pcapng) into recordings, as live capture would, at full speed.",
        discussion: """
        SIP is followed passively (UDP, TCP, IPv4 fragments); SIPREC sessions and plain SIP calls are recorded.
        The master WAV and MP3 files and a catalog (catalog.db) are written under --out; list them with
        `siprecd recordings --data-dir DIR`.
        """)

    @Argument(help: "The capture file.")
    var file: String

    @Option(name: .long, help: "Output directory for recordings and catalog.")
    var out: String = "./replay"

    @OptionGroup var options: ConfigOptions

    @Flag(help: "Print the recordings made as JSON.")
    var json = false

    func run() throws {
        var config = try options.load()
        config.storage.dataDir = out
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .warning
            return handler
        }
        let logger = Logger(label: "siprecd.replay")
        do {
            try FileSystem.makeDirectories(out)
        } catch {
            throw CLIError("\(error)")
        }
        let catalog: RecordingCatalog
        do {
            catalog = try RecordingCatalog(path: "\(out)/catalog.db")
        } catch {
            throw CLIError("cannot open the catalog in \(out): \(error)")
        }
        let runner = ReplayRunner(settings: RecordingSettings.forReplay(config), catalog: catalog, logger: logger)
        let summary: ReplaySummary
        do {
            summary = try runner.run(path: file)
        } catch {
            throw CLIError("\(error)")
        }
        if json {
            // sipOverTLS: connections whose sessions could not be read (their pairs as "client → server").
            print(JSONValue.object([
                ("recordings", .array(summary.recordings.map(RecordingJSON.encode))),
                ("sipOverTLS", .object([("connections", .int(Int64(summary.tlsConnections))), ("pairs", .array(summary.tlsPairs.map { .string($0) }))])),
            ]).serialized())
            return
        }
        print("\(file): \(summary.frames) frames, \(summary.sipMessages) SIP messages, \(summary.rtpPackets) RTP packets recorded")
        for (callID, reason) in summary.ignoredCalls { print("  not recorded: \(callID): \(reason)") }
        if summary.tlsConnections > 0 {
            print("  not recorded: \(summary.tlsConnections) SIP/TLS connection\(summary.tlsConnections == 1 ? "" : "s") (\(summary.tlsPairs.joined(separator: ", "))): "
                + "SIP over TLS cannot be read from a capture, so neither its sessions nor the SDES keys of their SRTP are visible; record such calls with siprecd as their SRS")
        }
        for r in summary.recordings {
            let seconds = Double((r.endTime ?? r.startTime) - r.startTime) / 1000
            print("  \(r.recordingId)  \(r.state)  \(seconds) s  \(r.masterPath ?? "-")  \(r.mp3Path ?? "-")\(r.reason.map { "  (\($0))" } ?? "")")
        }
        if summary.recordings.isEmpty { print(summary.tlsConnections > 0 ? "  no readable call in the capture" : "  no call found in the capture") }
    }
}
