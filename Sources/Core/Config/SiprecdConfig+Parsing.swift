/// Loading a configuration from TOML text.
extension SiprecdConfig {
    /// Top-level sections with typed settings.
    static let typedSections = ["sip", "tls", "media", "storage", "api", "webhooks", "audio"]

    /// Parses TOML text over ``defaults``: keys that are absent keep their default.
    ///
    /// Unknown sections and keys, wrong types and invalid values are errors naming the key and
    /// its line, e.g. "line 3: unknown key 'media.rtpPort' (did you mean 'rtpPorts'?)".
    public static func parse(toml: String) throws(ConfigError) -> SiprecdConfig {
        try parse(toml: toml, over: .defaults)
    }

    /// Parses TOML text over `base` (keys absent from the text keep `base`'s values).
    public static func parse(toml: String, over base: SiprecdConfig) throws(ConfigError) -> SiprecdConfig {
        let root: TOMLTable
        do {
            root = try TOMLParser.parse(toml)
        } catch {
            throw ConfigError(error)
        }
        return try parse(root: root, over: base)
    }

    /// Loads a parsed TOML document over `base`.
    static func parse(root: TOMLTable, over base: SiprecdConfig) throws(ConfigError) -> SiprecdConfig {
        var config = base
        for entry in root {
            let known = typedSections + reservedSections
            guard known.contains(entry.key) else {
                let what = entry.value.tableValue != nil || entry.value.isArrayOfTables ? "section" : "key"
                throw ConfigError(code: .unknownKey, line: entry.line,
                                  message: "unknown \(what) '\(entry.key)'\(KeySuggestion.hint(for: entry.key, among: known))")
            }
            if reservedSections.contains(entry.key) {
                try checkReservedShape(entry)
                config.extra.updateValue(entry.value, forKey: entry.key, line: entry.line)
                if entry.key == "rules" { config.rules = try parseRules(entry) }
                if entry.key == "keys", let table = entry.value.tableValue {
                    let reader = try SectionReader(section: "keys", table: table, line: entry.line, known: table.keys)
                    config.keys = try KeySettings.parse(reader)
                }
                if entry.key == "buckets" {
                    for bucket in entry.value.tableValue ?? TOMLTable() {
                        guard let table = bucket.value.tableValue else { continue }
                        let reader = try SectionReader(section: "buckets.\(bucket.key)", table: table,
                                                       line: bucket.line > 0 ? bucket.line : entry.line, known: BucketSettings.keys)
                        config.buckets[bucket.key] = try BucketSettings.parse(name: bucket.key, reader)
                    }
                }
                continue
            }
            guard let table = entry.value.tableValue else {
                throw ConfigError(code: .wrongType, line: entry.line,
                                  message: "'\(entry.key)' must be a section ([\(entry.key)]), found \(entry.value.typeDescription)")
            }
            switch entry.key {
            case "sip": try config.sip.apply(SectionReader(section: "sip", table: table, line: entry.line, known: SIPSettings.keys))
            case "tls": try config.tls.apply(SectionReader(section: "tls", table: table, line: entry.line, known: TLSSettings.keys))
            case "media": try config.media.apply(SectionReader(section: "media", table: table, line: entry.line, known: MediaSettings.keys))
            case "storage": try config.storage.apply(SectionReader(section: "storage", table: table, line: entry.line, known: StorageSettings.keys))
            case "audio": try config.audio.apply(SectionReader(section: "audio", table: table, line: entry.line, known: AudioSettings.keys))
            case "webhooks": try config.webhooks.apply(SectionReader(section: "webhooks", table: table, line: entry.line, known: WebhooksSettings.keys))
            default: try config.api.apply(SectionReader(section: "api", table: table, line: entry.line, known: APISettings.keys))
            }
        }
        try config.validate()
        return config
    }

    /// Each `[[rules]]` table as a typed rule.
    private static func parseRules(_ entry: TOMLTable.Entry) throws(ConfigError) -> [RecordingRule] {
        var rules: [RecordingRule] = []
        for (index, value) in (entry.value.arrayValue ?? []).enumerated() {
            guard let table = value.tableValue else { continue }
            let reader = try SectionReader(section: "rules[\(index + 1)]", table: table, line: entry.line, known: RecordingRule.keys)
            var rule = RecordingRule(line: entry.line)
            if let v = try reader.string("destUser") { rule.destUser = v }
            if let v = try reader.string("domain") { rule.domain = v }
            if let v = try reader.parsed("source", as: "a network", example: "\"10.0.0.0/8\"", CIDRBlock.init(parsing:)) { rule.source = v }
            if let v = try reader.parsed("trigger", as: "a trigger", example: "\"always\", \"rest\" or \"newCall\"", RecordingRule.Trigger.init(rawValue:)) {
                rule.trigger = v
            }
            if let v = try reader.string("role") {
                guard v.count <= 20 else { throw reader.invalid("role", "must be at most 20 characters, found \(v.count)") }
                rule.role = v
            }
            if let v = try reader.parsed("callKey", as: "a call key source",
                                         example: "\"header:X-ConversationId\", \"sip:call-id\" or \"metadata:session-id\"",
                                         RecordingRule.CallKeySource.init(parsing:)) { rule.callKey = v }
            rules.append(rule)
        }
        return rules
    }

