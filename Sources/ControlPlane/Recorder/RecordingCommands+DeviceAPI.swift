import JSON
import NIOCore
import RecordingModel
import SystemLayer

/// A REST start whose call key no live session had yet: applied when a matching call arrives within
/// `pendingStart`.
struct HeldStart {
    var command: SipRecordingCommand
    var domain: String?
    var expiresAtNanos: Int64
}

/// What a device API command did: the recordings it started or stopped, or that a start is held.
public struct DeviceAnswer {
    public var recordings: [String]
    public var held = false
}

/// The device API of reference 000: `POST /api/v1/sip/sipRecording` start and stop by call key.
extension RecordingCommands {
    /// `rest` sessions a start applies to: same call key, and the role and destination user when given.
    func sessionsForStart(_ command: SipRecordingCommand, domain: String?) -> [RecordingSession] {
        service.sessions.values.filter { session in
            session.trigger == .rest && !session.ending && session.callKey == command.callKey
                && Tenant.allows(domain, session.domain)
                && (command.role == nil || session.role == command.role)
                && (command.destUser == nil || session.destUser == command.destUser)
        }.sorted { $0.origin.callID < $1.origin.callID }
    }

    /// `rest` sessions a stop applies to, by the reference's four cases: key only → sessions without a
    /// role; key + role → that role; key + destination user → no role and that user; key + role + user →
    /// both.
    func sessionsForStop(_ command: SipRecordingCommand, domain: String?) -> [RecordingSession] {
        service.sessions.values.filter { session in
            session.trigger == .rest && session.callKey == command.callKey
                && Tenant.allows(domain, session.domain)
                && session.role == (command.role ?? "")
                && (command.destUser == nil || session.destUser == command.destUser)
        }.sorted { $0.origin.callID < $1.origin.callID }
    }

    /// start: records every matching session that is not recording yet; a key not seen yet is held.
    public func deviceStart(_ command: SipRecordingCommand, domain: String?, respond: @escaping (Result<DeviceAnswer, ControlFailure>) -> Void) {
        if let refusal = RecordingCommands.restTriggerMissing(service.settings) { return respond(.failure(refusal)) }
        let matching = sessionsForStart(command, domain: domain)
        guard !matching.isEmpty else {
            guard service.settings.pendingStart > .zero else {
                respond(.failure(ControlFailure(kind: .notFound, reason: "no call with callKey '\(command.callKey)' waits for a REST start")))
                return
            }
            let hold = service.settings.pendingStart.components
            let nanos = hold.seconds * 1_000_000_000 + hold.attoseconds / 1_000_000_000
            heldStarts.append(HeldStart(command: command, domain: domain, expiresAtNanos: monotonicNanos() + nanos))
            service.logger.info("REST start held for a call not seen yet", metadata: ["call_key": "\(command.callKey)"])
            respond(.success(DeviceAnswer(recordings: [], held: true)))
            return
        }
        var started: [String] = []
        var remaining = matching.count
        var failure: ControlFailure?
        for session in matching {
            guard session.current == nil else {
                // Already recording: the start is acknowledged with the recording in progress.
                if let id = session.current?.record.recordingId { started.append(id) }
                remaining -= 1
                continue
            }
            let request = StartRequest(requestedBy: command.requestedBy, headers: command.headers)
            service.starts.start(session, recordingId: RecordingID.make(), request: request) { result in
                switch result {
                case .success(let recording): started.append(recording.record.recordingId)
                case .failure(let refusal): failure = ControlFailure(kind: refusal.statusCode == 409 ? .conflict : .failed, reason: refusal.reason)
                }
                remaining -= 1
                if remaining == 0 { respond(started.isEmpty ? .failure(failure!) : .success(DeviceAnswer(recordings: started))) }
            }
        }
        if remaining == 0 { respond(.success(DeviceAnswer(recordings: started))) }
    }

    /// stop: ends the recording in progress of every matching session (RECORDINGREADY each) and drops
    /// held starts for the same key. Answers once the files are closed.
    public func deviceStop(_ command: SipRecordingCommand, domain: String?, respond: @escaping (Result<DeviceAnswer, ControlFailure>) -> Void) {
        if let refusal = RecordingCommands.restTriggerMissing(service.settings) { return respond(.failure(refusal)) }
        let before = heldStarts.count
        heldStarts.removeAll { held in
            held.command.callKey == command.callKey && Tenant.allows(domain, held.domain ?? "")
        }
        let recordings = sessionsForStop(command, domain: domain).compactMap { session -> (RecordingSession, LiveRecording)? in
            guard let recording = session.current, recording.attached else { return nil }
            return (session, recording)
        }
        guard !recordings.isEmpty else {
            if heldStarts.count < before { respond(.success(DeviceAnswer(recordings: []))); return }
            respond(.failure(ControlFailure(kind: .notFound, reason: "no REST-triggered recording in progress matches callKey '\(command.callKey)'\(command.role.map { ", role '\($0)'" } ?? " without a role")\(command.destUser.map { ", callRecordingDestUsername '\($0)'" } ?? "")")))
            return
        }
        var remaining = recordings.count
        for (session, recording) in recordings {
            let id = recording.record.recordingId
            service.controlWaiters[id, default: []].append { _ in
                remaining -= 1
                if remaining == 0 { respond(.success(DeviceAnswer(recordings: recordings.map { $0.1.record.recordingId }))) }
            }
            service.stop(session, recording, reason: "REST service.stop", atNanos: command.receivedNanos)
        }
    }

    /// nil when some `[[rules]]` entry has `trigger = "rest"`; otherwise the 404 that says what to configure
    /// (no call could ever match, so a start is not held).
    static func restTriggerMissing(_ settings: RecordingSettings) -> ControlFailure? {
        guard !settings.rules.contains(where: { $0.trigger == .rest }) else { return nil }
        return ControlFailure(kind: .notFound, reason: "no [[rules]] entry has trigger = \"rest\", so no call waits for the device API; see docs/configuration.md")
    }

    /// A `rest` session arrived: a held start for its key (and role and user, when they were given)
    /// starts its recording now.
    func applyHeldStart(to session: RecordingSession) {
        guard let index = heldStarts.firstIndex(where: { held in
            held.command.callKey == session.callKey && Tenant.allows(held.domain, session.domain)
                && (held.command.role == nil || held.command.role == session.role)
                && (held.command.destUser == nil || held.command.destUser == session.destUser)
        }) else { return }
        let held = heldStarts.remove(at: index)
        let request = StartRequest(requestedBy: held.command.requestedBy, headers: held.command.headers)
        service.starts.start(session, recordingId: RecordingID.make(), request: request) { [self] result in
            if case .failure(let refusal) = result {
                service.logger.error("held REST start could not start its recording", metadata: [
                    "call_key": "\(held.command.callKey)", "domain": "\(session.domain.lowercased())", "reason": "\(refusal.reason)"])
            }
        }
    }

    /// Held starts whose call did not arrive in time are dropped (and logged).
    func expireHeldStarts() {
        let now = monotonicNanos()
        heldStarts.removeAll { held in
            guard held.expiresAtNanos <= now else { return false }
            service.logger.warning("held REST start expired: no call with its call key arrived", metadata: [
                "call_key": "\(held.command.callKey)", "domain": "\(held.domain?.lowercased() ?? "")"])
            return true
        }
    }
}
