import Events
import JSON
import MediaCore
import NIOCore
import Pipeline
import RecordingModel
import SystemLayer

/// Runtime control of recordings in progress (references 002 and 004): pause, resume, stop, cancel and
/// per-direction modes. Every request gets an acknowledgement with the new state or a reason.
extension RecordingService {
    /// The recording in progress with this id (case-insensitive), within the caller's tenant.
    func liveRecording(id: String, domain: String?) -> (RecordingSession, LiveRecording)? {
        let wanted = id.lowercased()
        for session in sessions.values {
            guard let recording = session.current, recording.attached, !recording.ending,
                  recording.record.recordingId == wanted else { continue }
            guard Tenant.allows(domain, recording.record.domain) else { return nil }
            return (session, recording)
        }
        return nil
    }

    /// Applies a pause or resume. Pausing keeps the timeline: the paused span is silence.
    func setPaused(_ recording: LiveRecording, _ paused: Bool, requestedBy: String?, atNanos nanos: Int64) -> Result<ControlAck, ControlFailure> {
        guard recording.control.paused != paused else {
            return .failure(ControlFailure(kind: .conflict, reason: "recording \(recording.record.recordingId) is already \(paused ? "paused" : "recording")"))
        }
        recording.control.paused = paused
        applyAccepting(recording, cause: paused ? "pause" : "resume", requestedBy: requestedBy, atNanos: nanos)
        return .success(ControlAck(recording))
    }

    /// Applies a direction request. Both directions `none` ends the recording (ready). Direction updates
    /// are announced once the requests in flight have settled: two racing requests give one update.
    func setDirections(_ session: RecordingSession, _ recording: LiveRecording, inbound: DirectionRequest,
                       outbound: DirectionRequest, requestedBy: String?, atNanos nanos: Int64) -> Result<ControlAck, ControlFailure> {
        switch recording.control.applying(inbound: inbound, outbound: outbound) {
        case .failure(let failure):
            var events = publisher.announce(publisher.factory.updateFailed(recording.record, reason: failure.reason, requestedBy: requestedBy))
            events += publisher.announce(publisher.factory.alarm(.updateRecordingError(recording.record, failure.reason)))
            persist(recording.record, events: events)
            return .failure(failure)
        case .success(let next):
            let position = recording.position(atNanos: nanos)
            for direction in Direction.allCases where recording.control.mode(direction) != next.mode(direction) {
                if let open = recording.directionSpans.lastIndex(where: { $0.direction == direction && $0.toSample == nil }) {
                    recording.directionSpans[open].toSample = position
                }
                if next.mode(direction) != .active {
                    recording.directionSpans.append(.init(direction: direction, mode: next.mode(direction), fromSample: position))
                }
            }
            recording.control.inbound = next.inbound
            recording.control.outbound = next.outbound
            applyAccepting(recording, cause: "directions", requestedBy: requestedBy, atNanos: nanos)
            if next.ends {
                // Announced now: the recording ends, and any update still settling is covered by this one.
                recording.directionRequests += 1
                recording.announcedDirections = (next.inbound, next.outbound)
                persistLive(recording, events: publisher.announce(publisher.factory.updated(recording.record, requestedBy: requestedBy)))
                stop(session, recording, reason: "both directions set to none", atNanos: nanos)
            } else {
                scheduleDirectionUpdate(recording, requestedBy: requestedBy)
            }
            return .success(ControlAck(recording))
        }
    }

    /// Ends the recording (RECORDINGREADY) at `nanos`, when the request that stops it was read; the
    /// session goes on and a later start makes a related one.
    func stop(_ session: RecordingSession, _ recording: LiveRecording, reason: String, atNanos nanos: Int64 = monotonicNanos()) {
        session.current = nil
        session.idleSinceNanos = nanos
        recording.addWarning(.stopped)
        end(recording, cause: reason, atNanos: nanos)
    }

    /// Ends the recording and deletes what it wrote (RECORDINGCANCELLED, reason `cancelCommand`).
    func cancel(_ session: RecordingSession, _ recording: LiveRecording, atNanos nanos: Int64) {
        recording.cancelReason = "cancelCommand"
        session.current = nil
        session.idleSinceNanos = nanos
        end(recording, cause: "cancel command", atNanos: nanos)
    }

    /// Recomputes which streams take packets (SDP direction, pause, direction modes), tells the engine,
    /// keeps the pause spans, and announces a pause or resume. `nanos` is when the message or request
    /// that caused it was read: RTP that arrived before it keeps the previous state.
    func applyAccepting(_ recording: LiveRecording, cause: String, requestedBy: String? = nil, atNanos nanos: Int64) {
        for index in recording.streamsByMLine.indices {
            guard let stream = recording.streamsByMLine[index] else { continue }
            let accept = recording.shouldAccept(index)
            if accept != recording.effective[index] {
                recording.effective[index] = accept
                engine.setAccepting(stream, accept, atNanos: nanos)
            }
        }
        var events: [OutboxEvent] = []
        if let change = recording.updatePause(atNanos: nanos, by: requestedBy) {
            logger.info("recording \(change) (\(cause))", metadata: ["recording_id": "\(recording.record.recordingId)"])
            events = publisher.announce(change == "paused"
                ? publisher.factory.paused(recording.record, requestedBy: requestedBy, cause: cause)
                : publisher.factory.resumed(recording.record, requestedBy: requestedBy, cause: cause))
        }
        persistLive(recording, events: events)
    }

    /// Writes the row of a recording in progress (state, streams, control details) with its events.
    func persistLive(_ recording: LiveRecording, events: [OutboxEvent] = []) {
        recording.record.updatedAt = WallClock.unixMillis()
        recording.record.streams = RecordingReport.streamRecords(recording, outcome: nil)
        recording.record.detailsJSON = RecordingReport.details(recording, outcome: nil).serialized()
        persist(recording.record, events: events)
    }

    /// Announces the directions once no other request changes them within the settle time.
    func scheduleDirectionUpdate(_ recording: LiveRecording, requestedBy: String?) {
        recording.directionRequests += 1
        let generation = recording.directionRequests
        eventLoop.scheduleTask(in: .milliseconds(RecordingService.directionSettleMillis)) { [self] in
            // A later request announces instead; an ending recording's final event covers it.
            guard generation == recording.directionRequests, !recording.ending else { return }
            let state = recording.control
            guard state.inbound != recording.announcedDirections.0 || state.outbound != recording.announcedDirections.1 else { return }
            recording.announcedDirections = (state.inbound, state.outbound)
            persistLive(recording, events: publisher.announce(publisher.factory.updated(recording.record, requestedBy: requestedBy)))
        }
    }

    /// How long direction requests settle before one update is announced.
    static let directionSettleMillis: Int64 = 200
}

/// The acknowledgement of a control request: the recording's state after it.
struct ControlAck: Sendable {
    var recordingId: String
    var state: RecordingState
    var fileName: String?
    var inbound: String
    var outbound: String

    init(_ recording: LiveRecording) {
        recordingId = recording.record.recordingId
        state = recording.record.state
        fileName = recording.record.mp3Path.map(EventFactory.fileName)
        inbound = recording.control.inbound.rawValue
        outbound = recording.control.outbound.rawValue
    }
}
