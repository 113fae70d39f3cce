import Config
import MediaCore
import Pipeline
import RecordingMetadata
import RecordingModel
import SIPCore

/// A recording in progress: the control plane's view (catalog row, streams, pauses, runtime control).
/// Confined to the control event loop.
final class LiveRecording: @unchecked Sendable {
    // @unchecked: confined to the control event loop; crosses closures only to come back to it.
    struct Pause {
        var fromSample: Int64
        var toSample: Int64?
        /// `paused` (API), `inactive` (SDP direction) or `muted` (both directions inactive).
        var reason: String
        /// Who asked for an API pause.
        var by: String?
    }

    /// A span in which the SRC held one stream (its m-line `inactive`, `recvonly`, `0.0.0.0` or port 0).
    struct Hold {
        var mLineIndex: Int
        var label: String?
        var fromSample: Int64
        var toSample: Int64?
        var reason: SDPHold
    }

    /// A span in which one direction was not recorded (muted or no longer recorded).
    struct DirectionSpan {
        var direction: Direction
        var mode: DirectionMode
        var fromSample: Int64
        var toSample: Int64?
    }

    var record: RecordingRecord
    let pipeline: RecordingPipeline
    /// One entry per offered m-line: the stream recording it, or nil when that m-line was refused.
    var streamsByMLine: [MediaStream?]
    var metadata: RecordingMetadata?
    /// Why the last metadata body could not be used, if it could not.
    var metadataError: String?
    /// What had to be repaired to read the metadata bodies (each distinct repair once).
    var metadataRepairs: [String] = []
    var assignment: ChannelAssignment
    var pauses: [Pause] = []
    /// Whether each m-line's stream should take packets (the SDP direction we last agreed).
    var accepting: [Bool]
    var ending = false
    /// Handed to the engine (its catalog row is written).
    var attached = false
    let startNanos: Int64
    /// Runtime control (references 002 and 004).
    var control = RecordingControlState()
    /// Whether each m-line's stream takes packets now (SDP direction, pause and direction modes together).
    var effective: [Bool]
    /// Spans in which a direction was muted or no longer recorded.
    var directionSpans: [DirectionSpan] = []
    /// Who asked for the recording (a REST start's `requestedBy`, e.g. a supervisor), when someone did.
    var requestedBy: String?
    /// `headers` of the REST start (reference 000), kept with the recording and echoed in its events.
    var headers: [(name: String, value: String)] = []
    /// Earlier recordings of the same session (a REST stop and start again).
    var relatedRecordings: [String] = []
    /// The rule's trigger: `always`, `rest` or `newCall`.
    var trigger = RecordingRule.Trigger.always
    /// Direction requests so far, and the directions last announced (updates are coalesced).
    var directionRequests = 0
    var announcedDirections: (DirectionMode, DirectionMode) = (.active, .active)
    /// Spans with three or more participants, from the metadata versions seen.
    var conference = ConferenceTracker()
    /// Who was on the call when, from the metadata versions seen.
    var participantHistory = ParticipantHistory()
    /// Set by a cancel command: the recording ends as `cancelled` and its files are deleted.
    var cancelReason: String?
    /// Streams whose first packet's place is already in the catalog (crash recovery needs it).
    var checkpointedStarts = 0
    /// Per m-line: the spans in which the SRC held the stream, oldest first.
    var holds: [Hold] = []
    /// Observed sessions (passive mode, replay): the SRTP key each slot's stream is decrypted with, so a
    /// re-INVITE with another key re-keys it.
    var observedKeys: [Int: SDPCrypto] = [:]
    /// Per m-line: formats the SDP listed that siprecd cannot decode (named when such packets arrive).
    var undecodable: [[SDPFormat]]
    /// Per m-line: payload types already reported (`unsupportedPayload`, once per stream and type).
    var reportedPayloadTypes: [Set<UInt8>]

    init(record: RecordingRecord, pipeline: RecordingPipeline, streamsByMLine: [MediaStream?],
         metadata: RecordingMetadata?, assignment: ChannelAssignment, startNanos: Int64) {
        self.record = record
        self.pipeline = pipeline
        self.streamsByMLine = streamsByMLine
        self.metadata = metadata
        self.assignment = assignment
        self.startNanos = startNanos
        accepting = streamsByMLine.map { $0?.reassembler.isAccepting ?? false }
        effective = accepting
        undecodable = Array(repeating: [], count: streamsByMLine.count)
        reportedPayloadTypes = Array(repeating: [], count: streamsByMLine.count)
    }

