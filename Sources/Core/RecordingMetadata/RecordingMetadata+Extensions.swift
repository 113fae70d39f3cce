/// Flattening vendor data that RFC 7865 does not model.
extension RecordingMetadata {
    /// Local names (lower-cased) the model reads itself; everything else is vendor data.
    static let modelledNames: Set<String> = [
        "recording", "datamode", "group", "session", "participant", "stream",
        "sessionrecordingassoc", "participantsessionassoc", "participantstreamassoc",
        "associate-time", "disassociate-time", "start-time", "stop-time",
        "sipsessionid", "group-ref", "nameid", "name", "send", "recv", "label",
        // Draft-era stream mixing mode ("separate"/"mixed"); known, deliberately unused.
        "mode",
    ]

    /// Adds the vendor data found among `element`'s children that the model does not read.
    static func collectUnknownChildren(of element: XMLElement, into extensions: inout [String: String]) {
        for child in element.children where !modelledNames.contains(child.localName.lowercased()) {
            collectExtensions(from: child, parent: element, into: &extensions)
        }
    }

    /// Flattens a vendor subtree: every leaf with non-empty text becomes
    /// `"parentLocalName.localName": text`. Keys keep the sender's spelling; the first
    /// occurrence wins so a later duplicate cannot overwrite, e.g., the original caller.
    /// Recursion depth is bounded by ``XMLDocument/Limits/maxDepth``.
    static func collectExtensions(from element: XMLElement, parent: XMLElement,
                                  into extensions: inout [String: String]) {
        guard element.children.isEmpty else {
            for child in element.children {
                collectExtensions(from: child, parent: element, into: &extensions)
            }
            return
        }
        let value = element.trimmedText
        guard !value.isEmpty else { return }
        let key = "\(parent.localName).\(element.localName)"
        if extensions[key] == nil { extensions[key] = value }
        // Oracle's `<apkt:header label="Call-ID">…</apkt:header>`: the label tells the leaves apart.
        if let label = element.attribute("label") ?? element.attribute("name"), !label.isEmpty, label.count <= 64 {
            let labelled = "\(key)[\(label)]"
            if extensions[labelled] == nil { extensions[labelled] = value }
        }
    }
}
