import ArgumentParser
import Config

struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Check or show the effective configuration.",
        subcommands: [Check.self, Show.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Validate the configuration; exit 1 with the reason if it is wrong.")
        @OptionGroup var options: ConfigOptions
        func run() throws {
            _ = try options.load()
            print("configuration OK")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the effective configuration as TOML, secrets masked.")
        @OptionGroup var options: ConfigOptions
        @Flag(help: "Show secrets as they are (for copying a working configuration).") var showSecrets = false
        func run() throws {
            let config = try options.load()
            print(showSecrets ? config.renderTOML() : config.renderTOMLMaskingSecrets(), terminator: "")
        }
    }
}
