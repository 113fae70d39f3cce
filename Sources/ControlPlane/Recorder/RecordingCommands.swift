import Events
import Catalog
import NIOCore
import RecordingModel

/// API requests that act on recordings in progress, answered on the control loop: an acknowledgement
/// with the new state, or an error with a reason, never silence.
/// What a control request did, in domain words; the API's adapter (DaemonBackend) turns it into a response.
public enum ControlResult {
    /// One recording: its state after the command.
    case done(ControlAck)
    /// A finished recording removed from the temporary store.
    case deleted(recordingId: String)
    /// A command on one recording that it refused.
    case failedOn(recordingId: String, ControlFailure)
    /// A call key's recordings in progress, each with its own result, in recording id order.
    case byCallKey(String, [(recordingId: String, result: Result<ControlAck, ControlFailure>)])
    /// Refused before any recording was touched; `recordingId` and `state` say which recording it was
    /// about and where it stands, when one exists.
    case refused(ControlFailure, recordingId: String? = nil, state: String? = nil)
}

/// What the API asks of recordings, answered on the control loop in domain terms (`ControlResult`,
/// `ControlFailure`): runtime control by recording id or call key, the cloud commands, and the device
/// API with its held starts. The recording service carries the commands out.
///
/// Confined to the control event loop. Owned by the recording service, which it reaches through an
/// unowned reference (no cycle).
public final class RecordingCommands: @unchecked Sendable {
    // @unchecked: every mutable property is touched only on the control event loop.
    unowned let service: RecordingService
    /// REST starts for call keys not seen yet, held for `pendingStart` (reference 000).
    var heldStarts: [HeldStart] = []

    init(service: RecordingService) {
        self.service = service
    }

    public func control(_ command: ControlCommand, recordingId: String?, callKey: String?, domain: String?, requestedBy: String,
                 reply: @escaping (ControlResult) -> Void) {
        if let recordingId, command.action == .delete {
            if isInProgress(recordingId, domain: domain) {
                reply(.refused(ControlFailure(kind: .conflict, reason: "recording \(recordingId.lowercased()) is in progress; service.stop or service.cancel it first")))
                return
            }
            service.temporaryStore.delete(recordingId, domain: domain, event: nil) { result in
                switch result {
                case .success(let record): reply(.deleted(recordingId: record.recordingId))
                case .failure(let failure): reply(.refused(failure))
                }
            }
            return
        }
        if let recordingId {
            guard let (session, recording) = liveRecording(id: recordingId, domain: domain) else {
                explainNotLive(recordingId, domain: domain, action: command.action.rawValue, reply: reply)
                return
            }
            perform(command, session, recording, requestedBy: requestedBy) { result in
                switch result {
                case .success(let ack): reply(.done(ack))
                case .failure(let failure): reply(.failedOn(recordingId: recording.record.recordingId, failure))
                }
            }
            return
        }
        let key = callKey ?? ""
        let targets = service.sessions.values.compactMap { session -> (RecordingSession, LiveRecording)? in
            guard let recording = session.current, recording.attached, !recording.ending, recording.record.callKey == key,
                  Tenant.allows(domain, recording.record.domain) else { return nil }
            return (session, recording)
        }.sorted { $0.1.record.recordingId < $1.1.record.recordingId }
        guard !targets.isEmpty else {
            reply(.refused(ControlFailure(kind: .notFound, reason: "no recording in progress has callKey '\(key)'")))
            return
        }
        var results: [(recordingId: String, result: Result<ControlAck, ControlFailure>)] = []
        var remaining = targets.count
        for (session, recording) in targets {
            let id = recording.record.recordingId
            perform(command, session, recording, requestedBy: requestedBy) { result in
                results.append((id, result))
                remaining -= 1
                guard remaining == 0 else { return }
                reply(.byCallKey(key, results.sorted { $0.recordingId < $1.recordingId }))
            }
        }
    }

    /// Carries out one control action on one recording; stop and cancel answer once the files are closed.
    func perform(_ command: ControlCommand, _ session: RecordingSession, _ recording: LiveRecording, requestedBy: String,
                 done: @escaping (Result<ControlAck, ControlFailure>) -> Void) {
        switch command.action {
        case .pause, .resume:
            done(setPaused(recording, command.action == .pause, requestedBy: requestedBy, atNanos: command.receivedNanos))
        case .stop, .cancel:
            waitForClose(recording) { done(.success(ControlAck($0, recording))) }
            if command.action == .stop {
                service.stop(session, recording, reason: "service.stop command", atNanos: command.receivedNanos)
            } else {
                service.cancel(session, recording, atNanos: command.receivedNanos)
            }
        case .delete:
            done(.failure(ControlFailure(kind: .conflict, reason: "recording \(recording.record.recordingId) is in progress; service.stop or service.cancel it first")))
        case .directions:
            guard let inbound = DirectionRequest(parsing: command.inbound), let outbound = DirectionRequest(parsing: command.outbound) else {
                done(.failure(ControlFailure(kind: .invalid, reason: "inbound and outbound must be active, inactive, none or nochange")))
                return
            }
            let result = setDirections(session, recording, inbound: inbound, outbound: outbound, requestedBy: requestedBy,
                                       atNanos: command.receivedNanos)
            guard case .success = result, recording.ending else { done(result); return }
            waitForClose(recording) { done(.success(ControlAck($0, recording))) }
        }
    }

