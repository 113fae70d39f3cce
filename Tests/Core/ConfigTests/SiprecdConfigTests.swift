import Testing
import Config

@Suite("siprecd configuration")
struct SiprecdConfigTests {
    static let sample = """
        [sip]
        listen = ["udp:0.0.0.0:5060", "tcp:0.0.0.0:5060"]
        allow = ["10.0.0.0/8"]
        [media]
        rtpPorts = "20000-29999"
        capture = "pcap"
        interface = "eth0"
        rtpTimeout = "30s"
        [storage]
        dataDir = "/var/lib/siprecd"
        tempRetention = "48h"
        minFree = "512MB"
        [api]
        listen = "0.0.0.0:8080"
        auth = "jwt"
        jwtSecret = "x"
        basicUsers = { sbc = "x" }
        pendingStart = "30s"
        [webhooks]
        base = "http://app.example/siprec"
        alarms = "http://app.example/alarms"
        secret = "x"
        newCallTimeout = "2s"
        newCallDefault = true
        [[rules]]
        destUser = "*"
        trigger = "always"
        role = ""
        callKey = "header:X-ConversationId"
        [buckets.archive]
        type = "dir"
        path = "/mnt/archive"
        [buckets.cloud]
        type = "s3"
        endpoint = "https://s3.example"
        region = "eu-north-1"
        bucket = "recordings"
        accessKeyId = "x"
        secretAccessKeyFile = "/etc/siprecd/s3.secret"
        [keys]
        k1 = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
        """

    @Test("SIP/TCP limits and a bucket's time-out are read and shown")
    func tcpLimitsAndBucketTimeout() throws {
        let config = try SiprecdConfig.parse(toml: """
            [sip]
            maxTcpConnections = 20000
            tcpFirstMessageTimeout = "30s"
            [buckets.cloud]
            type = "s3"
            endpoint = "https://s3.example.com"
            bucket = "r"
            accessKeyId = "a"
            secretAccessKey = "s"
            timeout = "5s"
            """)
        #expect(config.sip.maxTCPConnections == 20000 && config.sip.tcpFirstMessageTimeout == .seconds(30))
        #expect(config.buckets["cloud"]?.timeout == .seconds(5))
        let shown = config.asTOMLTable().renderDocument()
        #expect(shown.contains("maxTcpConnections = 20000") && shown.contains("tcpFirstMessageTimeout = \"30s\""))
    }

    @Test("Held sessions and session timers: the [sip] keys are read, shown, defaulted and checked")
    func heldSessionsAndTimers() throws {
        let config = try SiprecdConfig.parse(toml: """
            [sip]
            heldSessionTimeout = "2h"
            heldSessionProbe = "0s"
            minSessionExpires = "120s"
            sessionExpires = "10m"
            reconnectGrace = "5s"
            """)
        #expect(config.sip.heldSessionTimeout == .seconds(7_200) && config.sip.heldSessionProbe == .zero)
        #expect(config.sip.minSessionExpires == .seconds(120) && config.sip.sessionExpires == .seconds(600))
        #expect(config.sip.reconnectGrace == .seconds(5))
        let shown = config.asTOMLTable().renderDocument()
        #expect(shown.contains("heldSessionTimeout = \"2h\"") && shown.contains("reconnectGrace = \"5s\""))
        let defaults = SiprecdConfig.defaults.sip
        #expect(defaults.heldSessionTimeout == .seconds(4 * 3_600) && defaults.heldSessionProbe == .seconds(60))
        #expect(defaults.sessionExpires == .seconds(1_800) && defaults.minSessionExpires == .seconds(90))
        let problems = SiprecdConfig.problems(toml: "[sip]\nminSessionExpires = \"120s\"\nsessionExpires = \"60s\"\n")
        #expect(problems.contains { "\($0)".contains("sessionExpires") && "\($0)".contains("minSessionExpires") })
    }

