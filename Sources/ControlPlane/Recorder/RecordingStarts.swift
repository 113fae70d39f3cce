import Events
import Catalog
import JSON
import MediaCore
import NIOCore
import Pipeline
import RecordingModel
import SystemLayer

/// Who asked for a recording, and what they attached to it (a REST start).
struct StartRequest: Sendable {
    var requestedBy: String?
    var headers: [(name: String, value: String)] = []
}

/// Starting a recording of a session: its files and streams (`RecordingFactory`), the lifecycle's
/// `started` transition, then its effects — the row with RECORDINGSTARTED, then the streams handed to the
/// engine — and the answer once the capture thread has them.
///
/// Confined to the control event loop. Owned by the recording service, which it reaches through an
/// unowned reference (no cycle).
final class RecordingStarts: @unchecked Sendable {
    // @unchecked: every mutable property is touched only on the control event loop.
    unowned let service: RecordingService
    typealias Refusal = RecordingService.Refusal
    /// Monotonic start times of recordings, for "started in the last minute" (pruned as it is read).
    var recent: [Int64] = []

    init(service: RecordingService) {
        self.service = service
    }

    /// How many recordings started in the last 60 s.
    func lastMinute() -> Int {
        let cutoff = monotonicNanos() - 60_000_000_000
        recent.removeAll { $0 < cutoff }
        return recent.count
    }

    /// Makes a new recording of a session: files, streams on the session's ports, the catalog row and
    /// RECORDINGSTARTED (written together), then hands it to the engine. Earlier recordings of the same
    /// session become its related recordings. `completion` runs on the control loop.
    func start(_ session: RecordingSession, recordingId: String, request: StartRequest?,
               completion: @escaping (Result<LiveRecording, Refusal>) -> Void) {
        guard session.current == nil else {
            completion(.failure(Refusal(statusCode: 409, reason: "session is already being recorded")))
            return
        }
        let plans = session.plans.enumerated().map { index, plan in
            plan.map { var p = $0; p.accepting = session.sdpAccepting[index]; return p }
        }
        let recording: LiveRecording
        do {
            recording = try RecordingFactory.make(origin: session.origin, plans: plans, settings: service.settings,
                                                  startMillis: WallClock.unixMillis(), originNanos: monotonicNanos(),
                                                  recordingId: recordingId, decision: session.decision)
        } catch let failure {
            if let resource = failure.exhausted {
                completion(.failure(service.refusal(lacking: resource, callID: session.origin.callID, domain: session.domain, error: failure.message)))
            } else {
                completion(.failure(Refusal(statusCode: 500, reason: "Server Internal Error - \(failure.message)")))
            }
            return
        }
        guard let transition = service.lifecycle(.started(paused: recording.isPaused), recording.record) else {
            recording.pipeline.abandon()
            completion(.failure(Refusal(statusCode: 500, reason: "Server Internal Error - the recording cannot start")))
            return
        }
        recording.record.state = transition.state
        recording.requestedBy = request?.requestedBy
        recording.headers = request?.headers ?? []
        recording.relatedRecordings = session.recordingIds
        recording.record.detailsJSON = RecordingReport.details(recording, outcome: nil).serialized()
        session.current = recording   // taken: a second start while the row is written gets 409
        perform(transition.effects[...], recording, session: session, metaData: session.metadataText,
                     completion: NIOLoopBound(completion, eventLoop: service.eventLoop))
    }

    /// Does what the lifecycle's `started` transition returned, in order: `persist` writes the row with
    /// RECORDINGSTARTED (the rest waits for the catalog thread), `attachMedia` hands the streams to the
    /// engine, and the start is answered once the capture thread has them — an SRC that forks RTP the moment
    /// it has the 200 OK loses no packet (pcap sees it at once).
    func perform(_ effects: ArraySlice<RecordingLifecycle.Effect>, _ recording: LiveRecording, session: RecordingSession,
                 metaData: String?, completion bound: NIOLoopBound<(Result<LiveRecording, Refusal>) -> Void>) {
        let record = recording.record
        guard let effect = effects.first else {
            // `started` always ends with attachMedia, which answers (RecordingLifecycleTests); were it ever
            // missing, the SRC or the REST caller would otherwise wait for an answer that never comes.
            if !recording.attached {
                service.logger.error("recording lifecycle's start did not attach the media; the start is refused", metadata: [
                    "recording_id": "\(record.recordingId)", "call_id": "\(record.sipRecCallId)"])
                session.current = nil
                recording.pipeline.abandon()
                bound.value(.failure(Refusal(statusCode: 500, reason: "Server Internal Error - the recording cannot start")))
            }
            return
        }
        switch effect {
        case .persist:
            let started = service.publisher.factory.started(record, metaData: metaData)
            let catalog = service.catalog
            let queued = EventPublisher.outbound([started], webhooksEnabled: service.publisher.webhooksEnabled)
            service.catalogWorker.runIfActive(eventLoop: service.eventLoop) { try catalog.save(record, queueing: queued) }.whenComplete { [self] result in
                switch result {
                case .success where service.shuttingDown || session.ending:
                    // The session ended (or shutdown began) while the row was written: close the row.
                    session.current = nil
                    recording.pipeline.abandon()
                    service.rows.writeNeverBegun(recording, reason: service.shuttingDown ? "siprecd was shutting down" : "the session ended before recording began")
                    bound.value(.failure(Refusal(statusCode: 503, reason: "Service Unavailable - shutting down")))
                case .success:
                    session.recordingIds.append(record.recordingId)
                    if service.sessions[session.dialogID] == nil { service.accept(session) }
                    service.publisher.publishLive(started)
                    service.logger.info("recording started", metadata: [
                        "recording_id": "\(record.recordingId)", "call_id": "\(record.sipRecCallId)",
                        "source": "\(record.sourceAddress)", "streams": "\(recording.streams.count)",
                        "trigger": "\(recording.trigger)", "call_key": "\(record.callKey ?? "")",
                        "related": "\(recording.relatedRecordings.joined(separator: ","))"])
                    perform(effects.dropFirst(), recording, session: session, metaData: metaData, completion: bound)
                case .failure(let error):
                    session.current = nil
                    recording.pipeline.abandon()
                    service.logger.error("catalog unavailable; recording not started", metadata: [
                        "call_id": "\(record.sipRecCallId)", "domain": "\(record.domain.lowercased())", "error": "\(error)"])
                    bound.value(.failure(Refusal(statusCode: 500, reason: "Server Internal Error - recording catalog unavailable")))
                }
            }
        case .attachMedia:
            let loop = service.eventLoop
            service.engine.attach(recording.pipeline, applied: { loop.execute { bound.value(.success(recording)) } })
            recording.attached = true
            recent.append(monotonicNanos())
            perform(effects.dropFirst(), recording, session: session, metaData: metaData, completion: bound)
        case .finishMedia, .removeStartJournal, .removeFiles, .answerWaiters:
            service.lifecycle.unexpected(effect, .started(paused: recording.isPaused), record)
            perform(effects.dropFirst(), recording, session: session, metaData: metaData, completion: bound)
        }
    }
}