    /// `[webhooks]` and `[keys]` are tables, `[[rules]]` an array of tables, `[buckets.NAME]` tables of tables.
    private static func checkReservedShape(_ entry: TOMLTable.Entry) throws(ConfigError) {
        func wrong(_ expected: String, _ value: TOMLValue, line: Int) -> ConfigError {
            ConfigError(code: .wrongType, line: line > 0 ? line : entry.line, message: "'\(entry.key)' must be \(expected), found \(value.typeDescription)")
        }
        switch entry.key {
        case "rules":
            guard entry.value.isArrayOfTables || entry.value.arrayValue?.isEmpty == true else {
                throw wrong("an array of tables ([[rules]])", entry.value, line: entry.line)
            }
        case "buckets":
            guard let buckets = entry.value.tableValue else { throw wrong("a table of [buckets.NAME] sections", entry.value, line: entry.line) }
            for bucket in buckets where bucket.value.tableValue == nil {
                throw ConfigError(code: .wrongType, line: bucket.line > 0 ? bucket.line : entry.line,
                                  message: "'buckets.\(bucket.key)' must be a section ([buckets.\(bucket.key)]), found \(bucket.value.typeDescription)")
            }
        default:
            guard entry.value.tableValue != nil else { throw wrong("a section ([\(entry.key)])", entry.value, line: entry.line) }
        }
    }
}

extension SIPSettings {
    static let keys = ["listen", "allow", "maxMessageSize", "mode", "recordPlainCalls", "maxTcpConnections", "tcpFirstMessageTimeout",
                       "heldSessionTimeout", "heldSessionProbe", "sessionExpires", "minSessionExpires", "reconnectGrace"]

    mutating func apply(_ reader: SectionReader) throws(ConfigError) {
        if let value = try reader.parsedArray("listen", as: "a transport and address", example: "\"udp:0.0.0.0:5060\"", ListenAddress.init(parsing:)) {
            guard !value.isEmpty else { throw reader.invalid("listen", "must name at least one address") }
            listen = value
        }
        if let value = try reader.parsedArray("allow", as: "a network", example: "\"10.0.0.0/8\"", CIDRBlock.init(parsing:)) { allow = value }
        if let value = try reader.integer("maxMessageSize", in: SIPSettings.maxMessageSizeRange) { maxMessageSize = value }
        if let value = try reader.parsed("mode", as: "a SIP mode", example: "\"active\" or \"passive\"", SIPMode.init(rawValue:)) { mode = value }
        if let value = try reader.bool("recordPlainCalls") { recordPlainCalls = value }
        if let value = try reader.integer("maxTcpConnections", in: SIPSettings.maxTCPConnectionsRange) { maxTCPConnections = value }
        if let value = try reader.duration("tcpFirstMessageTimeout") {
            guard value >= .seconds(1), value <= .seconds(600) else {
                throw reader.invalid("tcpFirstMessageTimeout", "must be between 1s and 10m")
            }
            tcpFirstMessageTimeout = value
        }
        if let value = try reader.duration("heldSessionTimeout") {
            guard value >= .seconds(1) else { throw reader.invalid("heldSessionTimeout", "must be at least 1s") }
            heldSessionTimeout = value
        }
        if let value = try reader.duration("heldSessionProbe") { heldSessionProbe = value }
        if let value = try reader.duration("minSessionExpires") {
            guard value >= .seconds(1), value <= .seconds(86_400) else { throw reader.invalid("minSessionExpires", "must be between 1s and 24h") }
            minSessionExpires = value
        }
        if let value = try reader.duration("sessionExpires") {
            guard value == .zero || value >= minSessionExpires else {
                throw reader.invalid("sessionExpires", "must be 0s (ask for no session timer) or at least minSessionExpires (\(ConfigDuration.format(minSessionExpires)))")
            }
            sessionExpires = value
        }
        if let value = try reader.duration("reconnectGrace") { reconnectGrace = value }
    }
}

extension MediaSettings {
    static let keys = ["rtpPorts", "capture", "interface", "rtpTimeout", "reorderWindow", "mp3Bitrate", "mp3Quality", "captureBuffer", "mp3", "streamBuffer",
                       "masterRate", "concealment", "srtp", "sdesOverPlainSIP"]

