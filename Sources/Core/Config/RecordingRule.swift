/// One `[[rules]]` entry: which recording sessions it matches and how they are recorded.
/// The first matching rule wins; no match means the default (record always, call key = SIP Call-ID).
public struct RecordingRule: Sendable, Equatable {
    /// When recording starts.
    public enum Trigger: String, Sendable, Equatable, CaseIterable {
        /// As soon as the session is answered.
        case always
        /// Only after a REST start for the call key (reference 000).
        case rest
        /// After the application's newCall webhook says so (reference 001).
        case newCall
    }

    /// Where a session's call key comes from.
    public enum CallKeySource: Sendable, Equatable, CustomStringConvertible {
        /// A header of the SIPREC INVITE, e.g. `header:X-ConversationId`.
        case header(String)
        /// The SIPREC dialog's Call-ID (`sip:call-id`).
        case callID
        /// The RFC 7865 recording session id (`metadata:session-id`).
        case metadataSessionID
        /// The recorded call's own Call-ID from the metadata (`metadata:original-call-id`, see docs/sip.md).
        case metadataOriginalCallID
        /// The recorded call's Avaya UCID from the metadata (`metadata:ucid`).
        case metadataUCID
        /// A vendor extension element of the metadata, by its flattened key, e.g. `metadata:callData.callid`.
        case metadataExtension(String)

        public init?(parsing text: String) {
            let lower = text.lowercased()
            if lower == "sip:call-id" { self = .callID; return }
            if lower == "metadata:session-id" { self = .metadataSessionID; return }
            if lower == "metadata:original-call-id" { self = .metadataOriginalCallID; return }
            if lower == "metadata:ucid" { self = .metadataUCID; return }
            if lower.hasPrefix("header:"), text.count > 7 {
                let name = String(text.dropFirst(7))
                guard name.utf8.allSatisfy({ $0 > 32 && $0 < 127 && $0 != UInt8(ascii: ":") }) else { return nil }
                self = .header(name)
                return
            }
            if lower.hasPrefix("metadata:"), text.count > 9 {
                self = .metadataExtension(String(text.dropFirst(9)))
                return
            }
            return nil
        }

        public var description: String {
            switch self {
            case .header(let name): return "header:\(name)"
            case .callID: return "sip:call-id"
            case .metadataSessionID: return "metadata:session-id"
            case .metadataOriginalCallID: return "metadata:original-call-id"
            case .metadataUCID: return "metadata:ucid"
            case .metadataExtension(let key): return "metadata:\(key)"
            }
        }
    }

    static let keys = ["destUser", "domain", "source", "trigger", "role", "callKey"]

    /// Glob on the Request-URI user part (`*` any run, `?` one character). Default `*`.
    public var destUser = "*"
    /// Glob on the Request-URI host. Default `*`.
    public var domain = "*"
    /// SRC addresses the rule applies to; nil = any.
    public var source: CIDRBlock?
    public var trigger: Trigger = .always
    /// Up to 20 characters (reference 000); empty = no role.
    public var role = ""
    public var callKey: CallKeySource = .callID
    /// Line of the `[[rules]]` header, for messages.
    public var line: Int?

    public init(destUser: String = "*", domain: String = "*", source: CIDRBlock? = nil, trigger: Trigger = .always,
                role: String = "", callKey: CallKeySource = .callID, line: Int? = nil) {
        self.destUser = destUser
        self.domain = domain
        self.source = source
        self.trigger = trigger
        self.role = role
        self.callKey = callKey
        self.line = line
    }

    /// Rules are equal when they decide the same; where they were written does not count.
    public static func == (a: RecordingRule, b: RecordingRule) -> Bool {
        a.destUser == b.destUser && a.domain == b.domain && a.source == b.source && a.trigger == b.trigger
            && a.role == b.role && a.callKey == b.callKey
    }

    /// Whether a session to `user@domain` from `sourceAddress` ("ip" or "ip:port") matches.
    public func matches(user: String, domain: String, sourceAddress: String) -> Bool {
        guard Glob.matches(destUser, user), Glob.matches(self.domain.lowercased(), domain.lowercased()) else { return false }
        guard let source else { return true }
        return source.contains(RecordingRule.host(of: sourceAddress))
    }

    /// "ip" from "ip:port" or "[v6]:port".
    static func host(of address: String) -> String {
        if address.hasPrefix("["), let close = address.firstIndex(of: "]") {
            return String(address[address.index(after: address.startIndex)..<close])
        }
        if address.filter({ $0 == ":" }).count == 1, let colon = address.firstIndex(of: ":") {
            return String(address[..<colon])
        }
        return address
    }
}

/// Shell-style globs: `*` matches any run (also empty), `?` one character; everything else literally.
public enum Glob {
    public static func matches(_ pattern: String, _ text: String) -> Bool {
        let p = Array(pattern), t = Array(text)
        var pi = 0, ti = 0, star = -1, mark = 0
        while ti < t.count {
            if pi < p.count, p[pi] == "?" || p[pi] == t[ti] {
                pi += 1; ti += 1
            } else if pi < p.count, p[pi] == "*" {
                star = pi; mark = ti; pi += 1
            } else if star >= 0 {
                pi = star + 1; mark += 1; ti = mark
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}