    var streams: [MediaStream] { streamsByMLine.compactMap { $0 } }
    var isPaused: Bool { pauses.last.map { $0.toSample == nil } ?? false }

    /// Timeline position (samples at the master's rate) of a monotonic instant.
    func position(atNanos nanos: Int64) -> Int64 {
        max(0, TimelineClock.position(nanos: nanos - startNanos, sampleRate: pipeline.sampleRate))
    }

    /// Milliseconds of `samples` at the master's rate.
    func millis(_ samples: Int64) -> Int64 { TimelineClock.millis(samples: samples, sampleRate: pipeline.sampleRate) }

    /// Participants from the metadata, with the role their streams play.
    func refreshParticipants() {
        guard let metadata else { return }
        record.participants = metadata.participants.map { participant in
            let role: String
            if assignment.callerParticipantId != nil {
                role = assignment.role(ofParticipant: participant.id)
            } else {
                // No party could be identified (fallback assignment): roles from the streams they send on.
                let roles = Set(assignment.streams.filter { $0.participantId == participant.id }.map(\.role))
                role = roles.contains(.caller) ? "caller" : roles.contains(.callee) ? "callee" : "other"
            }
            return ParticipantRecord(participantId: participant.id, aor: participant.aor ?? "", name: participant.name, role: role)
        }
        record.sessionId = metadata.sessions.first?.id ?? record.sessionId
        record.groupId = metadata.groups.first?.id ?? record.groupId
    }

    /// Whether the stream on m-line `index` should take packets: its SDP direction allows it, the
    /// recording is not paused, and its direction is `active`.
    func shouldAccept(_ index: Int) -> Bool {
        guard let stream = streamsByMLine[index], accepting[index], !control.paused else { return false }
        return control.mode(stream.role == .caller ? .inbound : .outbound) == .active
    }

    /// Opens a pause span when no stream takes packets any more, closes it when one does again, and moves
    /// the recording's state with the lifecycle's `pause` or `resume`. Returns that transition (what to
    /// announce and do), or nil when nothing changed — or the state did not (a recording not started yet:
    /// `started(paused:)` gives its first state).
    @discardableResult
    func updatePause(atNanos nanos: Int64, by: String? = nil) -> RecordingLifecycle.Transition? {
        let anyAccepting = streamsByMLine.indices.contains { streamsByMLine[$0] != nil && shouldAccept($0) }
        let position = position(atNanos: nanos)
        if !anyAccepting, !isPaused {
            let sdpAllows = streamsByMLine.indices.contains { streamsByMLine[$0] != nil && accepting[$0] }
            let reason = control.paused ? "paused" : sdpAllows ? "muted" : "inactive"
            pauses.append(.init(fromSample: position, toSample: nil, reason: reason, by: control.paused ? by : nil))
            return transition(.pause)
        }
        if anyAccepting, isPaused {
            pauses[pauses.count - 1].toSample = position
            return transition(.resume)
        }
        return nil
    }

    /// Applies a lifecycle event to the recording's state; nil when the model has no such transition.
    private func transition(_ event: RecordingLifecycle.Event) -> RecordingLifecycle.Transition? {
        guard case .success(let transition) = RecordingLifecycle.apply(event, to: record.state) else { return nil }
        record.state = transition.state
        return transition
    }

    /// The SRC holds the stream on m-line `index` from `nanos` on (a span already open keeps its reason).
    func openHold(_ index: Int, reason: SDPHold, atNanos nanos: Int64) {
        guard !holds.contains(where: { $0.mLineIndex == index && $0.toSample == nil }) else { return }
        holds.append(Hold(mLineIndex: index, label: streamsByMLine[index]?.label, fromSample: position(atNanos: nanos),
                          toSample: nil, reason: reason))
    }

    /// The stream on m-line `index` is no longer held.
    func closeHold(_ index: Int, atNanos nanos: Int64) {
        guard let open = holds.lastIndex(where: { $0.mLineIndex == index && $0.toSample == nil }) else { return }
        holds[open].toSample = position(atNanos: nanos)
    }

    func addWarning(_ warning: RecordingWarning) {
        if !record.warnings.contains(warning) { record.warnings.append(warning) }
    }
}
