import TestSupport

/// A captured SIPREC INVITE body (`VendorBodies`), split into its parts.
struct Fixture {
    /// One part of a multipart body.
    struct Part {
        var headers: [String]
        var body: String

        func header(_ name: String) -> String? {
            headers.first { $0.lowercased().hasPrefix(name.lowercased() + ":") }
        }
    }

    let name: String
    let text: String

    init(_ name: String) throws {
        guard let bytes = VendorBodies.bytes(name) else {
            throw FixtureError(message: "cannot open \(VendorBodies.directory)/\(name)")
        }
        self.name = name
        self.text = String(decoding: bytes, as: UTF8.self)
    }

    /// Parts split on the boundary announced by the first non-blank line (`--BOUNDARY`).
    var parts: [Part] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
        guard let boundary = lines.map({ $0.trimmed }).first(where: { !$0.isEmpty }),
              boundary.hasPrefix("--") else { return [] }
        var parts: [Part] = []
        var current: (headers: [String], body: [String], inBody: Bool)?
        for line in lines {
            if line.trimmed == boundary || line.trimmed == boundary + "--" {
                if let part = current { parts.append(Part(headers: part.headers, body: part.body.joined(separator: "\n"))) }
                current = line.trimmed == boundary ? ([], [], false) : nil
            } else if current != nil {
                if current!.inBody { current!.body.append(line) }
                else if line.trimmed.isEmpty { current!.inBody = true }
                else { current!.headers.append(line) }
            }
        }
        if let part = current { parts.append(Part(headers: part.headers, body: part.body.joined(separator: "\n"))) }
        return parts
    }

    /// The rs-metadata part's body; falls back to the `recording-session` disposition for
    /// bodies whose Content-Type was mangled in capture (broadworks-offer.txt).
    var metadataBytes: [UInt8]? {
        let part = parts.first { $0.header("Content-Type")?.contains("rs-metadata") == true }
            ?? parts.first { $0.header("Content-Disposition")?.contains("recording-session") == true }
        return part.map { Array($0.body.utf8) }
    }

    /// The `a=label` of each audio m-line of the SDP part (or of the whole body if it is bare SDP).
    var mediaLabels: [String?] {
        let sdp = parts.first { $0.header("Content-Type")?.contains("application/sdp") == true }?.body ?? text
        var labels: [String?] = []
        var inAudio = false // only audio m-lines are recorded
        for line in sdp.split(separator: "\n").map({ String($0).trimmed }) {
            if line.hasPrefix("m=") {
                inAudio = line.hasPrefix("m=audio")
                if inAudio { labels.append(nil) }
            } else if inAudio, line.hasPrefix("a=label:") {
                labels[labels.count - 1] = String(line.dropFirst("a=label:".count))
            }
        }
        return labels
    }
}

struct FixtureError: Error {
    var message: String
}

extension String {
    var trimmed: String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
