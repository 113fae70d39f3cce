/// Comments, CDATA, declarations, processing instructions and character data.
extension XMLScanner {
    mutating func skipComment() throws(MetadataError) {
        let start = index
        guard let end = find("-->", from: index + 4) else {
            throw error(.malformed, "unterminated comment starting at line \(line(at: start))")
        }
        index = end + 3
    }

    mutating func skipProcessingInstruction() throws(MetadataError) {
        let start = index
        guard let end = find("?>", from: index + 2) else {
            throw error(.malformed, "unterminated processing instruction starting at line \(line(at: start))")
        }
        index = end + 2
    }

    mutating func scanCDATA() throws(MetadataError) {
        let start = index
        guard !stack.isEmpty else {
            throw error(.malformed, "CDATA section outside the root element at line \(line(at: start))")
        }
        guard let end = find("]]>", from: index + 9) else {
            throw error(.malformed, "unterminated CDATA section starting at line \(line(at: start))")
        }
        // CDATA is literal: appended without entity decoding.
        textBuffers[textBuffers.count - 1].append(contentsOf: bytes[(start + 9)..<end])
        index = end + 3
    }

    /// `<!DOCTYPE ...>` (or any other `<!` declaration) is refused: DTDs are the only way to
    /// define entities, so refusing them removes billion-laughs and external-entity attacks.
    func rejectDeclaration() throws(MetadataError) {
        let at = line(at: index)
        if hasPrefix("<!DOCTYPE") || hasPrefix("<!doctype") {
            throw error(.doctypeForbidden, "DOCTYPE declarations are not allowed in metadata (line \(at))")
        }
        throw error(.malformed, "unexpected '<!' markup at line \(at)")
    }

    /// Character data up to the next `<`. Outside the root only whitespace is allowed.
    mutating func scanText(afterRoot: Bool) throws(MetadataError) {
        let start = index
        while index < bytes.count, bytes[index] != UInt8(ascii: "<") { index += 1 }
        guard !stack.isEmpty else {
            if bytes[start..<index].allSatisfy(Self.isWhitespace) { return }
            let place = afterRoot ? "after the root element" : "before the root element"
            throw error(.malformed, "unexpected text \(place) at line \(line(at: start))")
        }
        var bare: Int?
        decodeReferences(from: start, to: index, into: &textBuffers[textBuffers.count - 1], bareAmpersand: &bare)
        if let bare { noteBareAmpersand(at: bare) }
    }
}
