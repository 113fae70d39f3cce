import Catalog
import Config
import JSON
import Signatures

/// `[webhooks]`: where events go and the secret that signs them (and seals reply tokens).
public struct WebhookSettings: Sendable {
    /// `http://host[:port]/path`; events go to `{base}/recordingStarted`, `{base}/recordingReady`, …
    public var base: String
    public var secret: String

    /// Reads `[webhooks]` from the configuration; nil when no `base` is set (no webhooks).
    static func from(_ config: SiprecdConfig) throws(FileSystemError) -> WebhookSettings? {
        guard let table = config.extra["webhooks"]?.tableValue, let base = table["base"]?.stringValue, !base.isEmpty else {
            return nil
        }
        guard BlockingHTTP.Target(url: base) != nil else {
            throw FileSystemError(message: "webhooks.base '\(base)' must be an http://host[:port]/path URL (https comes later)")
        }
        return WebhookSettings(base: base.hasSuffix("/") ? String(base.dropLast()) : base,
                               secret: table["secret"]?.stringValue ?? "")
    }
}

/// Lifecycle events in the form of reference 001 (RECORDINGSTARTED, RECORDINGREADY, RECORDINGFAILED,
/// RECORDINGCANCELLED), each with a unique `eventId` and a verifiable `replyId`, addressed to
/// `{base}/` + the event's name in lower camel case.
struct EventFactory {
    let settings: WebhookSettings
    let tokens: ReplyToken

    init(settings: WebhookSettings) {
        self.settings = settings
        tokens = ReplyToken(secret: Array(settings.secret.utf8))
    }

    func started(_ record: RecordingRecord, metaData: String?) -> OutboxEvent {
        event("RECORDINGSTARTED", path: "recordingStarted", record, extra: [("metaData", .optional(metaData))])
    }

    /// The event for a recording that has ended: ready, failed or cancelled.
    func ended(_ record: RecordingRecord) -> OutboxEvent {
        switch record.state {
        case "failed":
            return event("RECORDINGFAILED", path: "recordingFailed", record, extra: [("reason", .optional(record.reason))])
        case "cancelled":
            return event("RECORDINGCANCELLED", path: "recordingCancelled", record, extra: [("reason", .optional(record.reason))])
        default:
            var extra: [(String, JSONValue)] = [("meta", .string(meta(record)))]
            if record.warnings.contains("rtpTimeout") { extra.append(("warning", .string("rtpTimeout"))) }
            return event("RECORDINGREADY", path: "recordingReady", record, extra: extra)
        }
    }

    /// The reference's `meta` string: a `"recordingsPartsInfo"` member with the caller's and callee's streams.
    func meta(_ record: RecordingRecord) -> String {
        func streams(_ role: String) -> JSONValue {
            .array(record.streams.filter { $0.role == role && $0.ssrc != nil }.map { s in
                .object([("start", .optional(s.startTime)), ("ssrc", .int(Int64(s.ssrc ?? 0)))])
            })
        }
        let info = JSONValue.object([("callerStreams", streams("caller")), ("calleeStreams", streams("callee"))])
        return "\"recordingsPartsInfo\": " + info.serialized()
    }

    private func event(_ name: String, path: String, _ record: RecordingRecord, extra: [(String, JSONValue)]) -> OutboxEvent {
        let eventId = RecordingID.make()
        let body = JSONValue.object([
            ("event", .string(name)), ("eventId", .string(eventId)),
            ("calledParty", .string(record.calledParty)), ("domain", .string(record.domain)),
            ("recordingId", .string(record.recordingId)),
            ("replyId", .string(tokens.token(recordingId: record.recordingId, domain: record.domain))),
            ("sipRecCallId", .string(record.sipRecCallId)), ("callKey", .optional(record.callKey)),
        ] + extra)
        return OutboxEvent(eventId: eventId, url: "\(settings.base)/\(path)", body: body.serialized(),
                           createdAt: WallClock.unixMillis())
    }
}
