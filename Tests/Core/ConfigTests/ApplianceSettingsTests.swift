import Testing
import Config

@Suite("[audio] and the control socket")
struct ApplianceSettingsTests {
    @Test("Defaults: ALSA 'default', the control socket in the data directory")
    func defaults() {
        let config = SiprecdConfig.defaults
        #expect(config.audio.device == "default")
        #expect(config.api.controlSocket == "" && config.controlSocketPath == "./var/control.sock")
    }

    @Test("A path or none replaces the control socket; the device is any PCM name")
    func parsed() throws {
        let config = try SiprecdConfig.parse(toml: "[api]\ncontrolSocket = \"/run/siprecd/control.sock\"\n[audio]\ndevice = \"plughw:1,0\"\n")
        #expect(config.controlSocketPath == "/run/siprecd/control.sock" && config.audio.device == "plughw:1,0")
        let off = try SiprecdConfig.parse(toml: "[api]\ncontrolSocket = \"none\"\n")
        #expect(off.controlSocketPath == nil)
        let moved = try SiprecdConfig.parse(toml: "[storage]\ndataDir = \"/data\"\n")
        #expect(moved.controlSocketPath == "/data/control.sock")
    }

    @Test("Errors name the key and the line")
    func errors() {
        let long = String(repeating: "a", count: 120)
        #expect(throws: ConfigError.self) { try SiprecdConfig.parse(toml: "[api]\ncontrolSocket = \"/\(long)\"\n") }
        do {
            _ = try SiprecdConfig.parse(toml: "[audio]\n\ndevice = \"\"\n")
            Issue.record("an empty device was accepted")
        } catch {
            #expect(error.line == 3 && error.message.contains("audio.device"))
        }
        do {
            _ = try SiprecdConfig.parse(toml: "[audio]\ndevic = \"x\"\n")
            Issue.record("an unknown key was accepted")
        } catch {
            #expect(error.message.contains("device"))
        }
    }

    @Test("Both render in config show and override from the environment")
    func renderAndEnvironment() throws {
        var config = SiprecdConfig.defaults
        config = try config.applyingEnvironment([("SIPRECD_AUDIO_DEVICE", "hw:0,0"), ("SIPRECD_API_CONTROLSOCKET", "none")])
        #expect(config.audio.device == "hw:0,0" && config.controlSocketPath == nil)
        let text = config.renderTOMLMaskingSecrets()
        #expect(text.contains("[audio]") && text.contains("device = \"hw:0,0\"") && text.contains("controlSocket = \"none\""))
    }
}

@Suite("config check reports every error")
struct ConfigCheckTests {
    @Test("Wrong keys and values in four sections and a rule: five errors, each with its line and key")
    func everyError() {
        let text = """
            [media]
            rtpPort = "20000-20100"
            mp3Bitrate = 9999
            [api]
            auth = "magic"
            [[rules]]
            trigger = "sometimes"
            [storage]
            minFree = "lots"
            """
        let problems = SiprecdConfig.problems(toml: text)
        #expect(problems.map(\.line) == [2, 3, 5, 7, 9])
        #expect(problems[0].message.contains("media.rtpPort") && problems[0].message.contains("rtpPorts"))
        #expect(problems[1].message.contains("media.mp3Bitrate"))
        #expect(problems[2].message.contains("api.auth"))
        #expect(problems[3].message.contains("trigger"))
        #expect(problems[4].message.contains("storage.minFree"))
    }

    @Test("A good file has none; a syntax error is reported alone")
    func goodAndSyntax() {
        #expect(SiprecdConfig.problems(toml: "[media]\nmp3Bitrate = 64\n").isEmpty)
        let syntax = SiprecdConfig.problems(toml: "[media]\nmp3Bitrate = \n[api]\nauth = \"x\"\n")
        #expect(syntax.count == 1 && syntax[0].code == .syntax && syntax[0].line == 2)
    }
}

@Suite("[media] mp3 and streamBuffer")
struct MediaCapacitySettingsTests {
    @Test("Defaults: MP3 while recording, 8 s per stream; both parse and render")
    func defaultsAndParsing() throws {
        #expect(SiprecdConfig.defaults.media.mp3 && SiprecdConfig.defaults.media.streamBuffer == .seconds(8))
        let config = try SiprecdConfig.parse(toml: "[media]\nmp3 = false\nstreamBuffer = \"2s\"\n")
        #expect(!config.media.mp3 && config.media.streamBuffer == .seconds(2))
        #expect(config.renderTOML().contains("mp3 = false") && config.renderTOML().contains("streamBuffer = \"2s\""))
    }

