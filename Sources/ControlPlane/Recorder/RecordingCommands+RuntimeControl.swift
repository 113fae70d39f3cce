import Events
import NIOCore
import RecordingModel

/// Runtime control of recordings in progress (references 002 and 004): which recording a request means,
/// pause and resume, and per-direction modes with their settled RECORDINGUPDATED. What a change does to the
/// streams (`applyAccepting`) and how a recording stops are the recording service's.
extension RecordingCommands {
    /// The recording in progress with this id (case-insensitive), within the caller's tenant.
    func liveRecording(id: String, domain: String?) -> (RecordingSession, LiveRecording)? {
        let wanted = id.lowercased()
        for session in service.sessions.values {
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
        service.applyAccepting(recording, cause: paused ? "pause" : "resume", requestedBy: requestedBy, atNanos: nanos)
        return .success(ControlAck(recording))
    }

    /// Applies a direction request. Both directions `none` ends the recording (ready). Direction updates
    /// are announced once the requests in flight have settled: two racing requests give one update.
    func setDirections(_ session: RecordingSession, _ recording: LiveRecording, inbound: DirectionRequest,
                       outbound: DirectionRequest, requestedBy: String?, atNanos nanos: Int64) -> Result<ControlAck, ControlFailure> {
        switch recording.control.applying(inbound: inbound, outbound: outbound) {
        case .failure(let failure):
            var events = service.publisher.announce(service.publisher.factory.updateFailed(recording.record, reason: failure.reason, requestedBy: requestedBy))
            events += service.publisher.announce(service.publisher.factory.alarm(.updateRecordingError(recording.record, failure.reason)))
            service.rows.write(recording.record, events: events)
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
            service.applyAccepting(recording, cause: "directions", requestedBy: requestedBy, atNanos: nanos)
            if next.ends {
                // Announced now: the recording ends, and any update still settling is covered by this one.
                recording.directionRequests += 1
                recording.announcedDirections = (next.inbound, next.outbound)
                service.rows.writeLive(recording, events: service.publisher.announce(service.publisher.factory.updated(recording.record, requestedBy: requestedBy)))
                service.stop(session, recording, reason: "both directions set to none", atNanos: nanos)
            } else {
                scheduleDirectionUpdate(recording, requestedBy: requestedBy)
            }
            return .success(ControlAck(recording))
        }
    }

    /// Announces the directions once no other request changes them within the settle time.
    func scheduleDirectionUpdate(_ recording: LiveRecording, requestedBy: String?) {
        recording.directionRequests += 1
        let generation = recording.directionRequests
        service.eventLoop.scheduleTask(in: .milliseconds(RecordingCommands.directionSettleMillis)) { [self] in
            // A later request announces instead; an ending recording's final event covers it.
            guard generation == recording.directionRequests, !recording.ending else { return }
            let state = recording.control
            guard state.inbound != recording.announcedDirections.0 || state.outbound != recording.announcedDirections.1 else { return }
            recording.announcedDirections = (state.inbound, state.outbound)
            service.rows.writeLive(recording, events: service.publisher.announce(service.publisher.factory.updated(recording.record, requestedBy: requestedBy)))
        }
    }

    /// How long direction requests settle before one update is announced.
    static let directionSettleMillis: Int64 = 200
}

/// The acknowledgement of a control request: the recording's state after it.
public struct ControlAck: Sendable {
    public var recordingId: String
    public var state: RecordingState
    public var fileName: String?
    public var inbound: String
    public var outbound: String

    init(_ recording: LiveRecording) {
        recordingId = recording.record.recordingId
        state = recording.record.state
        fileName = recording.record.mp3Path.map(EventFactory.fileName)
        inbound = recording.control.inbound.rawValue
        outbound = recording.control.outbound.rawValue
    }
}
