/// Parses `host[:port]` where host may be a bracketed IPv6 reference.
/// Returns the host without brackets. Shared by URIs and Via sent-by.
func parseHostPort(_ text: Substring) -> (host: String, port: Int?)? {
    let hostText: Substring
    let portText: Substring?
    if text.first == "[" {
        guard let close = text.firstIndex(of: "]") else { return nil }
        hostText = text[text.index(after: text.startIndex)..<close]
        let rest = text[text.index(after: close)...]
        if rest.isEmpty {
            portText = nil
        } else if rest.first == ":" {
            portText = rest.dropFirst()
        } else {
            return nil
        }
        guard !hostText.isEmpty, hostText.allSatisfy(isIPv6Character) else { return nil }
    } else {
        if let colon = text.firstIndex(of: ":") {
            hostText = text[..<colon]
            portText = text[text.index(after: colon)...]
        } else {
            hostText = text
            portText = nil
        }
        guard !hostText.isEmpty, hostText.allSatisfy(isHostCharacter) else { return nil }
    }
    var port: Int?
    if let portText {
        guard let value = parseBoundedDecimal(portText, max: 65_535) else { return nil }
        port = value
    }
    return (String(hostText), port)
}

/// Host names and IPv4 addresses. `_` is tolerated because some equipment uses it
/// in host names (e.g. "SBC_IP" placeholders) and rejecting them gains nothing.
private func isHostCharacter(_ character: Character) -> Bool {
    guard let ascii = character.asciiValue else { return false }
    switch ascii {
    case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
    default: return ascii == UInt8(ascii: "-") || ascii == UInt8(ascii: ".") || ascii == UInt8(ascii: "_")
    }
}

/// IPv6 references: hex digits, colons, dots (embedded IPv4) and `%` zone ids.
private func isIPv6Character(_ character: Character) -> Bool {
    guard let ascii = character.asciiValue else { return false }
    return character.isHexDigit || ascii == UInt8(ascii: ":") || ascii == UInt8(ascii: ".")
        || ascii == UInt8(ascii: "%") || character.isLetter || character.isNumber
}

/// The host as written in a URI or Via: IPv6 addresses get their brackets back.
func bracketedHost(_ host: String) -> String {
    host.contains(":") ? "[\(host)]" : host
}
