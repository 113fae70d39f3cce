import Config
import JSON
import RecordingModel
import Signatures

/// Lifecycle events in the form of reference 001 (RECORDINGSTARTED, RECORDINGREADY, RECORDINGFAILED,
/// RECORDINGCANCELLED) plus runtime-control updates (RECORDINGPAUSED, RECORDINGRESUMED,
/// RECORDINGUPDATED, RECORDINGUPDATEFAILED), each with a unique `eventId` and a verifiable `replyId`,
/// addressed to `{base}/` + the event's name in lower camel case.
public struct EventFactory: Sendable {
    public let settings: WebhooksSettings
    public let tokens: ReplyToken

    public init(settings: WebhooksSettings) {
        self.settings = settings
        tokens = ReplyToken(secret: Array(settings.secret.utf8))
    }

    public func started(_ record: RecordingRecord, metaData: String?) -> OutboxEvent {
        event("RECORDINGSTARTED", path: "recordingStarted", record, extra: [("metaData", .optional(metaData))])
    }

    /// The event for a recording that has ended: ready, failed or cancelled. `related` (other recordings
    /// of the same call) fills RECORDINGREADY's `relatedRecordings` as reference 001 defines it.
    public func ended(_ record: RecordingRecord, related: [RecordingRecord] = []) -> OutboxEvent {
        switch record.state {
        case .failed:
            return event("RECORDINGFAILED", path: "recordingFailed", record, extra: [("reason", .optional(record.reason))])
        case .cancelled:
            return event("RECORDINGCANCELLED", path: "recordingCancelled", record, extra: [("reason", .optional(record.reason))])
        default:
            var extra: [(String, JSONValue)] = [("meta", .string(meta(record)))]
            // The warning that says why it ended early: no RTP, a shutdown, or a crash (recovered at start-up).
            if let warning = record.warnings.last(where: { RecordingWarning.ending.contains($0) }) {
                extra.append(("warning", .string(warning.rawValue)))
            }
            if !related.isEmpty { extra.append(("relatedRecordings", RelatedRecordings.describe(record, related))) }
            let details = (try? JSONValue.parse(record.detailsJSON)) ?? .object([])
            if let segments = details["conferenceSegments"], segments != .array([]) { extra.append(("conferenceSegments", segments)) }
            if let holds = details["holds"], holds != .array([]) { extra.append(("holds", holds)) }
            return event("RECORDINGREADY", path: "recordingReady", record, extra: extra)
        }
    }

    public func paused(_ record: RecordingRecord, requestedBy: String?, cause: String) -> OutboxEvent {
        event("RECORDINGPAUSED", path: "recordingPaused", record, extra: [("cause", .string(cause)), ("by", .optional(requestedBy))])
    }

    public func resumed(_ record: RecordingRecord, requestedBy: String?, cause: String) -> OutboxEvent {
        event("RECORDINGRESUMED", path: "recordingResumed", record, extra: [("cause", .string(cause)), ("by", .optional(requestedBy))])
    }

    /// Directions changed (reference 004's update): the settled state.
    public func updated(_ record: RecordingRecord, requestedBy: String?) -> OutboxEvent {
        event("RECORDINGUPDATED", path: "recordingUpdated", record, extra: [("by", .optional(requestedBy))])
    }

    /// A direction request could not be carried out (reference 004's error), with the reason.
    public func updateFailed(_ record: RecordingRecord, reason: String, requestedBy: String?) -> OutboxEvent {
        event("RECORDINGUPDATEFAILED", path: "recordingUpdateFailed", record,
              extra: [("reason", .string(reason)), ("by", .optional(requestedBy))])
    }

    /// The stored file is in its bucket (STORERECORDING).
    public func stored(_ record: RecordingRecord, bucket: String, fileName: String) -> OutboxEvent {
        event("RECORDINGSTORED", path: "recordingStored", record,
              extra: [("destinationBucket", .string(bucket)), ("fileName", .string(fileName))])
    }

