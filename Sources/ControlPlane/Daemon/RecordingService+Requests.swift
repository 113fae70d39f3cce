import API
import Catalog
import JSON
import NIOCore
import RecordingModel

/// API requests that act on recordings in progress, answered on the control loop: an acknowledgement
/// with the new state, or an error with a reason, never silence.
extension RecordingService {
    typealias Reply = (_ status: Int, _ body: JSONValue) -> Void

    func control(_ command: ControlCommand, recordingId: String?, callKey: String?, domain: String?, requestedBy: String,
                 reply: @escaping Reply) {
        if let recordingId, command.action == .delete {
            if isInProgress(recordingId, domain: domain) {
                reply(409, .object([("error", .string("recording \(recordingId.lowercased()) is in progress; stop or cancel it first")), ("status", .int(409))]))
                return
            }
            deleteFromTemporaryStore(recordingId, domain: domain, event: nil) { status, message, record in
                reply(status, status == 200
                    ? .object([("result", .string("ack")), ("recordingId", .string(record?.recordingId ?? recordingId)), ("state", .string("deleted"))])
                    : .object([("error", .string(message)), ("status", .int(Int64(status)))]))
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
                case .success(let ack): reply(200, ack.json)
                case .failure(let failure): reply(failure.httpStatus, errorBody(failure, recordingId: recording.record.recordingId))
                }
            }
            return
        }
        let key = callKey ?? ""
        let targets = sessions.values.compactMap { session -> (RecordingSession, LiveRecording)? in
            guard let recording = session.current, recording.attached, !recording.ending, recording.record.callKey == key,
                  Tenant.allows(domain, recording.record.domain) else { return nil }
            return (session, recording)
        }.sorted { $0.1.record.recordingId < $1.1.record.recordingId }
        guard !targets.isEmpty else {
            reply(404, .object([("error", .string("no recording in progress has callKey '\(key)'")), ("status", .int(404))]))
            return
        }
        var results: [(String, JSONValue)] = []
        var remaining = targets.count
        for (session, recording) in targets {
            let id = recording.record.recordingId
            perform(command, session, recording, requestedBy: requestedBy) { result in
                switch result {
                case .success(let ack): results.append((id, ack.json))
                case .failure(let failure): results.append((id, errorBody(failure, recordingId: id)))
                }
                remaining -= 1
                guard remaining == 0 else { return }
                let ordered = results.sorted { $0.0 < $1.0 }.map(\.1)
                let allFailed = ordered.allSatisfy { $0["result"] == .string("error") }
                reply(allFailed ? 409 : 200, .object([("callKey", .string(key)), ("results", .array(ordered))]))
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
                stop(session, recording, reason: "stop command", atNanos: command.receivedNanos)
            } else {
                cancel(session, recording, atNanos: command.receivedNanos)
            }
        case .delete:
            done(.failure(ControlFailure(kind: .conflict, reason: "recording \(recording.record.recordingId) is in progress; stop or cancel it first")))
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
        liveRecording(id: id, domain: domain) != nil || closing.values.contains { $0.record.recordingId == id.lowercased() }
    }

    /// Calls `body` with the final row once the recording's files are closed.
    func waitForClose(_ recording: LiveRecording, _ body: @escaping (RecordingRecord) -> Void) {
        controlWaiters[recording.record.recordingId, default: []].append(body)
    }

    /// 404 for an unknown id (or another tenant's), 409 with the state for a recording no longer live.
    func explainNotLive(_ id: String, domain: String?, action: String, reply: @escaping Reply) {
        if let ending = closing.values.first(where: { $0.record.recordingId == id.lowercased() }),
           Tenant.allows(domain, ending.record.domain) {
            reply(409, .object([
                ("error", .string("recording \(ending.record.recordingId) is ending; \(action) needs a recording in progress")),
                ("recordingId", .string(ending.record.recordingId)), ("state", .string("ending")), ("status", .int(409)),
            ]))
            return
        }
        let catalog = catalog
        let reply = NIOLoopBound(reply, eventLoop: eventLoop)
        catalogWorker.runIfActive(eventLoop: eventLoop) { try catalog.recording(id: id) }.whenComplete { result in
            let reply = reply.value
            guard case .success(let record?) = result, Tenant.allows(domain, record.domain) else {
                reply(404, .object([("error", .string("no recording with id '\(id)'")), ("status", .int(404))]))
                return
            }
            reply(409, .object([
                ("error", .string("recording \(record.recordingId) is \(record.state); \(action) needs a recording in progress")),
                ("recordingId", .string(record.recordingId)), ("state", .string(record.state.rawValue)), ("status", .int(409)),
            ]))
        }
    }