    @Test("With no file the documented defaults apply")
    func defaults() throws {
        let config = SiprecdConfig.defaults
        #expect(config.sip.listen.map(\.description) == ["udp:127.0.0.1:5060", "tcp:127.0.0.1:5060"])
        #expect(config.sip.allow.isEmpty && config.sip.isAllowed("203.0.113.9"))
        #expect(config.sip.maxMessageSize == 65535)
        #expect(config.sip.maxTCPConnections == 4096 && config.sip.tcpFirstMessageTimeout == .seconds(10))
        #expect(config.media.rtpPorts.description == "20000-29999")
        #expect(config.media.capture == .pcap && config.media.interface == "lo")
        #expect(config.media.rtpTimeout == .seconds(30) && config.media.reorderWindow == .milliseconds(200))
        #expect(config.media.mp3Bitrate == 32 && config.media.mp3Quality == 5)
        #expect(config.storage.dataDir == "./var" && config.storage.tempRetention == .seconds(172_800))
        #expect(config.storage.minFree == 512_000_000)
        #expect(config.api.listen.description == "127.0.0.1:8080" && config.api.auth == "none")
        #expect(try SiprecdConfig.parse(toml: "") == config)
        #expect(try SiprecdConfig.parse(toml: "# only a comment\n[media]\n") == config)
    }

    @Test("The documented sample configuration loads, with later-feature sections kept aside")
    func sampleLoads() throws {
        let config = try SiprecdConfig.parse(toml: Self.sample)
        #expect(config.sip.listen.map(\.description) == ["udp:0.0.0.0:5060", "tcp:0.0.0.0:5060"])
        #expect(config.sip.isAllowed("10.9.8.7") && !config.sip.isAllowed("192.168.1.1"))
        #expect(config.media.capture == .pcap && config.media.interface == "eth0")
        #expect(config.storage.dataDir == "/var/lib/siprecd")
        #expect(config.api.listen == HostPort(host: "0.0.0.0", port: 8080))
        #expect(config.api.auth == "jwt" && config.api.jwtSecret == "x" && config.api.basicUsers == ["sbc": "x"])
        #expect(config.extra.keys == ["rules", "buckets", "keys"])
        #expect(config.webhooks.newCallDefault == true)
        #expect(config.extra["rules"]?.arrayValue?.first?.tableValue?["callKey"] == .string("header:X-ConversationId"))
        #expect(config.extra["buckets"]?.tableValue?["cloud"]?.tableValue?["region"] == .string("eu-north-1"))
        #expect(config.buckets["archive"]?.kind == .dir(path: "/mnt/archive", overwrite: false))
        #expect(config.keys["k1"] == Array(0..<32))
    }

    @Test("config show output lists every key and loads back to the same configuration")
    func renderRoundTrip() throws {
        let config = try SiprecdConfig.parse(toml: Self.sample)
        let text = config.renderTOML()
        for key in ["maxMessageSize = 65535", "reorderWindow = \"200ms\"", "mp3Quality = 5", "minFree = \"512MB\"",
                    "tempRetention = \"48h\"", "[[rules]]", "[buckets.cloud]", "allow = [\"10.0.0.0/8\"]"] {
            #expect(text.contains(key), "missing \(key)")
        }
        #expect(try SiprecdConfig.parse(toml: text) == config)
        #expect(try SiprecdConfig.parse(toml: SiprecdConfig.defaults.renderTOML()) == SiprecdConfig.defaults)
    }

