import JSON
import RecordingModel

/// Decoding of the device API's body into `SipRecordingCommand` (RecordingModel).
extension SipRecordingCommand {
    /// Validates a body exactly as the reference documents: command start|stop, callKey required,
    /// role ≤ 20, callRecordingDestUsername ≤ 60, at most 10 headers and only with start.
    public static func parse(_ text: String) throws(FieldError) -> SipRecordingCommand {
        let body = try BodyReader(text: text)
        let commandText = try body.required("command", maxLength: 16)
        guard let command = Command(rawValue: commandText) else {
            throw FieldError(field: "command", "command must be \"start\" or \"stop\", not \"\(commandText)\"")
        }
        let callKey = try body.required("callKey", maxLength: 256)
        let role = try body.string("role", maxLength: 20)
        let destUser = try body.string("callRecordingDestUsername", maxLength: 60)
        let requestedBy = try body.string("requestedBy", maxLength: 64)
        var headers: [(name: String, value: String)] = []
        if let value = body.value("headers") {
            guard command == .start else { throw FieldError(field: "headers", "headers are allowed only with command \"start\"") }
            guard case .array(let items) = value else { throw FieldError(field: "headers", "headers must be an array of {name, value}") }
            guard items.count <= 10 else { throw FieldError(field: "headers", "at most 10 headers are allowed (found \(items.count))") }
            for (index, item) in items.enumerated() {
                guard case .string(let name)? = item["name"], case .string(let value)? = item["value"] else {
                    throw FieldError(field: "headers", "headers[\(index)] must be an object with string name and value")
                }
                guard !name.isEmpty, name.count <= 64, name.utf8.allSatisfy(isTokenByte) else {
                    throw FieldError(field: "headers", "headers[\(index)].name must be a header name (letters, digits, -), at most 64 characters")
                }
                guard value.count <= 256, !value.unicodeScalars.contains(where: DisplayText.isControl) else {
                    throw FieldError(field: "headers", "headers[\(index)].value must be at most 256 characters without control characters (C0, DEL or C1)")
                }
                headers.append((name, value))
            }
        }
        return SipRecordingCommand(command: command, callKey: callKey, role: role, destUser: destUser, headers: headers,
                                   requestedBy: requestedBy)
    }

    /// RFC 7230 token characters.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): return true
        default: return Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
        }
    }
}