    /// STOPRECORDING / CANCELRECORDING (reference 001): the replyId must be the one siprecd issued for
    /// this recording and tenant; otherwise the command fails and the matching alarm is raised.
    func cloudCommand(_ command: CloudCommand, domain: String, reply: @escaping Reply) {
        func fail(_ status: Int, _ error: String) {
            switch command.kind {
            case .stop: raise(.stopRecordingError(event: command.raw, error: error), tenant: domain)
            case .cancel: raise(.cancelRecordingError(event: command.raw, error: error), tenant: domain)
            case .delete: raise(.deleteRecordingError(event: command.raw, error: error), tenant: domain)
            case .store: raise(.storeRecordingError(event: command.raw, error: error), tenant: domain)
            case .merge: logger.warning("MERGERECORDINGS refused", metadata: ["domain": "\(domain.lowercased())", "error": "\(error)"])
            }
            reply(status, .object([("success", .bool(false)), ("error", .string(error))]))
        }
        let ids = command.merge?.toMerge.map(\.recordingId) ?? [command.recordingId]
        guard ids.contains(where: { eventFactory.tokens.verify(command.replyId, recordingId: $0, domain: domain) }) else {
            fail(400, "recordingId does not match eventId")
            return
        }
        if command.kind == .merge, let parameters = command.merge {
            let live = ids.first { isInProgress($0, domain: domain) }
            if let live {
                fail(409, "recording \(live) is still in progress; merge once every recording is ready")
                return
            }
            reply(200, .object([("success", .bool(true))]))
            merge(parameters, domain: domain)
            return
        }
        if command.kind == .store, let parameters = command.store {
            guard !isInProgress(command.recordingId, domain: domain) else {
                fail(409, "recording \(command.recordingId) is in progress; stop it first")
                return
            }
            // Answered at once; the outcome is RECORDINGSTORED or STORERECORDINGFAILED.
            reply(200, .object([("success", .bool(true))]))
            store(command.recordingId, parameters, domain: domain, event: command.raw)
            return
        }
        if command.kind == .delete {
            guard !isInProgress(command.recordingId, domain: domain) else {
                fail(409, "recording \(command.recordingId) is in progress; stop or cancel it first")
                return
            }
            // Answered at once; the outcome is RECORDINGDELETED or DELETERECORDINGFAILED.
            reply(200, .object([("success", .bool(true))]))
            deleteFromTemporaryStore(command.recordingId, domain: domain, event: command.raw) { _, _, _ in }
            return
        }
        guard let (session, recording) = liveRecording(id: command.recordingId, domain: domain) else {
            fail(404, "recording \(command.recordingId) is not in progress")
            return
        }
        var action = ControlCommand(action: command.kind == .stop ? .stop : .cancel, requestedBy: "replyId")
        action.receivedNanos = command.receivedNanos
        perform(action, session, recording, requestedBy: "replyId") { _ in
            reply(200, .object([("success", .bool(true))]))
        }
    }
}

private func errorBody(_ failure: ControlFailure, recordingId: String) -> JSONValue {
    .object([("result", .string("error")), ("recordingId", .string(recordingId)), ("error", .string(failure.reason)),
             ("status", .int(Int64(failure.httpStatus)))])
}

extension ControlAck {
    /// The acknowledgement of a stop or cancel: the final row.
    init(_ record: RecordingRecord, _ recording: LiveRecording) {
        self.init(recording)
        state = record.state
        fileName = record.mp3Path.map(EventFactory.fileName)
    }

    var json: JSONValue {
        .object([("result", .string("ack")), ("recordingId", .string(recordingId)), ("state", .string(state.rawValue)),
                 ("recordingState", .string(state.indicator.rawValue)), ("fileName", .optional(fileName)),
                 ("inbound", .string(inbound)), ("outbound", .string(outbound))])
    }
}
