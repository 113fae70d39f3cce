import ArgumentParser
import Daemon

/// `siprecd`: the SIPREC recording server and its operator commands.
@main
struct Siprecd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "siprecd",
        abstract: "SIPREC (RFC 7866) call recording server.",
        version: SiprecdVersion.string,
        subcommands: [Run.self, Replay.self, Recordings.self, Calls.self, Status.self, Doctor.self, Monitor.self, Play.self, ConfigCommand.self, Decrypt.self],
        defaultSubcommand: nil)
}
