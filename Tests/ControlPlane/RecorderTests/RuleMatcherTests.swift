import Config
import RecordingMetadata
import SIPCore
import Testing
@testable import Recorder

@Suite("[[rules]]: which rule decides a new session, and its call key")
struct RuleMatcherTests {
    static func invite(_ uri: String, headers: [String] = []) throws -> SIPMessage {
        let text = (["INVITE \(uri) SIP/2.0", "Via: SIP/2.0/UDP 10.0.0.9:5060;branch=z9hG4bK1", "From: <sip:src@10.0.0.9>;tag=a",
                     "To: <\(uri)>", "Call-ID: call-1@src", "CSeq: 1 INVITE"] + headers + ["Content-Length: 0", "", ""])
            .joined(separator: "\r\n")
        return try SIPParser.parse(Array(text.utf8))
    }

    static func decide(_ rules: [RecordingRule], _ uri: String = "sip:4711@pbx.example.com", source: String = "10.0.0.9:5060",
                       headers: [String] = [], metadata: RecordingMetadata? = nil) throws -> RuleMatcher.Decision {
        let invite = try invite(uri, headers: headers)
        return RuleMatcher.decide(rules: rules, requestURI: invite.requestURI, source: source, invite: invite, metadata: metadata)
    }

    @Test("the first rule that matches user, domain and source decides; none matching is the default (always, Call-ID)")
    func firstMatchDecides() throws {
        let rules = [
            RecordingRule(destUser: "9*", trigger: .rest, role: "agent"),
            RecordingRule(domain: "PBX.example.com", source: CIDRBlock(parsing: "10.0.0.0/24"), trigger: .newCall),
            RecordingRule(trigger: .rest),
        ]
        let second = try Self.decide(rules)
        #expect(second.ruleNumber == 2)
        #expect(second.rule.trigger == .newCall)
        #expect(second.callKey == "call-1@src")
        #expect(try Self.decide(rules, "sip:900@pbx.example.com").ruleNumber == 1)
        #expect(try Self.decide(rules, source: "192.0.2.1:5060").ruleNumber == 3)
        let none = try Self.decide([rules[0]])
        #expect(none.ruleNumber == nil)
        #expect(none.rule == RecordingRule())
        #expect(none.callKey == "call-1@src")
    }

    @Test("a header call key is trimmed; a missing or blank one gives no call key")
    func headerCallKey() throws {
        let rule = RecordingRule(callKey: .header("X-Call-Key"))
        #expect(try Self.decide([rule], headers: ["X-Call-Key:  \tabc-123 "]).callKey == "abc-123")
        #expect(try Self.decide([rule], headers: ["X-Call-Key:   "]).callKey == nil)
        #expect(try Self.decide([rule]).callKey == nil)
    }

    @Test("metadata call keys: session id, a vendor extension (any case) or a participant's extension")
    func metadataCallKeys() throws {
        let metadata = RecordingMetadata(
            sessions: [.init(id: "session-7")],
            participants: [.init(id: "p1", extensions: ["agentId": "agent-42"])],
            extensions: ["callData.Ucid": "00001234"])
        #expect(try Self.decide([RecordingRule(callKey: .metadataSessionID)], metadata: metadata).callKey == "session-7")
        #expect(try Self.decide([RecordingRule(callKey: .metadataExtension("calldata.ucid"))], metadata: metadata).callKey == "00001234")
        #expect(try Self.decide([RecordingRule(callKey: .metadataExtension("AGENTID"))], metadata: metadata).callKey == "agent-42")
        #expect(try Self.decide([RecordingRule(callKey: .metadataExtension("missing"))], metadata: metadata).callKey == nil)
        #expect(try Self.decide([RecordingRule(callKey: .metadataSessionID)]).callKey == nil)
    }
}
