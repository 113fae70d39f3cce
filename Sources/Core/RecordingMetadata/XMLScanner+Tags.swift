/// Start tags, attributes and end tags.
extension XMLScanner {
    /// Scans `<name attr="v" ...>` or `<name .../>`. Returns the element when it closed the
    /// root (an empty root element), otherwise `nil`.
    mutating func scanStartTag() throws(MetadataError) -> XMLElement? {
        let start = index
        index += 1
        let name = try scanName(what: "element name")
        guard stack.count < limits.maxDepth else {
            throw error(.limitExceeded, "elements nested deeper than \(limits.maxDepth) levels at line \(line(at: start))")
        }
        elementCount += 1
        guard elementCount <= limits.maxElements else {
            throw error(.limitExceeded, "more than \(limits.maxElements) elements in metadata (line \(line(at: start)))")
        }
        let attributes = try scanAttributes(elementName: name)
        let element = XMLElement(name: name, attributes: attributes, line: advanceLine(to: start))
        if hasPrefix("/>") {
            index += 2
            return close(element)
        }
        guard hasPrefix(">") else {
            throw error(.malformed, "expected '>' to end start tag <\(name)> at line \(line(at: index))")
        }
        index += 1
        stack.append(element)
        starts.append(start)
        textBuffers.append([])
        return nil
    }

    /// Scans `</name>`. Returns the root when this tag closed it, otherwise `nil`.
    mutating func scanEndTag() throws(MetadataError) -> XMLElement? {
        let start = index
        index += 2
        let name = try scanName(what: "end tag name")
        skipWhitespace()
        guard hasPrefix(">") else {
            throw error(.malformed, "expected '>' to end </\(name)> at line \(line(at: index))")
        }
        index += 1
        guard var element = stack.popLast(), let opened = starts.popLast(), let text = textBuffers.popLast() else {
            throw error(.malformed, "end tag </\(name)> without a matching start tag at line \(line(at: start))")
        }
        guard element.name == name else {
            throw error(.mismatchedTag,
                        "end tag </\(name)> at line \(line(at: start)) does not match <\(element.name)> opened at line \(line(at: opened))")
        }
        element.text = String(decoding: text, as: UTF8.self)
        return close(element)
    }

    /// Attaches a finished element to its parent, or returns it when it is the root.
    private mutating func close(_ element: XMLElement) -> XMLElement? {
        guard !stack.isEmpty else { return element }
        stack[stack.count - 1].children.append(element)
        return nil
    }

    private mutating func scanAttributes(elementName: String) throws(MetadataError) -> [XMLAttribute] {
        var attributes: [XMLAttribute] = []
        while true {
            let hadSpace = index < bytes.count && Self.isWhitespace(bytes[index])
            skipWhitespace()
            if index >= bytes.count || hasPrefix(">") || hasPrefix("/>") { return attributes }
            guard hadSpace else {
                throw error(.malformed, "expected whitespace before attribute in <\(elementName)> at line \(line(at: index))")
            }
            let name = try scanName(what: "attribute name in <\(elementName)>")
            skipWhitespace()
            guard hasPrefix("=") else {
                throw error(.malformed, "attribute '\(name)' in <\(elementName)> has no '=' (line \(line(at: index)))")
            }
            index += 1
            skipWhitespace()
            let value = try scanAttributeValue(name: name)
            guard !attributes.contains(where: { $0.name == name }) else {
                throw error(.malformed, "duplicate attribute '\(name)' in <\(elementName)> at line \(line(at: index))")
            }
            guard attributes.count < limits.maxAttributes else {
                throw error(.limitExceeded, "more than \(limits.maxAttributes) attributes in <\(elementName)> at line \(line(at: index))")
            }
            attributes.append(XMLAttribute(name: name, value: value))
        }
    }

    private mutating func scanAttributeValue(name: String) throws(MetadataError) -> String {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") else {
            throw error(.malformed, "value of attribute '\(name)' is not quoted at line \(line(at: index))")
        }
        let quote = bytes[index]
        let start = index + 1
        var end = start
        while end < bytes.count, bytes[end] != quote {
            guard bytes[end] != UInt8(ascii: "<") else {
                throw error(.malformed, "'<' inside the value of attribute '\(name)' at line \(line(at: end))")
            }
            end += 1
        }
        guard end < bytes.count else {
            throw error(.malformed, "unterminated value of attribute '\(name)' starting at line \(line(at: start))")
        }
        var decoded: [UInt8] = []
        var bare: Int?
        decodeReferences(from: start, to: end, into: &decoded, bareAmpersand: &bare)
        if let bare { noteBareAmpersand(at: bare) }
        index = end + 1
        return String(decoding: decoded, as: UTF8.self)
    }

    /// Scans an XML name. Non-ASCII bytes are accepted as name characters so that
    /// internationalised names parse; ASCII punctuation other than `_ : - .` is rejected.
    private mutating func scanName(what: String) throws(MetadataError) -> String {
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            let isStartChar = (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":") || byte >= 0x80
            let isNameChar = isStartChar || (byte >= 0x30 && byte <= 0x39)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
            guard index == start ? isStartChar : isNameChar else { break }
            index += 1
        }
        guard index > start else {
            let found = index < bytes.count ? "'\(Character(Unicode.Scalar(bytes[index])))'" : "end of document"
            throw error(.malformed, "expected \(what) at line \(line(at: index)), found \(found)")
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }
}
