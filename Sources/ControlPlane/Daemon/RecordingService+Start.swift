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

extension RecordingService {
    /// Makes a new recording of a session: files, streams on the session's ports, the catalog row and
    /// RECORDINGSTARTED (written together), then hands it to the engine. Earlier recordings of the same
    /// session become its related recordings. `completion` runs on the control loop.
    func startRecording(_ session: RecordingSession, recordingId: String, request: StartRequest?,
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
            recording = try RecordingFactory.make(origin: session.origin, plans: plans, settings: settings,
                                                  startMillis: WallClock.unixMillis(), originNanos: monotonicNanos(),
                                                  recordingId: recordingId, decision: session.decision)
        } catch let failure {
            if let resource = failure.exhausted {
                completion(.failure(refusal(lacking: resource, callID: session.origin.callID, domain: session.domain, error: failure.message)))
            } else {
                completion(.failure(Refusal(statusCode: 500, reason: "Server Internal Error - \(failure.message)")))
            }
            return
        }
        recording.requestedBy = request?.requestedBy
        recording.headers = request?.headers ?? []
        recording.relatedRecordings = session.recordingIds
        recording.record.detailsJSON = RecordingReport.details(recording, outcome: nil).serialized()
        session.current = recording   // taken: a second start while the row is written gets 409
        let record = recording.record
        let started = publisher.factory.started(record, metaData: session.metadataText)
        let catalog = catalog
        let queued = EventPublisher.outbound([started], webhooksEnabled: publisher.webhooksEnabled)
        let bound = NIOLoopBound(completion, eventLoop: eventLoop)
        catalogWorker.runIfActive(eventLoop: eventLoop) { try catalog.save(record, queueing: queued) }.whenComplete { [self] result in
            let completion = bound.value
            switch result {
            case .success where shuttingDown || session.ending:
                // The session ended (or shutdown began) while the row was written: close the row.
                session.current = nil
                recording.pipeline.abandon()
                recording.record.state = RecordingLifecycle.next(recording.record.state, on: .ended(.cancelled)) ?? .cancelled
                recording.record.reason = shuttingDown ? "siprecd was shutting down" : "the session ended before recording began"
                recording.record.endTime = recording.record.startTime
                recording.record.masterPath = nil
                recording.record.mp3Path = nil
                rows.write(recording.record, events: publisher.announce(publisher.factory.ended(recording.record)))
                completion(.failure(Refusal(statusCode: 503, reason: "Service Unavailable - shutting down")))
            case .success:
                session.recordingIds.append(record.recordingId)
                if sessions[session.dialogID] == nil { accept(session) }
                // The answer (a 200 OK, a REST ack) waits until the capture thread has the streams: an
                // SRC that forks RTP the moment it has the 200 OK loses no packet (pcap sees it at once).
                let loop = eventLoop
                engine.attach(recording.pipeline, applied: { loop.execute { bound.value(.success(recording)) } })
                recording.attached = true
                recentStarts.append(monotonicNanos())
                publisher.publishLive(started)
                logger.info("recording started", metadata: [
                    "recording_id": "\(record.recordingId)", "call_id": "\(record.sipRecCallId)",
                    "source": "\(record.sourceAddress)", "streams": "\(recording.streams.count)",
                    "trigger": "\(recording.trigger)", "call_key": "\(record.callKey ?? "")",
                    "related": "\(recording.relatedRecordings.joined(separator: ","))"])
            case .failure(let error):
                session.current = nil
                recording.pipeline.abandon()
                logger.error("catalog unavailable; recording not started", metadata: [
                    "call_id": "\(record.sipRecCallId)", "domain": "\(record.domain.lowercased())", "error": "\(error)"])
                completion(.failure(Refusal(statusCode: 500, reason: "Server Internal Error - recording catalog unavailable")))
            }
        }
    }
}
