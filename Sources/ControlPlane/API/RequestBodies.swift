import JSON

/// A request body that could not be used: which field, and why (answered 400 with both).
public struct FieldError: Error, Sendable, Equatable {
    public var field: String?
    public var message: String

    public init(field: String?, _ message: String) {
        self.field = field
        self.message = message
    }
}

/// Reading typed fields out of a JSON request body, with errors that name the field.
struct BodyReader {
    let object: [(String, JSONValue)]

    init(text: String) throws(FieldError) {
        let value: JSONValue
        do {
            value = try JSONValue.parse(text, maxDepth: 8)
        } catch {
            throw FieldError(field: nil, "the body is not valid JSON: \(error.description)")
        }
        guard case .object(let members) = value else { throw FieldError(field: nil, "the body must be a JSON object") }
        object = members
    }

    func value(_ key: String) -> JSONValue? {
        guard let found = object.first(where: { $0.0 == key })?.1 else { return nil }
        if case .null = found { return nil }
        return found
    }

    /// An optional string of at most `maxLength` characters; empty counts as absent.
    func string(_ key: String, maxLength: Int) throws(FieldError) -> String? {
        guard let value = value(key) else { return nil }
        guard case .string(let text) = value else { throw FieldError(field: key, "\(key) must be a string") }
        guard text.count <= maxLength else {
            throw FieldError(field: key, "\(key) must be at most \(maxLength) characters (found \(text.count))")
        }
        guard !text.unicodeScalars.contains(where: DisplayText.isControl) else {
            throw FieldError(field: key, "\(key) must not contain control characters (C0, DEL or C1)")
        }
        return text.isEmpty ? nil : text
    }

    func required(_ key: String, maxLength: Int) throws(FieldError) -> String {
        guard let text = try string(key, maxLength: maxLength) else { throw FieldError(field: key, "\(key) is required") }
        return text
    }
}
