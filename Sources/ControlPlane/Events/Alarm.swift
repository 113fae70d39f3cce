import JSON
import RecordingModel

/// Alarms (reference 001's alarm topic), POSTed to `[webhooks] alarms` and shown on the live stream.
public enum Alarm: Sendable {
    /// A recording ended in error.
    case recordingFailed(RecordingRecord)
    /// A STOPRECORDING command (or stop request) failed; `event` is the command as received.
    case stopRecordingError(event: String, error: String)
    /// A CANCELRECORDING command (or cancel request) failed.
    case cancelRecordingError(event: String, error: String)
    /// A direction request could not be carried out.
    case updateRecordingError(RecordingRecord, String)
    /// An event could not be delivered (first failure; deliveries are retried).
    case eventNotificationError(event: String, error: String)
    /// A recording's temporary files were deleted because it expired (no DELETERECORDING in time).
    case tempRecordingDeleted(RecordingRecord, modifiedDate: Int64)
    /// A recording's files could not be written to the temporary store (disk full, I/O error).
    case tempStorageError(RecordingRecord, details: String)
    /// A STORERECORDING command failed.
    case storeRecordingError(event: String, error: String)
    /// A DELETERECORDING command failed.
    case deleteRecordingError(event: String, error: String)
    /// A request siprecd made (newCall) failed or timed out.
    case apiRequestError(method: String, requestUri: String, statusCode: Int?, statusMessage: String, recordingId: String?)

    public var type: String {
        switch self {
        case .recordingFailed: return "recordingFailed"
        case .stopRecordingError: return "stopRecordingError"
        case .cancelRecordingError: return "cancelRecordingError"
        case .updateRecordingError: return "updateRecordingError"
        case .eventNotificationError: return "eventNotificationError"
        case .tempRecordingDeleted: return "tempRecordingDeleted"
        case .deleteRecordingError: return "deleteRecordingError"
        case .storeRecordingError: return "storeRecordingError"
        case .tempStorageError: return "tempStorageError"
        case .apiRequestError: return "apiRequestError"
        }
    }
}

extension EventFactory {
    public func alarm(_ alarm: Alarm) -> OutboxEvent {
        let eventId = RecordingID.make()
        var members: [(String, JSONValue)] = [("type", .string(alarm.type)), ("eventId", .string(eventId))]
        switch alarm {
        case .recordingFailed(let record):
            members += [("event", .string("recordingFailed")), ("recordingId", .string(record.recordingId)),
                        ("domain", .string(record.domain)), ("error", .string(record.reason ?? "recording failed"))]
        case .tempStorageError(let record, let details):
            members += [("event", .string("tempStorageError")), ("recordingId", .string(record.recordingId)),
                        ("domain", .string(record.domain)),
                        ("error", .string("Failure to store the recording in the temporary storage")),
                        ("errorDetails", .string(details))]
        case .tempRecordingDeleted(let record, let modified):
            members += [("event", .string("tempRecordingDeleted")), ("recordingId", .string(record.recordingId)),
                        ("domain", .string(record.domain)), ("service", .string("siprec")),
                        ("modifiedDate", .string(WallClock.iso8601(modified))),
                        ("error", .string("Recording id \(record.recordingId) expired."))]
        case .stopRecordingError(let event, let error), .cancelRecordingError(let event, let error),
             .eventNotificationError(let event, let error), .deleteRecordingError(let event, let error),
             .storeRecordingError(let event, let error):
            members += [("event", .string(event)), ("error", .string(error))]
        case .updateRecordingError(let record, let error):
            members += [("recordingId", .string(record.recordingId)), ("domain", .string(record.domain)),
                        ("error", .string(error))]
        case .apiRequestError(let method, let requestUri, let statusCode, let statusMessage, let recordingId):
            members += [("method", .string(method)), ("requestUri", .string(requestUri)),
                        ("statusCode", statusCode.map { .int(Int64($0)) } ?? .null),
                        ("statusMessage", .string(statusMessage)), ("recordingId", .optional(recordingId))]
        }
        return OutboxEvent(eventId: eventId, url: settings.alarmsURL, body: JSONValue.object(members).serialized(),
                           createdAt: WallClock.unixMillis())
    }
}
