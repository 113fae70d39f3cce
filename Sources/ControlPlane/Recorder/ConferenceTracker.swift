import JSON
import RecordingMetadata

/// Conference segments of a recording (reference 001): spans during which the metadata shows three or
/// more participants associated with the session. Fed with each metadata version as it arrives (the
/// INVITE's, then every update's), stamped with siprecd's clock.
struct ConferenceTracker: Sendable {
    struct Segment: Sendable, Equatable {
        var startTime: Int64
        var endTime: Int64?
        /// User part of the participant whose arrival made it a conference.
        var aor: String?
    }

    private(set) var segments: [Segment] = []

    /// Participants associated now: those with a session association that has no disassociate time, or,
    /// when the metadata carries no associations, every participant.
    static func associated(_ metadata: RecordingMetadata) -> [RecordingMetadata.Participant] {
        guard !metadata.participantSessionAssociations.isEmpty else { return metadata.participants }
        let active = Set(metadata.participantSessionAssociations.filter { $0.disassociateTime == nil }.map(\.participantId))
        return metadata.participants.filter { active.contains($0.id) }
    }

    mutating func observe(_ metadata: RecordingMetadata?, atMillis now: Int64) {
        guard let metadata else { return }
        let present = ConferenceTracker.associated(metadata)
        let open = segments.last.map { $0.endTime == nil } ?? false
        if present.count >= 3, !open {
            segments.append(Segment(startTime: now, endTime: nil, aor: present.last.flatMap { ConferenceTracker.user(of: $0.aor) }))
        } else if present.count < 3, open {
            segments[segments.count - 1].endTime = now
        }
    }

    mutating func close(atMillis now: Int64) {
        if let last = segments.last, last.endTime == nil { segments[segments.count - 1].endTime = max(now, last.startTime) }
    }

    var json: JSONValue {
        .array(segments.map { s in
            .object([("startTime", .int(s.startTime)), ("endTime", .optional(s.endTime)), ("aor", .optional(s.aor)),
                     ("state", .string(s.endTime == nil ? "active" : "stopped"))])
        })
    }

    /// `alice` of `sip:alice@example.com` (or of a tel: URI's number).
    static func user(of aor: String?) -> String? {
        guard var text = aor?[...] else { return nil }
        for scheme in ["sips:", "sip:", "tel:"] where text.lowercased().hasPrefix(scheme) { text = text.dropFirst(scheme.count) }
        return String(text.prefix { $0 != "@" && $0 != ";" && $0 != ">" })
    }
}
