import JSON
import RecordingModel

/// Decoding of the body into `StoreParameters` (RecordingModel).
extension StoreParameters {
    static func parse(_ body: BodyReader) throws(FieldError) -> StoreParameters {
        let bucket = try body.required("destinationBucket", maxLength: 64)
        var parameters = StoreParameters(destinationBucket: bucket, fileName: try body.string("fileName", maxLength: 200),
                                         encryptionKey: try body.string("encryptionKey", maxLength: 128))
        guard let modification = body.value("modificationParams") else { return parameters }
        guard case .object = modification else { throw FieldError(field: "modificationParams", "modificationParams must be an object") }
        if let absolute = modification["absoluteTimes"] {
            guard case .bool(let flag) = absolute else { throw FieldError(field: "modificationParams", "absoluteTimes must be true or false") }
            parameters.absoluteTimes = flag
        }
        if let trim = modification["trim"] { parameters.trim = try span(trim, "trim") }
        if let mask = modification["mask"] {
            guard case .object = mask else { throw FieldError(field: "modificationParams", "mask must be an object") }
            if mask["from"] != nil || mask["to"] != nil {
                let both = try span(mask, "mask")
                parameters.maskCaller = [both]
                parameters.maskCallee = [both]
                if let type = mask["type"] {
                    guard case .string(let fill) = type, fill == "beep" || fill == "silence" else {
                        throw FieldError(field: "modificationParams", "mask.type must be \"beep\" or \"silence\"")
                    }
                    parameters.maskFill = fill
                }
            } else {
                parameters.maskCaller = try spans(mask["caller"], "mask.caller")
                parameters.maskCallee = try spans(mask["callee"], "mask.callee")
            }
        }
        return parameters
    }

    static func spans(_ value: JSONValue?, _ name: String) throws(FieldError) -> [Span] {
        guard let value else { return [] }
        guard case .array(let items) = value, items.count <= 100 else {
            throw FieldError(field: "modificationParams", "\(name) must be an array of at most 100 {from, to}")
        }
        var out: [Span] = []
        for item in items { out.append(try span(item, name)) }
        return out
    }

    static func span(_ value: JSONValue, _ name: String) throws(FieldError) -> Span {
        func number(_ key: String) throws(FieldError) -> Double {
            switch value[key] {
            case .int(let n)?: return Double(n)
            case .double(let d)? where d.isFinite: return d
            default: throw FieldError(field: "modificationParams", "\(name).\(key) must be a number")
            }
        }
        let span = Span(from: try number("from"), to: try number("to"))
        guard span.from >= 0, span.to > span.from else {
            throw FieldError(field: "modificationParams", "\(name) must have 0 ≤ from < to")
        }
        return span
    }
}
