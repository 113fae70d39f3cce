/// Applying metadata updates (RFC 7865 §6: `complete` snapshots and `partial` updates).
extension RecordingMetadata {
    /// The state after receiving `update`.
    ///
    /// - A `complete` update replaces everything: the result is `update`.
    /// - A `partial` update is merged by id: groups, sessions, participants, streams and
    ///   associations are added or updated field by field (a field present in the update
    ///   wins, an absent one keeps the old value; lists replace only when non-empty).
    ///   Nothing is removed: a participant whose update carries a `disassociate-time`
    ///   (directly, or on all its session associations) is kept and marked
    ///   ``Participant/isDisassociated``, so the recording still knows who was on the call.
    ///   The result keeps this value's ``dataMode``.
    public func merging(_ update: RecordingMetadata) -> RecordingMetadata {
        guard update.dataMode == .partial else { return update }
        var merged = self
        merged.groups = Self.merge(groups, update.groups, key: \.id) { old, new in
            old.associateTime = new.associateTime ?? old.associateTime
        }
        merged.sessions = Self.merge(sessions, update.sessions, key: \.id) { old, new in
            old.groupRef = new.groupRef ?? old.groupRef
            if !new.sipSessionIDs.isEmpty { old.sipSessionIDs = new.sipSessionIDs }
            old.startTime = new.startTime ?? old.startTime
            old.stopTime = new.stopTime ?? old.stopTime
            old.associateTime = new.associateTime ?? old.associateTime
        }
        merged.participants = Self.merge(participants, update.participants, key: \.id) { old, new in
            if !new.nameIDs.isEmpty { old.nameIDs = new.nameIDs }
            if !new.send.isEmpty { old.send = new.send }
            if !new.recv.isEmpty { old.recv = new.recv }
            old.associateTime = new.associateTime ?? old.associateTime
            old.disassociateTime = new.disassociateTime ?? old.disassociateTime
            old.extensions.merge(new.extensions) { _, newer in newer }
        }
        merged.streams = Self.merge(streams, update.streams, key: \.id) { old, new in
            old.label = new.label ?? old.label
            old.sessionId = new.sessionId ?? old.sessionId
        }
        merged.sessionRecordingAssociations = Self.merge(
            sessionRecordingAssociations, update.sessionRecordingAssociations, key: \.sessionId
        ) { old, new in
            old.associateTime = new.associateTime ?? old.associateTime
            old.disassociateTime = new.disassociateTime ?? old.disassociateTime
        }
        merged.participantSessionAssociations = Self.merge(
            participantSessionAssociations, update.participantSessionAssociations,
            key: { PairKey(first: $0.participantId, second: $0.sessionId) }
        ) { old, new in
            old.associateTime = new.associateTime ?? old.associateTime
            old.disassociateTime = new.disassociateTime ?? old.disassociateTime
        }
        merged.participantStreamAssociations = Self.merge(
            participantStreamAssociations, update.participantStreamAssociations, key: \.participantId
        ) { old, new in
            if !new.send.isEmpty { old.send = new.send }
            if !new.recv.isEmpty { old.recv = new.recv }
            old.associateTime = new.associateTime ?? old.associateTime
            old.disassociateTime = new.disassociateTime ?? old.disassociateTime
        }
        merged.extensions.merge(update.extensions) { _, newer in newer }
        // Participants present in the update already folded its associations while parsing;
        // the rest (association-only updates) get them applied here.
        let updatedIds = Set(update.participants.map(\.id))
        merged.foldStreamAssociations(
            update.participantStreamAssociations.filter { !updatedIds.contains($0.participantId) },
            replacing: true)
        merged.markDisassociatedParticipants()
        return merged
    }

    /// Hashable pair, for associations keyed by two ids.
    private struct PairKey: Hashable {
        var first: String
        var second: String
    }

    /// `base` with each `update` item combined into the item of the same key, or appended
    /// when new. Order: base order first, then new items in update order.
    private static func merge<Item, Key: Hashable>(
        _ base: [Item], _ update: [Item], key: (Item) -> Key, combine: (inout Item, Item) -> Void
    ) -> [Item] {
        var result = base
        var positions: [Key: Int] = [:]
        for (index, item) in result.enumerated() where positions[key(item)] == nil {
            positions[key(item)] = index
        }
        for item in update {
            if let index = positions[key(item)] {
                combine(&result[index], item)
            } else {
                positions[key(item)] = result.count
                result.append(item)
            }
        }
        return result
    }
}
