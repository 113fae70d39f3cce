/// Folding associations into participants, shared by parsing and merging.
extension RecordingMetadata {
    /// Copies `<participantstreamassoc>` send/recv lists into the matching participants.
    ///
    /// Within one document the lists are unioned (a sender might use both the draft
    /// `<participant><send>` form and an association). When applying a later partial update
    /// they replace, because an association states the participant's current streams.
    /// Empty lists never clear anything: Cisco sends empty associations for inactive
    /// streams, which says nothing about who sends what.
    mutating func foldStreamAssociations(_ associations: [ParticipantStreamAssociation], replacing: Bool) {
        for association in associations {
            guard let index = participants.firstIndex(where: { $0.id == association.participantId }) else { continue }
            if !association.send.isEmpty {
                participants[index].send = replacing ? association.send
                    : Self.union(participants[index].send, association.send)
            }
            if !association.recv.isEmpty {
                participants[index].recv = replacing ? association.recv
                    : Self.union(participants[index].recv, association.recv)
            }
        }
    }

    /// Marks a participant disassociated when every one of its session associations has a
    /// `disassociate-time` (it left all sessions), using the last such time.
    mutating func markDisassociatedParticipants() {
        for index in participants.indices where participants[index].disassociateTime == nil {
            let id = participants[index].id
            let associations = participantSessionAssociations.filter { $0.participantId == id }
            guard !associations.isEmpty,
                  associations.allSatisfy({ $0.disassociateTime != nil }) else { continue }
            participants[index].disassociateTime = associations.last?.disassociateTime
        }
    }

    /// `first` followed by the elements of `second` not already in it.
    static func union(_ first: [String], _ second: [String]) -> [String] {
        var result = first
        for item in second where !result.contains(item) { result.append(item) }
        return result
    }
}
