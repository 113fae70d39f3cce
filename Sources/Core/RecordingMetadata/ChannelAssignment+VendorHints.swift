/// Vendor extensions that name the original caller and callee explicitly.
extension ChannelAssignment {
    /// A participant named by vendor data, with the sentence fragment saying so.
    struct VendorParty {
        var participant: RecordingMetadata.Participant
        var evidence: String
    }

    /// Extension local names (lower-cased) whose value is the original call's From (a URI or name-addr):
    /// Sonus/Ribbon `callData` `fromhdr`/`fromUri`, and the like.
    static let callerURIKeys: Set<String> = ["fromhdr", "fromuri", "from", "fromheader", "callingpartyuri", "originatoruri"]
    /// Names whose value is the calling party's number: Metaswitch and NetSapiens `callingPartyNumber`,
    /// BroadWorks `callingNumber`, ANI.
    static let callerNumberKeys: Set<String> = ["callingpartynumber", "callingnumber", "callernumber", "callingpartyid",
                                                "callerid", "ani", "cgpn"]
    /// The same for the called party (To, `calledPartyNumber`, DNIS).
    static let calleeURIKeys: Set<String> = ["tohdr", "touri", "to", "toheader", "calledpartyuri"]
    static let calleeNumberKeys: Set<String> = ["calledpartynumber", "callednumber", "calledpartyid", "dnis", "cdpn"]

    /// Looks for vendor data naming the caller among `candidates`.
    static func vendorCaller(in metadata: RecordingMetadata,
                             among candidates: [RecordingMetadata.Participant]) -> VendorParty? {
        if let named = party(in: metadata, uriKeys: callerURIKeys, numberKeys: callerNumberKeys, among: candidates, as: "original caller") {
            return named
        }
        for participant in candidates {
            let flagged = participant.extensions.contains { key, value in
                key.lowercased().hasSuffix(".callingparty") && value.lowercased() == "true"
            }
            if flagged {
                return VendorParty(participant: participant, evidence: "its vendor data marks it callingParty=true")
            }
        }
        return nil
    }

    /// Looks for vendor data naming the callee among `candidates`.
    static func vendorCallee(in metadata: RecordingMetadata,
                             among candidates: [RecordingMetadata.Participant]) -> VendorParty? {
        party(in: metadata, uriKeys: calleeURIKeys, numberKeys: calleeNumberKeys, among: candidates, as: "called party")
    }

    /// The first candidate an extension of the session (or of a participant) names: a URI key by
    /// `user@host`, a number key by its digits.
    private static func party(in metadata: RecordingMetadata, uriKeys: Set<String>, numberKeys: Set<String>,
                              among candidates: [RecordingMetadata.Participant], as what: String) -> VendorParty? {
        // Sorted keys keep the choice deterministic if several such keys exist.
        for key in metadata.extensions.keys.sorted() {
            guard let localName = key.split(separator: ".").last?.lowercased(), let value = metadata.extensions[key] else { continue }
            if uriKeys.contains(localName), let wanted = addressKey(value),
               let match = candidates.first(where: { $0.nameIDs.contains { addressKey($0.aor) == wanted } }) {
                return VendorParty(participant: match, evidence: "vendor data \(key) names it as the \(what)")
            }
            if numberKeys.contains(localName), let wanted = digits(value),
               let match = candidates.first(where: { $0.nameIDs.contains { sameNumber(digits(userPart($0.aor)), wanted) } }) {
                return VendorParty(participant: match, evidence: "vendor data \(key) (\(value)) names it as the \(what)")
            }
        }
        return nil
    }

    /// The user part of a URI or AoR (`sip:+1303555@h;user=phone` → `+1303555`).
    static func userPart(_ aor: String) -> String {
        guard let key = addressKey(aor) else { return "" }
        return String(key.split(separator: "@", maxSplits: 1).first ?? "")
    }

    /// The digits of a phone number, or nil when it has fewer than three.
    static func digits(_ text: String) -> String? {
        let digits = text.filter(\.isASCIIDigit)
        return digits.count >= 3 ? String(digits) : nil
    }

    /// Equal numbers, or one the national form of the other (a suffix of at least seven digits).
    static func sameNumber(_ a: String?, _ b: String) -> Bool {
        guard let a else { return false }
        if a == b { return true }
        let (short, long) = a.count < b.count ? (a, b) : (b, a)
        return short.count >= 7 && long.hasSuffix(short)
    }

    /// Reduces a URI or From header value to a comparable `user@host`, lower-cased:
    /// display name, angle brackets, `sip:`/`sips:`/`tel:` scheme, parameters and headers
    /// are dropped, so `"Ext" <sip:100@h>;tag=x` matches an AoR written as `100@h`.
    static func addressKey(_ value: String) -> String? {
        var text = Substring(value)
        if let open = text.lastIndex(of: "<") {
            text = text[text.index(after: open)...]
            if let close = text.firstIndex(of: ">") { text = text[..<close] }
        }
        text = Substring(String(text).trimmingXMLWhitespace())
        for scheme in ["sips:", "sip:", "tel:"] where text.lowercased().hasPrefix(scheme) {
            text = text.dropFirst(scheme.count)
            break
        }
        if let end = text.firstIndex(where: { $0 == ";" || $0 == "?" || $0 == ">" }) { text = text[..<end] }
        let key = text.lowercased()
        return key.isEmpty ? nil : key
    }
}

private extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