    /// Whether a recording is still being captured or its files closed (store, merge and delete wait).
    func isInProgress(_ id: String, domain: String?) -> Bool {
        liveRecording(id: id, domain: domain) != nil || service.closing.values.contains { $0.record.recordingId == id.lowercased() }
    }

    /// Calls `body` with the final row once the recording's files are closed.
    func waitForClose(_ recording: LiveRecording, _ body: @escaping (RecordingRecord) -> Void) {
        service.controlWaiters[recording.record.recordingId, default: []].append(body)
    }

    /// Not found for an unknown id (or another tenant's); a conflict, with the state, for a recording no
    /// longer live.
    func explainNotLive(_ id: String, domain: String?, action: String, reply: @escaping (ControlResult) -> Void) {
        if let ending = service.closing.values.first(where: { $0.record.recordingId == id.lowercased() }),
           Tenant.allows(domain, ending.record.domain) {
            reply(.refused(ControlFailure(kind: .conflict, reason: "recording \(ending.record.recordingId) is ending; \(action) needs a recording in progress"),
                           recordingId: ending.record.recordingId, state: "ending"))
            return
        }
        let catalog = service.catalog
        let reply = NIOLoopBound(reply, eventLoop: service.eventLoop)
        service.catalogWorker.runIfActive(eventLoop: service.eventLoop) { try catalog.recording(id: id) }.whenComplete { result in
            let reply = reply.value
            guard case .success(let record?) = result, Tenant.allows(domain, record.domain) else {
                reply(.refused(ControlFailure(kind: .notFound, reason: "no recording with id '\(id)'")))
                return
            }
            reply(.refused(ControlFailure(kind: .conflict, reason: "recording \(record.recordingId) is \(record.state); \(action) needs a recording in progress"),
                           recordingId: record.recordingId, state: record.state.rawValue))
        }
    }

    /// STOPRECORDING / CANCELRECORDING (reference 001): the replyId must be the one siprecd issued for
    /// this recording and tenant; otherwise the command fails and the matching alarm is raised.
    public func cloudCommand(_ command: CloudCommand, domain: String, reply: @escaping (Result<Void, ControlFailure>) -> Void) {
        func fail(_ kind: ControlFailure.Kind, _ error: String) {
            switch command.kind {
            case .stop: service.publisher.raise(.stopRecordingError(event: command.raw, error: error), tenant: domain)
            case .cancel: service.publisher.raise(.cancelRecordingError(event: command.raw, error: error), tenant: domain)
            case .delete: service.publisher.raise(.deleteRecordingError(event: command.raw, error: error), tenant: domain)
            case .store: service.publisher.raise(.storeRecordingError(event: command.raw, error: error), tenant: domain)
            case .merge: service.logger.warning("MERGERECORDINGS refused", metadata: ["domain": "\(domain.lowercased())", "error": "\(error)"])
            }
            reply(.failure(ControlFailure(kind: kind, reason: error)))
        }
        let ids = command.merge?.toMerge.map(\.recordingId) ?? [command.recordingId]
        guard ids.contains(where: { service.publisher.factory.tokens.verify(command.replyId, recordingId: $0, domain: domain) }) else {
            fail(.invalid, "recordingId does not match eventId")
            return
        }
        if command.kind == .merge, let parameters = command.merge {
            let live = ids.first { isInProgress($0, domain: domain) }
            if let live {
                fail(.conflict, "recording \(live) is still in progress; merge once every recording is ready")
                return
            }
            reply(.success(()))
            service.archiver.merge(parameters, domain: domain)
            return
        }
        if command.kind == .store, let parameters = command.store {
            guard !isInProgress(command.recordingId, domain: domain) else {
                fail(.conflict, "recording \(command.recordingId) is in progress; service.stop it first")
                return
            }
            // Answered at once; the outcome is RECORDINGSTORED or STORERECORDINGFAILED.
            reply(.success(()))
            service.archiver.store(command.recordingId, parameters, domain: domain, event: command.raw)
            return
        }
        if command.kind == .delete {
            guard !isInProgress(command.recordingId, domain: domain) else {
                fail(.conflict, "recording \(command.recordingId) is in progress; service.stop or service.cancel it first")
                return
            }
            // Answered at once; the outcome is RECORDINGDELETED or DELETERECORDINGFAILED.
            reply(.success(()))
            service.temporaryStore.delete(command.recordingId, domain: domain, event: command.raw) { _ in }
            return
        }
        guard let (session, recording) = liveRecording(id: command.recordingId, domain: domain) else {
            fail(.notFound, "recording \(command.recordingId) is not in progress")
            return
        }
        var action = ControlCommand(action: command.kind == .stop ? .stop : .cancel, requestedBy: "replyId")
        action.receivedNanos = command.receivedNanos
        perform(action, session, recording, requestedBy: "replyId") { _ in
            reply(.success(()))
        }
    }
}

extension ControlAck {
    /// The acknowledgement of a stop or cancel: the final row.
    init(_ record: RecordingRecord, _ recording: LiveRecording) {
        self.init(recording)
        state = record.state
        fileName = record.mp3Path.map(EventFactory.fileName)
    }
}
