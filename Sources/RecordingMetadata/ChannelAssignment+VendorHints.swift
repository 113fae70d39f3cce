/// Vendor extensions that name the original caller explicitly.
extension ChannelAssignment {
    /// A participant named as caller by vendor data, with the sentence fragment saying so.
    struct VendorCaller {
        var participant: RecordingMetadata.Participant
        var evidence: String
    }

    /// Extension local names (lower-cased) whose value is the original From of the call.
    private static let fromKeys: Set<String> = ["fromhdr", "fromuri", "from", "fromheader"]

    /// Looks for vendor data naming the caller among `candidates` (the participants sending
    /// on offered m-lines; a hint pointing elsewhere cannot be acted on, so it is ignored).
    static func vendorCaller(in metadata: RecordingMetadata,
                             among candidates: [RecordingMetadata.Participant]) -> VendorCaller? {
        // Sorted keys keep the choice deterministic if a sender has several From-like keys.
        for key in metadata.extensions.keys.sorted() {
            guard let localName = key.split(separator: ".").last,
                  fromKeys.contains(localName.lowercased()),
                  let value = metadata.extensions[key],
                  let from = addressKey(value) else { continue }
            if let match = candidates.first(where: { $0.nameIDs.contains { addressKey($0.aor) == from } }) {
                return VendorCaller(participant: match,
                                    evidence: "vendor data \(key) names it as the original caller")
            }
        }
        for participant in candidates {
            let flagged = participant.extensions.contains { key, value in
                key.lowercased().hasSuffix(".callingparty") && value.lowercased() == "true"
            }
            if flagged {
                return VendorCaller(participant: participant,
                                    evidence: "its vendor data marks it callingParty=true")
            }
        }
        return nil
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
