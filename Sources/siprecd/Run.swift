import ArgumentParser
import Daemon
import Logging

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the recording server (SIP, RTP capture, encoders, REST API).")

    @OptionGroup var options: ConfigOptions

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    func run() async throws {
        let config = try options.load()
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = Logger.Level(rawValue: logLevel) ?? .info
            return handler
        }
        let logger = Logger(label: "siprecd")
        do {
            try await Daemon.run(config: config, logger: logger)
        } catch {
            logger.critical("siprecd cannot run: \(error)")
            throw ExitCode(1)
        }
    }
}