    @Test("A stream buffer under 2 s or over 60 s is refused with the key")
    func bounds() {
        for value in ["1s", "61s"] {
            let problems = SiprecdConfig.problems(toml: "[media]\nstreamBuffer = \"\(value)\"\n")
            #expect(problems.count == 1 && problems[0].message.contains("media.streamBuffer") && problems[0].line == 2)
        }
    }
}

@Suite("[media] masterRate")
struct MasterRateSettingsTests {
    @Test("Default auto (8 kHz, 16 kHz with a wideband stream); 8000, 16000 and 48000 as integers or strings; renders back")
    func parsing() throws {
        #expect(SiprecdConfig.defaults.media.masterRate == .auto)
        #expect(MasterRate.auto.rate(wideband: false) == 8_000 && MasterRate.auto.rate(wideband: true) == 16_000)
        for (text, rate) in [("8000", 8_000), ("16000", 16_000), ("\"48000\"", 48_000)] {
            let config = try SiprecdConfig.parse(toml: "[media]\nmasterRate = \(text)\n")
            #expect(config.media.masterRate == .fixed(rate) && config.media.masterRate.rate(wideband: true) == rate)
            #expect(config.renderTOML().contains("masterRate = \(rate)"))
        }
        #expect(try SiprecdConfig.parse(toml: "[media]\nmasterRate = \"AUTO\"\n").media.masterRate == .auto)
        #expect(SiprecdConfig.defaults.renderTOML().contains("masterRate = \"auto\""))
    }

    @Test("Any other rate or type is refused, naming the key and what it takes", arguments: ["22050", "\"wide\"", "true", "44100"])
    func refused(value: String) {
        let problems = SiprecdConfig.problems(toml: "[media]\nmasterRate = \(value)\n")
        #expect(problems.count == 1 && problems[0].message.contains("media.masterRate") && problems[0].line == 2, "\(problems)")
    }
}

@Suite("[media] concealment")
struct ConcealmentSettingsTests {
    @Test("Default silence; codec takes the decoders' concealment; renders back; anything else is refused with the key and the choices")
    func parsing() throws {
        #expect(SiprecdConfig.defaults.media.concealment == .silence)
        #expect(SiprecdConfig.defaults.renderTOML().contains("concealment = \"silence\""))
        let config = try SiprecdConfig.parse(toml: "[media]\nconcealment = \"codec\"\n")
        #expect(config.media.concealment == .codec && config.renderTOML().contains("concealment = \"codec\""))
        for value in ["\"plc\"", "true", "1"] {
            let problems = SiprecdConfig.problems(toml: "[media]\nconcealment = \(value)\n")
            #expect(problems.count == 1 && problems[0].message.contains("media.concealment") && problems[0].line == 2, "\(problems)")
        }
        #expect(SiprecdConfig.problems(toml: "[media]\nconcealment = \"plc\"\n").first?.message.contains("\"silence\" or \"codec\"") == true)
    }
}

@Suite("[media] srtp and sdesOverPlainSIP")
struct SRTPSettingsTests {
    @Test("Default optional and no SDES over plain SIP; both render back; a wrong value is refused with the key and the choices")
    func parsing() throws {
        #expect(SiprecdConfig.defaults.media.srtp == .optional && !SiprecdConfig.defaults.media.sdesOverPlainSIP)
        let rendered = SiprecdConfig.defaults.renderTOML()
        #expect(rendered.contains("srtp = \"optional\"") && rendered.contains("sdesOverPlainSIP = false"))
        let config = try SiprecdConfig.parse(toml: "[media]\nsrtp = \"required\"\nsdesOverPlainSIP = true\n")
        #expect(config.media.srtp == .required && config.media.sdesOverPlainSIP)
        #expect(config.renderTOML().contains("srtp = \"required\"") && config.renderTOML().contains("sdesOverPlainSIP = true"))
        for value in ["\"on\"", "true", "\"Required\""] {
            let problems = SiprecdConfig.problems(toml: "[media]\nsrtp = \(value)\n")
            #expect(problems.count == 1 && problems[0].message.contains("media.srtp") && problems[0].line == 2, "\(problems)")
        }
        #expect(SiprecdConfig.problems(toml: "[media]\nsrtp = \"on\"\n").first?.message.contains("\"optional\", \"required\" or \"off\"") == true)
        #expect(SiprecdConfig.problems(toml: "[media]\nsdesOverPlainSIP = \"yes\"\n").first?.message.contains("media.sdesOverPlainSIP") == true)
    }
}
