/// Single keys overridden by environment variables (containers): `SIPRECD_<SECTION>_<KEY>=value`, e.g.
/// `SIPRECD_API_LISTEN=0.0.0.0:8080` or `SIPRECD_MEDIA_RTPTIMEOUT=10s`; section and key ignore case.
/// A value that is a TOML value (a number, `true`, `"quoted"`, `[…]`) is taken as such, anything else as a
/// string. They apply after the file and before command-line flags.
extension SiprecdConfig {
    static let environmentSections: [(name: String, keys: [String])] = [
        ("sip", SIPSettings.keys), ("tls", TLSSettings.keys), ("media", MediaSettings.keys), ("storage", StorageSettings.keys),
        ("api", APISettings.keys), ("webhooks", WebhooksSettings.keys), ("audio", AudioSettings.keys),
    ]

    /// The configuration with the overrides of `environment` (name, value pairs) applied.
    public func applyingEnvironment(_ environment: [(String, String)]) throws(ConfigError) -> SiprecdConfig {
        var sections: [String: [String]] = [:]
        for (name, value) in environment where name.uppercased().hasPrefix("SIPRECD_") {
            let rest = name.dropFirst(8)
            guard let section = SiprecdConfig.environmentSections.first(where: { rest.uppercased().hasPrefix($0.name.uppercased() + "_") }) else {
                continue   // SIPRECD_JOURNAL_SOCKET and the like are not configuration keys
            }
            let wanted = rest.dropFirst(section.name.count + 1).uppercased()
            guard let key = section.keys.first(where: { $0.uppercased() == wanted }) else {
                throw ConfigError(code: .unknownKey, line: nil, message: "environment variable \(name): '\(section.name)' has no key '\(wanted.lowercased())'\(KeySuggestion.hint(for: name.uppercased(), among: section.keys.map { "SIPRECD_\(section.name.uppercased())_\($0.uppercased())" }))")
            }
            let literal = (try? TOMLParser.parse("v = \(value)"))?["v"] != nil ? value : SiprecdConfig.quoted(value)
            sections[section.name, default: []].append("\(key) = \(literal)")
        }
        guard !sections.isEmpty else { return self }
        let text = sections.sorted { $0.key < $1.key }.map { "[\($0.key)]\n" + $0.value.joined(separator: "\n") }.joined(separator: "\n") + "\n"
        do {
            return try SiprecdConfig.parse(toml: text, over: self)
        } catch {
            throw ConfigError(code: error.code, line: nil, message: "environment: \(error.message)")
        }
    }

    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences("\\", "\\\\").replacingOccurrences("\"", "\\\"") + "\""
    }
}

extension String {
    func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
