import Catalog
import MediaCore
import Pipeline
import RecordingMetadata
import SIPCore

/// A recording whose SIP session is up: the control plane's view (catalog row, streams, pauses).
/// Confined to the control event loop.
final class LiveRecording: @unchecked Sendable {
    // @unchecked: confined to the control event loop; crosses closures only to come back to it.
    struct Pause {
        var fromSample: Int64
        var toSample: Int64?
        var reason: String
    }

    let dialogID: String
    var record: RecordingRecord
    let pipeline: RecordingPipeline
    /// One entry per offered m-line: the stream recording it, or nil when that m-line was refused.
    var streamsByMLine: [MediaStream?]
    var sockets: [Int]
    var metadata: RecordingMetadata?
    /// Why the last metadata body could not be used, if it could not.
    var metadataError: String?
    var assignment: ChannelAssignment
    var pauses: [Pause] = []
    /// Whether each m-line's stream should take packets (the SDP direction we last agreed).
    var accepting: [Bool]
    /// The SDP answer we last gave (re-sent for metadata-only updates).
    var lastAnswer: SDPSession?
    var ending = false
    let startNanos: Int64

    init(dialogID: String, record: RecordingRecord, pipeline: RecordingPipeline, streamsByMLine: [MediaStream?],
         sockets: [Int], metadata: RecordingMetadata?, assignment: ChannelAssignment, startNanos: Int64) {
        self.dialogID = dialogID
        self.record = record
        self.pipeline = pipeline
        self.streamsByMLine = streamsByMLine
        self.sockets = sockets
        self.metadata = metadata
        self.assignment = assignment
        self.startNanos = startNanos
        accepting = streamsByMLine.map { $0?.reassembler.isAccepting ?? false }
    }

    var streams: [MediaStream] { streamsByMLine.compactMap { $0 } }
    var isPaused: Bool { pauses.last.map { $0.toSample == nil } ?? false }

    /// Timeline position (8 kHz samples) of a monotonic instant.
    func position(atNanos nanos: Int64) -> Int64 { max(0, (nanos - startNanos) / 125_000) }

    /// Participants from the metadata, with the role their streams play.
    func refreshParticipants() {
        guard let metadata else { return }
        record.participants = metadata.participants.map { participant in
            let roles = Set(assignment.streams.filter { $0.participantId == participant.id }.map(\.role))
            let role = roles.contains(.caller) ? "caller" : roles.contains(.callee) ? "callee" : "other"
            return ParticipantRecord(participantId: participant.id, aor: participant.aor ?? "", name: participant.name, role: role)
        }
        record.sessionId = metadata.sessions.first?.id ?? record.sessionId
        record.groupId = metadata.groups.first?.id ?? record.groupId
    }

    /// Opens a pause span when no stream takes packets any more, closes it when one does again.
    /// Returns "paused", "resumed" or nil when nothing changed.
    @discardableResult
    func updatePause(atNanos nanos: Int64) -> String? {
        let anyAccepting = streamsByMLine.indices.contains { streamsByMLine[$0] != nil && accepting[$0] }
        let position = position(atNanos: nanos)
        if !anyAccepting, !isPaused {
            pauses.append(.init(fromSample: position, toSample: nil, reason: "inactive"))
            record.state = "paused"
            return "paused"
        }
        if anyAccepting, isPaused {
            pauses[pauses.count - 1].toSample = position
            record.state = "recording"
            return "resumed"
        }
        return nil
    }

    func addWarning(_ warning: String) {
        if !record.warnings.contains(warning) { record.warnings.append(warning) }
    }
}
