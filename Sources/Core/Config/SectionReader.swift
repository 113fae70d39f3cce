/// Reads typed values out of one section, turning every problem into a ``ConfigError`` that
/// names the key (as `section.key`) and its line.
struct SectionReader {
    let section: String
    let table: TOMLTable
    /// Line of the section header, used when a key has no line of its own.
    let sectionLine: Int?

    /// Rejects keys not in `known`, suggesting the closest known key.
    init(section: String, table: TOMLTable, line: Int?, known: [String]) throws(ConfigError) {
        self.section = section
        self.table = table
        sectionLine = line
        for entry in table where !known.contains(entry.key) {
            let hint = KeySuggestion.hint(for: entry.key, among: known)
            throw ConfigError(code: .unknownKey, line: entry.line, message: "unknown key '\(section).\(entry.key)'\(hint)")
        }
    }

    func line(_ key: String) -> Int? { table.line(forKey: key) ?? sectionLine }

    func wrongType(_ key: String, expected: String, found value: TOMLValue) -> ConfigError {
        ConfigError(code: .wrongType, line: line(key), message: "'\(section).\(key)' must be \(expected), found \(value.typeDescription)")
    }

    func invalid(_ key: String, _ message: String) -> ConfigError {
        ConfigError(code: .invalidValue, line: line(key), message: "'\(section).\(key)' \(message)")
    }

    func string(_ key: String) throws(ConfigError) -> String? {
        guard let value = table[key] else { return nil }
        guard let string = value.stringValue else { throw wrongType(key, expected: "a string", found: value) }
        return string
    }

    func bool(_ key: String) throws(ConfigError) -> Bool? {
        guard let value = table[key] else { return nil }
        guard let bool = value.boolValue else { throw wrongType(key, expected: "true or false", found: value) }
        return bool
    }

    func integer(_ key: String, in range: ClosedRange<Int>) throws(ConfigError) -> Int? {
        guard let value = table[key] else { return nil }
        guard let integer = value.integerValue else { throw wrongType(key, expected: "an integer", found: value) }
        guard integer >= Int64(range.lowerBound), integer <= Int64(range.upperBound) else {
            throw invalid(key, "must be between \(range.lowerBound) and \(range.upperBound), found \(integer)")
        }
        return Int(integer)
    }

    /// A string value converted by `parse`; `example` shows the expected form in errors.
    func parsed<T>(_ key: String, as what: String, example: String, _ parse: (String) -> T?) throws(ConfigError) -> T? {
        guard let text = try string(key) else { return nil }
        guard let result = parse(text) else { throw invalid(key, "has an invalid value \"\(text)\": expected \(what) like \(example)") }
        return result
    }

    /// An array of strings each converted by `parse`.
    func parsedArray<T>(_ key: String, as what: String, example: String, _ parse: (String) -> T?) throws(ConfigError) -> [T]? {
        guard let value = table[key] else { return nil }
        let expected = "an array of strings like [\(example)]"
        guard let elements = value.arrayValue else { throw wrongType(key, expected: expected, found: value) }
        var results: [T] = []
        for element in elements {
            guard let text = element.stringValue else { throw wrongType(key, expected: expected, found: element) }
            guard let result = parse(text) else { throw invalid(key, "has an invalid entry \"\(text)\": expected \(what) like \(example)") }
            results.append(result)
        }
        return results
    }

    func duration(_ key: String) throws(ConfigError) -> Duration? {
        try parsed(key, as: "a duration", example: "\"500ms\", \"30s\" or \"1h30m\"", ConfigDuration.parse)
    }

    /// A byte size given as a string with a unit ("512MB") or as an integer number of bytes.
    func byteSize(_ key: String) throws(ConfigError) -> Int64? {
        if let value = table[key], let bytes = value.integerValue {
            guard bytes >= 0 else { throw invalid(key, "must not be negative") }
            return bytes
        }
        return try parsed(key, as: "a size", example: "\"512MB\" or \"1GiB\"", ByteSize.parse)
    }

    /// A table whose values are all strings, e.g. `{ sbc = "secret" }`.
    func stringTable(_ key: String) throws(ConfigError) -> [String: String]? {
        guard let value = table[key] else { return nil }
        guard let inner = value.tableValue else { throw wrongType(key, expected: "a table of strings", found: value) }
        var result: [String: String] = [:]
        for entry in inner {
            guard let text = entry.value.stringValue else {
                throw ConfigError(code: .wrongType, line: entry.line > 0 ? entry.line : line(key),
                                  message: "'\(section).\(key).\(entry.key)' must be a string, found \(entry.value.typeDescription)")
            }
            result[entry.key] = text
        }
        return result
    }
}
