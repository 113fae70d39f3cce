import ArgumentParser
import Config
import Daemon
import LibCrypto

#if canImport(Glibc)
import Glibc
#endif

struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Check or show the effective configuration.",
        subcommands: [Check.self, Show.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate a configuration: every error with its line and key; exit 1 if there is one.",
            discussion: "siprecd config check /etc/siprecd/siprecd.toml (or --config FILE). Environment overrides and flags are checked too.")
        @OptionGroup var options: ConfigOptions
        @Argument(help: "The configuration file (same as --config).") var file: String?

        func run() throws {
            var options = options
            if let file { options.config = file }
            if let path = options.config {
                let text = try ConfigOptions.readConfigFile(path)
                let problems = SiprecdConfig.problems(toml: text)
                if !problems.isEmpty {
                    for problem in problems { printError("\(path): \(problem)") }
                    printError("\(problems.count) error\(problems.count == 1 ? "" : "s") in \(path)")
                    throw ExitCode(1)
                }
            }
            let config = try options.load()
            for warning in config.warnings { printError("warning: \(warning)") }
            if config.sip.mode == .active, config.sip.listen.contains(where: { $0.transport == .tls }) {
                // The files as the daemon will load them: readable, the key the certificate's, dates.
                let check = TLSFileCheck.check(SIPTLSSetup.serverOptions(config.tls), now: Int64(time(nil)))
                for warning in check.warnings { printError("warning: \(warning)") }
                if !check.errors.isEmpty {
                    for error in check.errors { printError("\(options.config ?? "configuration"): \(error)") }
                    throw ExitCode(1)
                }
            }
            if let path = options.config {
                print("configuration OK: \(path)")
            } else {
                print("configuration OK: no file given, so the embedded defaults (with SIPRECD_* variables and flags) were checked; "
                    + "name a file to check it: siprecd config check /etc/siprecd/siprecd.toml")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the effective configuration as TOML, secrets masked.")
        @OptionGroup var options: ConfigOptions
        @Argument(help: "The configuration file (same as --config).") var file: String?
        @Flag(help: "Show secrets as they are (for copying a working configuration).") var showSecrets = false
        func run() throws {
            var options = options
            if let file { options.config = file }
            let config = try options.load()
            for warning in config.warnings { print("# warning: \(warning)") }
            print(showSecrets ? config.renderTOML() : config.renderTOMLMaskingSecrets(), terminator: "")
        }
    }
}
