/// A `;name=value` or `;name` parameter of a URI or header.
public struct SIPParameter: Sendable, Equatable {
    /// The parameter name as received.
    public var name: String
    /// The value, or nil for a flag such as `;lr` or `;+sip.src`.
    public var value: String?

    /// Creates a parameter.
    public init(name: String, value: String? = nil) {
        self.name = name
        self.value = value
    }

    /// `;name` or `;name=value`, as serialised.
    var serialized: String {
        if let value { return ";\(name)=\(value)" }
        return ";\(name)"
    }

    /// Parses `;a=1;b;c="x;y"` (the leading `;` optional). Quoted values keep their
    /// quotes unless `unquote` is set, so header parameters round-trip exactly.
    static func parseList(_ text: Substring, unquote: Bool) -> [SIPParameter] {
        var parameters: [SIPParameter] = []
        for piece in splitOutsideQuotes(text, separator: ";", respectAngleBrackets: false) {
            let trimmed = piece.trimmingSIPWhitespace
            guard !trimmed.isEmpty else { continue }
            if let equals = trimmed.firstIndex(of: "=") {
                let name = trimmed[..<equals].trimmingSIPWhitespace
                let value = trimmed[trimmed.index(after: equals)...].trimmingSIPWhitespace
                guard !name.isEmpty else { continue }
                parameters.append(SIPParameter(name: String(name), value: unquote ? unquoted(value) : String(value)))
            } else {
                parameters.append(SIPParameter(name: String(trimmed), value: nil))
            }
        }
        return parameters
    }
}

extension Array where Element == SIPParameter {
    /// Looks a parameter up by case-insensitive name: nil when absent,
    /// `.some(nil)` when present without a value.
    func lookup(_ name: String) -> String?? {
        let wanted = name.asciiLowercased
        guard let found = first(where: { $0.name.asciiLowercased == wanted }) else { return nil }
        return .some(found.value)
    }

    /// Replaces the first instance of a parameter or appends it.
    mutating func set(_ name: String, _ value: String?) {
        let wanted = name.asciiLowercased
        if let index = firstIndex(where: { $0.name.asciiLowercased == wanted }) {
            self[index].value = value
        } else {
            append(SIPParameter(name: name, value: value))
        }
    }

    var serialized: String { map(\.serialized).joined() }
}
