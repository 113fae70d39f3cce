import RecordingModel

/// Decoding of runtime-control request bodies into `ControlCommand` (RecordingModel).
extension ControlCommand {
    static let modes = ["active", "inactive", "none", "nochange"]

    /// Reads the (optional, for all but `directions`) JSON body.
    public static func parse(action: ControlAction, body text: String) throws(FieldError) -> ControlCommand {
        var command = ControlCommand(action: action)
        let trimmed = text.trimmingWhitespace
        guard !trimmed.isEmpty else {
            guard action != .directions else { throw FieldError(field: nil, "a body with inbound and/or outbound is required") }
            return command
        }
        let body = try BodyReader(text: String(trimmed))
        command.requestedBy = try body.string("requestedBy", maxLength: 64)
        if action == .directions {
            for key in ["inbound", "outbound"] {
                guard let mode = try body.string(key, maxLength: 16) else { continue }
                guard modes.contains(mode) else {
                    throw FieldError(field: key, "\(key) must be one of active, inactive, none, nochange (found \"\(mode)\")")
                }
                if key == "inbound" { command.inbound = mode } else { command.outbound = mode }
            }
            guard command.inbound != nil || command.outbound != nil else {
                throw FieldError(field: "inbound", "give inbound and/or outbound")
            }
        }
        return command
    }
}

extension String {
    var trimmingWhitespace: Substring {
        var s = self[...]
        while let f = s.first, f == " " || f == "\n" || f == "\r" || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\n" || l == "\r" || l == "\t" { s = s.dropLast() }
        return s
    }
}
