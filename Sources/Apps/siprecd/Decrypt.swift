import ArgumentParser
import Config
import LibCrypto

struct Decrypt: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Decrypt a stored recording (STORERECORDING with encryptionKey) back to its audio.",
        discussion: "The key is taken from [keys] of the configuration by the name in the file's header, or given with --key (base64 of 32 bytes). Nothing is written unless the whole file is authentic.")

    @Argument(help: "The encrypted file.") var file: String
    @Option(help: "Where to write the audio (default: FILE.decrypted).") var out: String?
    @Option(help: "The key itself, base64 of 32 bytes (for keys not in the configuration).") var key: String?
    @OptionGroup var options: ConfigOptions

    func run() throws {
        guard let keyId = SealedFile.keyId(of: file) else {
            throw CLIError("\(file) is not a siprecd encrypted file (no SRECENC1 header)")
        }
        let bytes: [UInt8]
        if let key {
            guard let decoded = KeySettings.decodeBase64(key), decoded.count == 32 else {
                throw CLIError("--key must be the base64 of 32 bytes")
            }
            bytes = decoded
        } else {
            let config = try options.load(operatorCommand: true)
            guard let configured = config.keys[keyId] else {
                throw CLIError("\(file) was encrypted with key '\(keyId)', which [keys] does not hold; give it with --key")
            }
            bytes = configured
        }
        let destination = out ?? file + ".decrypted"
        do {
            try SealedFile.open(source: file, destination: destination, key: bytes)
        } catch {
            throw CLIError("\(file): \(error.message)")
        }
        print("decrypted \(file) (key '\(keyId)') into \(destination)")
    }
}