    /// STORERECORDING could not be carried out.
    public func storeFailed(_ record: RecordingRecord, reason: String) -> OutboxEvent {
        event("STORERECORDINGFAILED", path: "storeRecordingFailed", record, extra: [("reason", .string(reason))])
    }

    /// MERGERECORDINGS wrote the merged file (reported on the recording that started first).
    public func merged(_ record: RecordingRecord, bucket: String, fileName: String, recordingIds: [String]) -> OutboxEvent {
        event("RECORDINGSMERGED", path: "recordingsMerged", record,
              extra: [("destinationBucket", .string(bucket)), ("fileName", .string(fileName)),
                      ("mergedRecordings", .array(recordingIds.map(JSONValue.string)))])
    }

    /// MERGERECORDINGS could not be carried out.
    public func mergeFailed(_ record: RecordingRecord, reason: String) -> OutboxEvent {
        event("MERGERECORDINGSFAILED", path: "mergeRecordingsFailed", record, extra: [("reason", .string(reason))])
    }

    /// The recording's files left the temporary store (DELETERECORDING).
    public func deleted(_ record: RecordingRecord) -> OutboxEvent {
        event("RECORDINGDELETED", path: "recordingDeleted", record, extra: [])
    }

    /// DELETERECORDING could not be carried out.
    public func deleteFailed(_ record: RecordingRecord, reason: String) -> OutboxEvent {
        event("DELETERECORDINGFAILED", path: "deleteRecordingFailed", record, extra: [("reason", .string(reason))])
    }

    /// The reference's `meta` string: a `"recordingsPartsInfo"` member with the caller's and callee's streams.
    public func meta(_ record: RecordingRecord) -> String {
        func streams(_ role: String) -> JSONValue {
            .array(record.streams.filter { $0.role == role && $0.ssrc != nil }.map { s in
                .object([("start", .optional(s.startTime)), ("ssrc", .int(Int64(s.ssrc ?? 0)))])
            })
        }
        let info = JSONValue.object([("callerStreams", streams("caller")), ("calleeStreams", streams("callee"))])
        return "\"recordingsPartsInfo\": " + info.serialized()
    }

    public func replyId(_ record: RecordingRecord) -> String {
        tokens.token(recordingId: record.recordingId, domain: record.domain)
    }

    private func event(_ name: String, path: String, _ record: RecordingRecord, extra: [(String, JSONValue)]) -> OutboxEvent {
        let eventId = RecordingID.make()
        let details = (try? JSONValue.parse(record.detailsJSON)) ?? .object([])
        var members: [(String, JSONValue)] = [
            ("event", .string(name)), ("eventId", .string(eventId)),
            ("calledParty", .string(record.calledParty)), ("domain", .string(record.domain)),
            ("recordingId", .string(record.recordingId)), ("replyId", .string(replyId(record))),
            ("sipRecCallId", .string(record.sipRecCallId)), ("callKey", .optional(record.callKey)),
            ("originalCallId", .optional(record.originalCallId)), ("ucid", .optional(record.ucid)),
            ("role", .optional(record.role)),
            ("recordingState", .string(record.state.indicator.rawValue)),
            ("fileName", .optional(record.mp3Path.map(EventFactory.fileName))),
        ]
        if let directions = details["directions"] {
            members.append(("inbound", directions["inbound"] ?? .null))
            members.append(("outbound", directions["outbound"] ?? .null))
        }
        for key in ["headers", "requestedBy", "relatedRecordings"] where !extra.contains(where: { $0.0 == key }) {
            if let value = details[key], value != .null, value != .array([]) { members.append((key, value)) }
        }
        let body = JSONValue.object(members + extra)
        return OutboxEvent(eventId: eventId, url: "\(settings.base)/\(path)", body: body.serialized(),
                           createdAt: WallClock.unixMillis())
    }

    /// The recording's current file name (reference 002's GSIP_REC_FN): the MP3's base name.
    public static func fileName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}
