import NIOCore

/// A command of the cloud recording API (reference 001): `{method, recordingId, replyId}` posted to
/// `/{domain}/stoprecording`, `/{domain}/cancelrecording` or `/{domain}/deleterecording`.
public struct CloudCommand: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case stop = "STOPRECORDING"
        case cancel = "CANCELRECORDING"
        case delete = "DELETERECORDING"
        case store = "STORERECORDING"
        case merge = "MERGERECORDINGS"

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

    public var kind: Kind
    public var recordingId: String
    public var replyId: String
    /// The body as received (alarms quote it as `event`).
    public var raw: String
    /// When the request was read (CLOCK_MONOTONIC ns); set by the router (creation time otherwise).
    public var receivedNanos: Int64 = Int64(NIODeadline.now().uptimeNanoseconds)
    /// STORERECORDING's destination and edits.
    public var store: StoreParameters?
    /// MERGERECORDINGS' destination and recordings (its `recordingId` is empty: the replyId may be any
    /// of theirs).
    public var merge: MergeParameters?

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
