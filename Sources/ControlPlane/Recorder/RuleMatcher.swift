import Config
import RecordingMetadata
import SIPCore

/// Applies the `[[rules]]` to a new session: the first rule that matches the Request-URI user and host
/// and the SRC's address decides; with no match, the default (record always, call key = Call-ID).
enum RuleMatcher {
    struct Decision {
        /// 1-based position of the matching rule, nil for the default.
        var ruleNumber: Int?
        var rule: RecordingRule
        var callKey: String?
    }

    static func decide(rules: [RecordingRule], requestURI: SIPURI?, source: String, invite: SIPMessage,
                       metadata: RecordingMetadata?) -> Decision {
        let user = requestURI?.user ?? "", domain = requestURI?.host ?? ""
        for (index, rule) in rules.enumerated() where rule.matches(user: user, domain: domain, sourceAddress: source) {
            return Decision(ruleNumber: index + 1, rule: rule, callKey: callKey(rule.callKey, invite: invite, metadata: metadata))
        }
        let rule = RecordingRule()
        return Decision(ruleNumber: nil, rule: rule, callKey: callKey(rule.callKey, invite: invite, metadata: metadata))
    }

    /// The call key from its configured source, or nil when the session does not carry it.
    static func callKey(_ source: RecordingRule.CallKeySource, invite: SIPMessage, metadata: RecordingMetadata?) -> String? {
        let value: String?
        switch source {
        case .header(let name): value = invite.header(name)
        case .callID: value = invite.callID
        case .metadataSessionID: value = metadata?.sessions.first?.id
        case .metadataOriginalCallID: value = CallIdentity.of(metadata).originalCallId
        case .metadataUCID: value = CallIdentity.of(metadata).ucid
        case .metadataExtension(let key):
            let wanted = key.lowercased()
            value = metadata?.extensions.first(where: { $0.key.lowercased() == wanted })?.value
                ?? metadata?.participants.lazy.compactMap { $0.extensions.first(where: { $0.key.lowercased() == wanted })?.value }.first
        }
        guard let trimmed = value?.trimmingSpaces, !trimmed.isEmpty else { return nil }
        return trimmed
    }
}

extension String {
    var trimmingSpaces: String {
        var s = self[...]
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
