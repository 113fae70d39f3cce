import JSON
import RecordingMetadata

/// Who was on the call when: every participant the metadata versions showed (the INVITE's, then every
/// update's, complete or partial), with when siprecd saw them join and leave — a transfer that replaces a
/// party, a conference that adds one. Stamped with siprecd's clock (Unix ms), like `conferenceSegments`.
struct ParticipantHistory: Sendable {
    struct Entry: Sendable, Equatable {
        var participantId: String
        var aor: String?
        var name: String?
        var joinedAt: Int64
        var leftAt: Int64?
    }

    private(set) var entries: [Entry] = []
    /// Bounds what a metadata flood can make a recording keep.
    static let capacity = 256

    /// The participants of `metadata` still taking part: not disassociated, and with a session association
    /// still open when the metadata has any.
    static func present(_ metadata: RecordingMetadata) -> [RecordingMetadata.Participant] {
        ConferenceTracker.associated(metadata).filter { !$0.isDisassociated }
    }

    mutating func observe(_ metadata: RecordingMetadata?, atMillis now: Int64) {
        guard let metadata else { return }
        let present = ParticipantHistory.present(metadata)
        let ids = Set(present.map(\.id))
        for index in entries.indices where entries[index].leftAt == nil && !ids.contains(entries[index].participantId) {
            entries[index].leftAt = now
        }
        for participant in present {
            if let open = entries.lastIndex(where: { $0.participantId == participant.id && $0.leftAt == nil }) {
                entries[open].aor = participant.aor ?? entries[open].aor
                entries[open].name = participant.name ?? entries[open].name
            } else if entries.count < ParticipantHistory.capacity {
                entries.append(Entry(participantId: participant.id, aor: participant.aor, name: participant.name, joinedAt: now))
            }
        }
    }

    /// The recording ended: who was still there stayed until then.
    mutating func close(atMillis now: Int64) {
        for index in entries.indices where entries[index].leftAt == nil { entries[index].leftAt = max(now, entries[index].joinedAt) }
    }

    func json(role: (String) -> String) -> JSONValue {
        .array(entries.map { e in
            .object([("participantId", .string(e.participantId)), ("aor", .optional(e.aor)), ("name", .optional(e.name)),
                     ("role", .string(role(e.participantId))), ("joinedAt", .int(e.joinedAt)), ("leftAt", .optional(e.leftAt))])
        })
    }
}