    @Test("A misspelt key is reported with its line and the closest valid key")
    func unknownKey() {
        #expect(throws: ConfigError(code: .unknownKey, line: 3, message: "unknown key 'media.rtpPort' (did you mean 'rtpPorts'?)")) {
            try SiprecdConfig.parse(toml: "[media]\ncapture = \"socket\"\nrtpPort = \"20000-20100\"\n")
        }
        #expect(throws: ConfigError(code: .unknownKey, line: 2, message: "unknown section 'medai' (did you mean 'media'?)")) {
            try SiprecdConfig.parse(toml: "\n[medai]\nx = 1\n")
        }
        #expect(throws: ConfigError(code: .unknownKey, line: 1, message: "unknown key 'verbose'")) {
            try SiprecdConfig.parse(toml: "verbose = true\n")
        }
        let error = #expect(throws: ConfigError.self) { try SiprecdConfig.parse(toml: "[media]\nrtpPort = 1\n") }
        #expect(error?.description == "line 2: unknown key 'media.rtpPort' (did you mean 'rtpPorts'?)")
    }

    @Test("Values of the wrong type or out of range name the key, the line and what was expected", arguments: [
        ("[media]\nmp3Bitrate = \"32\"", ConfigError.Code.wrongType, 2, "'media.mp3Bitrate' must be an integer, found a string"),
        ("[media]\nmp3Bitrate = 400", .invalidValue, 2, "'media.mp3Bitrate' must be between 8 and 320, found 400"),
        ("[media]\n\nmp3Quality = 10", .invalidValue, 3, "'media.mp3Quality' must be between 0 and 9, found 10"),
        ("[sip]\nlisten = \"udp:0.0.0.0:5060\"", .wrongType, 2, "'sip.listen' must be an array of strings like [\"udp:0.0.0.0:5060\"], found a string"),
        ("[sip]\nlisten = [\"0.0.0.0:5060\"]", .invalidValue, 2, "'sip.listen' has an invalid entry \"0.0.0.0:5060\": expected a transport and address like \"udp:0.0.0.0:5060\""),
        ("[sip]\nallow = [\"10.0.0.0/33\"]", .invalidValue, 2, "'sip.allow' has an invalid entry \"10.0.0.0/33\": expected a network like \"10.0.0.0/8\""),
        ("[media]\nrtpTimeout = 30", .wrongType, 2, "'media.rtpTimeout' must be a string, found an integer"),
        ("[media]\nrtpTimeout = \"30 seconds\"", .invalidValue, 2, "'media.rtpTimeout' has an invalid value \"30 seconds\": expected a duration like \"500ms\", \"30s\" or \"1h30m\""),
        ("[media]\nrtpPorts = \"20001-20002\"", .invalidValue, 2, "'media.rtpPorts' \"20001-20002\" must hold at least two ports starting at an even port"),
        ("[media]\ncapture = \"dpdk\"", .invalidValue, 2, "'media.capture' has an invalid value \"dpdk\": expected a capture kind like \"socket\" or \"pcap\""),
        ("[api]\nauth = \"oauth\"", .invalidValue, 2, "'api.auth' has an invalid value \"oauth\": expected \"none\", \"basic\" or \"jwt\""),
        ("[api]\nbasicUsers = { sbc = 1 }", .wrongType, 2, "'api.basicUsers.sbc' must be a string, found an integer"),
        ("sip = 1", .wrongType, 1, "'sip' must be a section ([sip]), found an integer"),
        ("rules = 1", .wrongType, 1, "'rules' must be an array of tables ([[rules]]), found an integer"),
        ("[sip]\nlisten = [", .syntax, 2, "array starting on this line is never closed"),
        ("[sip]\nmaxTcpConnections = 8", .invalidValue, 2, "'sip.maxTcpConnections' must be between 16 and 1000000, found 8"),
        ("[sip]\ntcpFirstMessageTimeout = \"0s\"", .invalidValue, 2, "'sip.tcpFirstMessageTimeout' must be between 1s and 10m"),
        ("[buckets.b]\ntype = \"s3\"\nendpoint = \"http://h\"\nbucket = \"r\"\naccessKeyId = \"a\"\nsecretAccessKey = \"s\"\ntimeout = \"2h\"",
         .invalidValue, 7, "'buckets.b.timeout' must be between 1s and 1h"),
    ])
    func invalidValues(text: String, code: ConfigError.Code, line: Int, message: String) {
        #expect(throws: ConfigError(code: code, line: line, message: message)) { try SiprecdConfig.parse(toml: text) }
    }

    @Test("An odd first RTP port is rounded up to the next even port")
    func rtpPortsRoundedToEven() throws {
        let config = try SiprecdConfig.parse(toml: "[media]\nrtpPorts = \"30001-30100\"\n")
        #expect(config.media.rtpPorts == PortRange(low: 30002, high: 30100))
    }

    @Test("minFree accepts a plain number of bytes as well as a size with a unit")
    func minFreeForms() throws {
        #expect(try SiprecdConfig.parse(toml: "[storage]\nminFree = 1048576").storage.minFree == 1_048_576)
        #expect(try SiprecdConfig.parse(toml: "[storage]\nminFree = \"1GiB\"").storage.minFree == 1 << 30)
    }

    @Test("Command-line overrides are validated and normalised like file values")
    func overridesValidate() throws {
        var config = SiprecdConfig.defaults
        config.sip.listen = ListenAddress.udpAndTCP(HostPort(parsing: "192.0.2.1:5080")!)
        config.media.rtpPorts = PortRange(parsing: "40001-40010")!
        try config.validate()
        #expect(config.media.rtpPorts.low == 40002)
        config.media.mp3Bitrate = 7
        #expect(throws: ConfigError(code: .invalidValue, line: nil, message: "'media.mp3Bitrate' must be between 8 and 320 kbit/s, found 7")) {
            try config.validate()
        }
    }
}

