import SIPCore

/// Recovers the headers needed to address a 400 from a message the parser refused (bad start line,
/// bad Content-Length…). Only requests are salvaged; responses and garbage are dropped.
enum MalformedMessageSalvage {
    static func headers(from bytes: [UInt8]) -> SIPMessage? {
        guard bytes.count <= 65_535 else { return nil }
        // Split on bytes: as Characters, "\r\n" is one grapheme and would never match "\n".
        var lines = bytes.prefix(8192).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .map { line in String(decoding: line.last == UInt8(ascii: "\r") ? line.dropLast() : line, as: UTF8.self) }
        while let first = lines.first, first.isEmpty { lines.removeFirst() }
        guard let startLine = lines.first, !startLine.hasPrefix("SIP/") else { return nil }
        let method = startLine.split(separator: " ").first.map(String.init) ?? "UNKNOWN"
        var headers: [SIPHeader] = []
        for line in lines.dropFirst() {
            if line.isEmpty { break }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingCharacters()
            let value = line[line.index(after: colon)...].trimmingCharacters()
            guard !name.isEmpty, name.utf8.allSatisfy({ $0 > 32 && $0 < 127 }) else { continue }
            headers.append(SIPHeader(name: name, value: value))
        }
        let message = SIPMessage(startLine: .request(method: method.isEmpty ? "UNKNOWN" : method, uri: "sip:invalid"),
                                 headers: headers)
        return message
    }
}

extension Substring {
    func trimmingCharacters() -> String {
        var s = self[...]
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
