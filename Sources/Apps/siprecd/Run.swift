import ArgumentParser
import Daemon
import Logging
import Systemd

#if canImport(Glibc)
import Glibc
#endif

/// getenv(3), without Foundation.
enum ProcessInfoLite {
    static func environment(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }
}

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the recording server (SIP, RTP capture, encoders, REST API).")

    @OptionGroup var options: ConfigOptions

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else {
            let levels = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("--log-level '\(logLevel)' is not a level: one of \(levels)")
        }
    }

    func run() async throws {
        let config = try options.load()
        let level = Logger.Level(rawValue: logLevel) ?? .info
        // Under systemd (JOURNAL_STREAM is set) entries go to journald with structured fields; otherwise
        // plain lines on stderr. SIPRECD_JOURNAL_SOCKET names another socket (tests).
        let journalPath = ProcessInfoLite.environment("SIPRECD_JOURNAL_SOCKET")
            ?? (ProcessInfoLite.environment("JOURNAL_STREAM") != nil ? "/run/systemd/journal/socket" : nil)
        let sink = journalPath.flatMap { JournalSink(path: $0) }
        // Either way, warnings and errors are also kept for `siprecd status` (last errors).
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler = sink.map { JournalLogHandler(label: label, sink: $0) }
                ?? StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return ProblemTrackingLogHandler(wrapping: handler)
        }
        let logger = Logger(label: "siprecd")
        for warning in config.warnings { logger.warning("\(warning)") }
        if let sink {
            // A burst of repeats that simply stops is still counted, and entries dropped while journald was
            // behind are counted as soon as it reads again.
            Task.detached {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(1))
                    sink.flushPending()
                }
            }
        }
        do {
            try await Daemon.run(config: config, logger: logger, reload: { [options] in try options.load() })
        } catch {
            logger.critical("siprecd cannot run: \(error)")
            throw ExitCode(1)
        }
    }
}
