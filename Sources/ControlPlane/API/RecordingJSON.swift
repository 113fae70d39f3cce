import JSON
import RecordingModel

/// The JSON form of a recording, shared by `GET /api/v1/recordings…` and `siprecd recordings --json`.
public enum RecordingJSON {
    public static func encode(_ r: RecordingRecord) -> JSONValue { encode(r, replyId: nil) }

    /// With `replyId`: the token the cloud commands (STORERECORDING, …) take for this recording, for
    /// callers who do not receive the events.
    public static func encode(_ r: RecordingRecord, replyId: String?) -> JSONValue {
        let details = (try? JSONValue.parse(r.detailsJSON)) ?? .object([])
        let duration = r.endTime.map { $0 - r.startTime }
        var members: [(String, JSONValue)] = [
            ("recordingId", .string(r.recordingId)),
            ("replyId", .optional(replyId)),
            ("state", .string(r.state.rawValue)),
            ("indicator", .string(r.state.indicator.rawValue)),
            ("fileName", .optional(r.mp3Path.map { String($0.split(separator: "/").last ?? "") })),
            ("sipRecCallId", .string(r.sipRecCallId)),
            ("sessionId", .optional(r.sessionId)),
            ("groupId", .optional(r.groupId)),
            ("calledParty", .string(r.calledParty)),
            ("domain", .string(r.domain)),
            ("sourceAddress", .string(r.sourceAddress)),
            ("callKey", .optional(r.callKey)),
            ("originalCallId", .optional(r.originalCallId)),
            ("ucid", .optional(r.ucid)),
            ("role", .optional(r.role)),
            ("startTime", .string(WallClock.iso8601(r.startTime))),
            ("endTime", r.endTime.map { .string(WallClock.iso8601($0)) } ?? .null),
            ("durationMs", .optional(duration)),
            ("warnings", .array(r.warnings.map { .string($0.rawValue) })),
            ("reason", .optional(r.reason)),
            ("sampleRate", .int(Int64(r.sampleRate))),
            ("participants", .array(r.participants.map { p in
                .object([("participantId", .string(p.participantId)), ("aor", .string(p.aor)),
                         ("name", .optional(p.name)), ("role", .string(p.role))])
            })),
            ("meta", .object([("recordingsPartsInfo", .array(r.streams.map(part)))])),
        ]
        for key in ["trigger", "requestedBy", "headers", "relatedRecordings", "directions", "pauses", "holds", "directionSpans", "dtmf",
                    "channelAssignment", "reception", "metadataError", "metadataRepairs", "metadataSchema", "conferenceSegments",
                    "participantHistory"] {
            if let value = details[key] { members.append((key, value)) }
        }
        members.append(("files", .object([
            ("wav", r.masterPath == nil ? .null : .string("/api/v1/recordings/\(r.recordingId)/audio?format=wav")),
            ("mp3", r.mp3Path == nil ? .null : .string("/api/v1/recordings/\(r.recordingId)/audio?format=mp3")),
        ])))
        return .object(members)
    }

    /// One entry of meta.recordingsPartsInfo: a recorded stream.
    static func part(_ s: StreamRecord) -> JSONValue {
        .object([
            ("label", .optional(s.label)), ("mLineIndex", .int(Int64(s.mLineIndex))),
            ("ssrc", s.ssrc.map { .int(Int64($0)) } ?? .null),
            ("startTime", s.startTime.map { .string(WallClock.iso8601($0)) } ?? .null),
            ("startSample", .optional(s.startSample)), ("channel", .int(Int64(s.channel))),
            ("role", .string(s.role)), ("codec", .optional(s.codec)),
            ("packets", .int(s.packets)), ("lost", .int(s.lost)), ("late", .int(s.late)), ("duplicates", .int(s.duplicates)),
        ])
    }
}
