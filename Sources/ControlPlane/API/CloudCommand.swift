import RecordingModel

extension CloudCommand.Kind {
    /// The kind a cloud route's last path segment names.
    init?(path: String) {
        switch path {
        case "stoprecording": self = .stop
        case "cancelrecording": self = .cancel
        case "deleterecording": self = .delete
        case "storerecording": self = .store
        case "mergerecordings": self = .merge
        default: return nil
        }
    }
}

/// Decoding of cloud command bodies (reference 001) into `CloudCommand` (RecordingModel).
extension CloudCommand {
    public static func parse(kind: Kind, body text: String) throws(FieldError) -> CloudCommand {
        let body = try BodyReader(text: text)
        if let method = try body.string("method", maxLength: 32), method != kind.rawValue {
            throw FieldError(field: "method", "method must be \"\(kind.rawValue)\" on this path, not \"\(method)\"")
        }
        let recordingId = kind == .merge ? "" : try body.required("recordingId", maxLength: 64)
        let replyId = try body.required("replyId", maxLength: 4096)
        let store = kind == .store ? try StoreParameters.parse(body) : nil
        let merge = kind == .merge ? try MergeParameters.parse(body) : nil
        return CloudCommand(kind: kind, recordingId: recordingId, replyId: replyId, raw: text, store: store, merge: merge)
    }
}
