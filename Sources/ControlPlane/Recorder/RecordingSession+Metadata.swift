import JSON
import RecordingMetadata
import Signalling

extension RecordingSession {
    /// A re-INVITE's or UPDATE's metadata: repairs noted, partial metadata merged into what the session
    /// has, who is who refreshed (a transfer, a conference) while channels stay as audio began; the
    /// recording in progress follows. Unusable metadata leaves the previous one (warning
    /// `metadataInvalid`).
    func applyMetadata(of update: SessionUpdate) {
        if !update.metadataRepairs.isEmpty {
            origin.metadataRepairs += update.metadataRepairs.filter { !origin.metadataRepairs.contains($0) }
            if let recording = current {
                recording.addWarning(.metadataRepaired)
                recording.metadataRepairs += update.metadataRepairs.filter { !recording.metadataRepairs.contains($0) }
            }
        }
        if let metadata = update.metadata {
            let merged = origin.metadata.map { $0.merging(metadata) } ?? metadata
            origin.metadata = merged
            origin.metadataError = nil
            let labels = plans.map { $0?.label }
            let fresh = ChannelAssignment.assign(metadata: merged, mediaLabels: labels)
            // Channels are fixed once audio flows; the new assignment refreshes who is who (a transfer, a
            // conference) and the participants' roles.
            origin.assignment.callerParticipantId = fresh.callerParticipantId
            origin.assignment.calleeParticipantId = fresh.calleeParticipantId
            if fresh.streams.map(\.role) == origin.assignment.streams.map(\.role) { origin.assignment.reason = fresh.reason }
            origin.assignment.streams = origin.assignment.streams.map { current in
                var updated = current
                if let match = fresh.streams.first(where: { $0.mLineIndex == current.mLineIndex }) {
                    updated.participantId = match.participantId
                    updated.participantAoR = match.participantAoR
                    updated.participantName = match.participantName
                }
                return updated
            }
            if let recording = current {
                recording.metadata = merged
                recording.metadataError = nil
                recording.assignment = origin.assignment
                recording.refreshParticipants()
                let identity = CallIdentity.of(merged)
                recording.record.originalCallId = identity.originalCallId ?? recording.record.originalCallId
                recording.record.ucid = identity.ucid ?? recording.record.ucid
                recording.conference.observe(merged, atMillis: WallClock.unixMillis())
                recording.participantHistory.observe(merged, atMillis: WallClock.unixMillis())
            }
        } else if update.metadataError != nil {
            current?.addWarning(.metadataInvalid)
        }
    }
}