    mutating func apply(_ reader: SectionReader) throws(ConfigError) {
        if let value = try reader.parsed("rtpPorts", as: "a port range", example: "\"20000-29999\"", PortRange.init(parsing:)) {
            guard let aligned = value.evenAligned else {
                throw reader.invalid("rtpPorts", "\"\(value)\" must hold at least two ports starting at an even port")
            }
            rtpPorts = aligned
        }
        if let value = try reader.parsed("capture", as: "a capture kind", example: "\"socket\" or \"pcap\"", CaptureKind.init(rawValue:)) { capture = value }
        if let value = try reader.string("interface") { interface = value }
        if let value = try reader.duration("rtpTimeout") {
            guard value > .zero else { throw reader.invalid("rtpTimeout", "must be longer than 0s") }
            rtpTimeout = value
        }
        if let value = try reader.duration("reorderWindow") { reorderWindow = value }
        if let value = try reader.integer("mp3Bitrate", in: MediaSettings.mp3BitrateRange) { mp3Bitrate = value }
        if let value = try reader.integer("mp3Quality", in: MediaSettings.mp3QualityRange) { mp3Quality = value }
        if let value = try reader.bool("mp3") { mp3 = value }
        if let value = reader.table["masterRate"] {
            let text = value.integerValue.map { String($0) } ?? value.stringValue
            guard let text else { throw reader.wrongType("masterRate", expected: "\"auto\" or a rate", found: value) }
            guard let rate = MasterRate(parsing: text) else {
                throw reader.invalid("masterRate", "has an invalid value \"\(text)\": expected \"auto\", 8000, 16000 or 48000")
            }
            masterRate = rate
        }
        if let value = try reader.parsed("concealment", as: "a concealment", example: "\"silence\" or \"codec\"",
                                         LossConcealment.init(rawValue:)) { concealment = value }
        if let value = try reader.parsed("srtp", as: "an SRTP policy", example: "\"optional\", \"required\" or \"off\"",
                                         SRTPMode.init(rawValue:)) { srtp = value }
        if let value = try reader.bool("sdesOverPlainSIP") { sdesOverPlainSIP = value }
        if let value = try reader.duration("streamBuffer") {
            guard value >= .seconds(2), value <= .seconds(60) else {
                throw reader.invalid("streamBuffer", "must be between 2s and 60s, found \(ConfigDuration.format(value))")
            }
            streamBuffer = value
        }
        if let value = try reader.byteSize("captureBuffer") {
            guard value >= 1 << 20, value <= 2 << 30 else { throw reader.invalid("captureBuffer", "must be between 1MiB and 2GiB") }
            captureBuffer = value
        }
    }
}

extension StorageSettings {
    static let keys = ["dataDir", "tempRetention", "minFree", "inlineKeys"]

    mutating func apply(_ reader: SectionReader) throws(ConfigError) {
        if let value = try reader.string("dataDir") {
            guard !value.isEmpty else { throw reader.invalid("dataDir", "must not be empty") }
            dataDir = value
        }
        if let value = try reader.duration("tempRetention") { tempRetention = value }
        if let value = try reader.byteSize("minFree") { minFree = value }
        if let value = try reader.bool("inlineKeys") { inlineKeys = value }
    }
}

extension APISettings {
    static let keys = ["listen", "auth", "jwtSecret", "jwtPublicKeyFile", "basicUsers", "pendingStart", "controlSocket",
                       "headerTimeout", "idleTimeout", "maxConnections", "publicMetrics"]

    mutating func apply(_ reader: SectionReader) throws(ConfigError) {
        if let value = try reader.parsed("listen", as: "an address", example: "\"127.0.0.1:8080\" or \"[::1]:8080\"", HostPort.init(parsing:)) { listen = value }
        if let value = try reader.string("auth") {
            guard APISettings.authModes.contains(value) else {
                throw reader.invalid("auth", "has an invalid value \"\(value)\": expected \"none\", \"basic\" or \"jwt\"")
            }
            auth = value
        }
        if let value = try reader.string("jwtSecret") { jwtSecret = value }
        if let value = try reader.string("jwtPublicKeyFile") { jwtPublicKeyFile = value }
        if let value = try reader.stringTable("basicUsers") { basicUsers = value }
        if let value = try reader.duration("pendingStart") { pendingStart = value }
        if let value = try reader.string("controlSocket") {
            guard value.utf8.count < 108 else {
                throw reader.invalid("controlSocket", "must be a path shorter than 108 bytes (a Unix socket address), found \(value.utf8.count) bytes")
            }
            controlSocket = value
        }
        for key in ["headerTimeout", "idleTimeout"] {
            guard let value = try reader.duration(key) else { continue }
            guard APISettings.timeoutRange.contains(value) else { throw reader.invalid(key, "must be between 1s and 1h") }
            if key == "headerTimeout" { headerTimeout = value } else { idleTimeout = value }
        }
        if let value = try reader.integer("maxConnections", in: APISettings.maxConnectionsRange) { maxConnections = value }
        if let value = try reader.bool("publicMetrics") { publicMetrics = value }
    }
}
