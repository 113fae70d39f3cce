/// Writing tables back as TOML text.
extension TOMLTable {
    /// Renders the table as a TOML document: each table's plain keys first, then its non-empty sub-tables as
    /// `[a.b]` sections and its arrays of tables as `[[a.b]]` sections. Parsing the result yields an
    /// equal table.
    public func renderDocument() -> String {
        var lines: [String] = []
        render(path: [], into: &lines)
        return lines.joined(separator: "\n") + (lines.isEmpty ? "" : "\n")
    }

    private func render(path: [String], into lines: inout [String]) {
        for entry in self where !Self.isSection(entry.value) {
            lines.append("\(Self.renderKey(entry.key)) = \(Self.renderInline(entry.value))")
        }
        for entry in self where Self.isSection(entry.value) {
            let childPath = path + [entry.key]
            let header = childPath.map(Self.renderKey).joined(separator: ".")
            switch entry.value {
            case .table(let child):
                if child.contains(where: { !Self.isSection($0.value) }) {
                    if !lines.isEmpty { lines.append("") }
                    lines.append("[\(header)]")
                }
                child.render(path: childPath, into: &lines)
            case .array(let elements):
                for case .table(let element) in elements {
                    if !lines.isEmpty { lines.append("") }
                    lines.append("[[\(header)]]")
                    element.render(path: childPath, into: &lines)
                }
            default:
                break
            }
        }
    }

    /// Non-empty tables and arrays of tables get `[headers]`; everything else (including `{}`) is written inline.
    private static func isSection(_ value: TOMLValue) -> Bool {
        value.tableValue.map { !$0.isEmpty } ?? value.isArrayOfTables
    }

    /// A bare key when possible, otherwise a quoted one.
    static func renderKey(_ key: String) -> String {
        !key.isEmpty && key.utf8.allSatisfy(TOMLParser.isBareKeyByte) ? key : renderString(key)
    }

    /// A value on one line: strings quoted, arrays and tables inline.
    public static func renderInline(_ value: TOMLValue) -> String {
        switch value {
        case .string(let text): renderString(text)
        case .integer(let number): String(number)
        case .float(let number):
            number.isNaN ? "nan" : number.isInfinite ? (number < 0 ? "-inf" : "inf") : "\(number)"
        case .bool(let flag): flag ? "true" : "false"
        case .array(let elements): "[" + elements.map(renderInline).joined(separator: ", ") + "]"
        case .table(let table):
            table.isEmpty ? "{}" : "{ " + table.map { "\(renderKey($0.key)) = \(renderInline($0.value))" }.joined(separator: ", ") + " }"
        }
    }

    /// A basic string with `"`, `\` and control characters escaped.
    static func renderString(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let digits = String(scalar.value, radix: 16, uppercase: true)
                    result += "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}
