import Testing
@testable import Config

@Suite("Recording rules ([[rules]])")
struct RecordingRuleTests {
    @Test("rules are read in order with every field, and the first match wins")
    func parsing() throws {
        let config = try SiprecdConfig.parse(toml: """
        [[rules]]
        destUser = "sales*"
        domain = "*.example.com"
        source = "10.0.0.0/8"
        role = "supervisor"
        callKey = "header:X-ConversationId"
        [[rules]]
        destUser = "*"
        callKey = "metadata:session-id"
        """)
        #expect(config.rules.count == 2)
        let first = config.rules[0]
        #expect(first.destUser == "sales*" && first.domain == "*.example.com" && first.role == "supervisor")
        #expect(first.callKey == .header("X-ConversationId"))
        #expect(first.matches(user: "sales-eu", domain: "pbx.example.com", sourceAddress: "10.1.2.3:5060"))
        #expect(!first.matches(user: "sales-eu", domain: "pbx.example.com", sourceAddress: "192.0.2.1:5060"))
        #expect(!first.matches(user: "support", domain: "pbx.example.com", sourceAddress: "10.1.2.3:5060"))
        #expect(config.rules[1].callKey == .metadataSessionID)
        #expect(config.rules[1].matches(user: "anyone", domain: "x", sourceAddress: "[2001:db8::1]:5060"))
    }

    @Test("a role longer than 20 characters, an unknown key, a bad call key source and an unknown trigger are refused with the key named")
    func errors() {
        let cases: [(String, String)] = [
            ("[[rules]]\nrole = \"abcdefghijklmnopqrstu\"\n", "at most 20"),
            ("[[rules]]\ndestuser = \"*\"\n", "destUser"),
            ("[[rules]]\ncallKey = \"cookie:x\"\n", "callKey"),
            ("[webhooks]\nnewCallReject = 200\n", "newCallReject"),
            ("[webhooks]\nbase = \"ftp://x\"\n", "http://"),
            ("[[rules]]\ntrigger = \"sometimes\"\n", "trigger"),
        ]
        for (toml, expected) in cases {
            do {
                _ = try SiprecdConfig.parse(toml: toml)
                Issue.record("accepted: \(toml)")
            } catch {
                #expect(error.description.contains(expected), "\(error.description) should mention \(expected)")
            }
        }
    }

    @Test("the three triggers parse, and [webhooks] is typed with its defaults")
    func triggers() throws {
        let config = try SiprecdConfig.parse(toml: "[[rules]]\ntrigger = \"rest\"\n[[rules]]\ntrigger = \"newCall\"\n[webhooks]\nbase = \"http://127.0.0.1:9/x/\"\n")
        #expect(config.rules.map(\.trigger) == [.rest, .newCall])
        #expect(config.webhooks.base == "http://127.0.0.1:9/x")
        #expect(config.webhooks.alarmsURL == "http://127.0.0.1:9/x/alarms")
        #expect(config.webhooks.newCallTimeout == .seconds(2) && config.webhooks.newCallDefault && config.webhooks.newCallReject == 603)
    }

    @Test("call key sources parse from their documented forms and print back")
    func callKeySources() {
        for text in ["header:X-ConversationId", "sip:call-id", "metadata:session-id", "metadata:callData.callid"] {
            #expect(RecordingRule.CallKeySource(parsing: text)?.description == text)
        }
        #expect(RecordingRule.CallKeySource(parsing: "header:") == nil)
        #expect(RecordingRule.CallKeySource(parsing: "header:Bad Name") == nil)
    }

    @Test("globs: * matches any run, ? one character, the rest literally")
    func globs() {
        #expect(Glob.matches("*", ""))
        #expect(Glob.matches("sales*", "sales"))
        #expect(Glob.matches("s?les", "sales"))
        #expect(Glob.matches("*desk*", "helpdesk-2"))
        #expect(!Glob.matches("sales", "sales2"))
        #expect(!Glob.matches("?", ""))
    }
}

@Suite("API exposure")
struct APIExposureTests {
    @Test("without authentication the API may only listen on loopback")
    func loopbackOnly() {
        do {
            _ = try SiprecdConfig.parse(toml: "[api]\nlisten = \"0.0.0.0:8080\"\nauth = \"none\"\n")
            Issue.record("an unauthenticated API on 0.0.0.0 was accepted")
        } catch {
            #expect(error.description.contains("loopback"))
        }
        #expect((try? SiprecdConfig.parse(toml: "[api]\nlisten = \"[::1]:8080\"\n")) != nil)
        #expect((try? SiprecdConfig.parse(toml: "[api]\nlisten = \"0.0.0.0:8080\"\nauth = \"jwt\"\njwtSecret = \"s\"\n")) != nil)
    }
}