@Suite("config show")
struct ConfigShowTests {
    @Test("secrets are masked: JWT secret, Basic passwords, webhook secret, S3 secret keys and [keys]")
    func masked() throws {
        let config = try SiprecdConfig.parse(toml: """
            [api]
            jwtSecret = "jwt-secret-value"
            basicUsers = { sbc = "basic-password" }
            [webhooks]
            secret = "webhook-secret-value"
            [buckets.cloud]
            type = "s3"
            endpoint = "https://s3.example"
            bucket = "b"
            accessKeyId = "AKIDVISIBLE"
            secretAccessKey = "s3-secret-value"
            [keys]
            k1 = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
            """)
        let text = config.renderTOMLMaskingSecrets()
        for secret in ["jwt-secret-value", "basic-password", "webhook-secret-value", "s3-secret-value", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="] {
            #expect(!text.contains(secret), "\(secret) is shown")
        }
        #expect(text.contains("AKIDVISIBLE") && text.contains("sbc = \"***\"") && text.contains("k1 = \"***\""))
        #expect(config.renderTOML().contains("jwt-secret-value"))
    }
}

@Suite("Environment overrides")
struct EnvironmentOverrideTests {
    @Test("SIPRECD_<SECTION>_<KEY> overrides one key over the file; other SIPRECD_ variables are ignored")
    func overrides() throws {
        let file = try SiprecdConfig.parse(toml: "[media]\nrtpTimeout = \"20s\"\nmp3Bitrate = 48\n")
        let config = try file.applyingEnvironment([
            ("SIPRECD_MEDIA_RTPTIMEOUT", "5s"), ("siprecd_api_listen", "127.0.0.1:9000"), ("SIPRECD_WEBHOOKS_NEWCALLDEFAULT", "false"),
            ("SIPRECD_SIP_LISTEN", "[\"udp:127.0.0.1:5070\"]"), ("SIPRECD_JOURNAL_SOCKET", "/x"), ("PATH", "/bin"),
        ])
        #expect(config.media.rtpTimeout == .seconds(5) && config.media.mp3Bitrate == 48)
        #expect(config.api.listen.description == "127.0.0.1:9000" && !config.webhooks.newCallDefault)
        #expect(config.sip.listen.map(\.description) == ["udp:127.0.0.1:5070"])
    }

    @Test("an unknown key or a bad value names the variable")
    func errors() {
        do {
            _ = try SiprecdConfig.defaults.applyingEnvironment([("SIPRECD_MEDIA_RTPPORT", "1-2")])
            Issue.record("accepted")
        } catch {
            #expect(error.description.contains("SIPRECD_MEDIA_RTPPORTS"))
        }
        do {
            _ = try SiprecdConfig.defaults.applyingEnvironment([("SIPRECD_MEDIA_MP3BITRATE", "loud")])
            Issue.record("accepted")
        } catch {
            #expect(error.description.contains("environment") && error.description.contains("mp3Bitrate"))
        }
    }
}
