import Capture
import JSON
import Catalog
import MediaCore
import NIOCore
import Pipeline
import RecordingMetadata
import SIPCore
import Signalling

extension RecordingService {
    public func sessionOffered(_ offer: SessionOffer, respond: @escaping @Sendable (SessionDecision) -> Void) {
        guard !shuttingDown else {
            respond(.reject(statusCode: 503, reason: "Service Unavailable - shutting down"))
            return
        }
        let recording: LiveRecording, answer: SDPSession
        do {
            (recording, answer) = try startRecording(offer)
        } catch {
            logger.warning("session refused", metadata: ["call_id": "\(offer.callID)", "reason": "\(error.reason)"])
            respond(.reject(statusCode: error.statusCode, reason: error.reason))
            return
        }
        // The catalog row exists before the SRC is told where to send media: a crash after the 200 OK
        // leaves a row that start-up recovery closes, never an uncatalogued file.
        let catalog = catalog
        let record = recording.record
        let startedEvent = eventFactory.started(record, metaData: offer.metadataText)
        let queued = webhooksEnabled ? [startedEvent] : []
        catalogWorker.runIfActive(eventLoop: eventLoop) { try catalog.save(record, queueing: queued) }.whenComplete { [self] result in
            switch result {
            case .success where shuttingDown:
                // Shutdown began while the row was written: refuse, and close the row as cancelled.
                for port in recording.sockets { ports.release(port: port) }
                recording.pipeline.abandon()
                recording.record.state = "cancelled"
                recording.record.reason = "siprecd was shutting down"
                recording.record.endTime = recording.record.startTime
                persist(recording.record, events: announce(eventFactory.ended(recording.record)))
                respond(.reject(statusCode: 503, reason: "Service Unavailable - shutting down"))
            case .success:
                live[offer.dialogID] = recording
                engine.attach(recording.pipeline)
                broadcaster?.publish(startedEvent.body)
                logger.info("recording started", metadata: [
                    "recording_id": "\(record.recordingId)", "call_id": "\(offer.callID)",
                    "source": "\(offer.source)", "streams": "\(recording.streams.count)",
                    "siprec": "\(offer.siprecIndications.joined(separator: ","))"])
                respond(.accept(answer: answer))
            case .failure(let error):
                logger.error("catalog unavailable; session refused", metadata: [
                    "call_id": "\(offer.callID)", "error": "\(error)"])
                for port in recording.sockets { ports.release(port: port) }
                recording.pipeline.abandon()
                respond(.reject(statusCode: 500, reason: "Server Internal Error - recording catalog unavailable"))
            }
        }
    }

    struct Refusal: Error {
        var statusCode: Int
        var reason: String
    }

    /// Plans streams and channels, opens sockets and files, and builds the SDP answer.
    func startRecording(_ offer: SessionOffer) throws(Refusal) -> (LiveRecording, SDPSession) {
        let host = sipServer?.localHost(for: offer.invite) ?? settings.mediaHost
        let labels = offer.sdp.media.map(\.label)
        let assignment = ChannelAssignment.assign(metadata: offer.metadata, mediaLabels: labels)
        // Which m-lines we can take: ask the answerer with placeholder ports first.
        let (_, trialPlan) = SDPAnswerer.answer(offer: offer.sdp, localAddress: host,
                                                ports: Array(repeating: 1, count: offer.sdp.media.count),
                                                sessionId: "0", sessionVersion: 1)
        guard trialPlan.filter(\.accepted).count <= RecordingService.maximumStreams else {
            throw Refusal(statusCode: 488, reason: "Not Acceptable Here - more than \(RecordingService.maximumStreams) audio streams offered")
        }
        guard trialPlan.contains(where: \.accepted) else {
            throw Refusal(statusCode: 488, reason: "Not Acceptable Here - no PCMU/PCMA audio stream offered")
        }
        var sockets: [RTPSocket?] = []
        do {
            for plan in trialPlan {
                sockets.append(plan.accepted ? try ports.allocate(host: settings.mediaHost) : nil)
            }
        } catch {
            for socket in sockets.compactMap({ $0 }) { ports.release(port: socket.port); socket.close() }
            throw Refusal(statusCode: 503, reason: "Service Unavailable - \(error.message)")
        }
        let portNumbers = sockets.map { $0?.port ?? 0 }
        let sessionId = String(UInt32.random(in: 1...UInt32.max))
        let (answer, plan) = SDPAnswerer.answer(offer: offer.sdp, localAddress: host, ports: portNumbers,
                                                sessionId: sessionId, sessionVersion: 1)

        let roles = plan.map { p in assignment.streams.first(where: { $0.mLineIndex == p.mLineIndex })?.role ?? .callee }
        let plans: [StreamPlan?] = plan.indices.map { index in
            let p = plan[index]
            guard p.accepted else { return nil }
            let payloads = StreamPayloads(
                audioPayloadType: UInt8(p.payloadType ?? 0), codec: AudioCodec(encodingName: p.encoding ?? "PCMU") ?? .pcmu,
                telephoneEventPayloadType: p.telephoneEventPT.map(UInt8.init), comfortNoisePayloadType: p.comfortNoisePT.map(UInt8.init) ?? 13)
            return StreamPlan(mLineIndex: index, label: p.label, role: roles[index] == .caller ? .caller : .callee,
                              payloads: payloads, accepting: p.direction != .inactive, socket: sockets[index], key: nil)
        }
        let origin = RecordingOrigin(
            dialogID: offer.dialogID, callID: offer.callID, requestURI: offer.requestURI, source: offer.source,
            metadata: offer.metadata, metadataError: offer.metadataError, siprecIndications: offer.siprecIndications,
            assignment: assignment, invite: offer.invite)
        let recording: LiveRecording
        do {
            recording = try RecordingFactory.make(origin: origin, plans: plans, settings: settings,
                                                  startMillis: WallClock.unixMillis(), originNanos: monotonicNanos())
        } catch {
            for socket in sockets.compactMap({ $0 }) { ports.release(port: socket.port); socket.close() }
            throw Refusal(statusCode: 500, reason: "Server Internal Error - \(error.message)")
        }
        if let error = offer.metadataError {
            logger.warning("recording metadata unusable; channels follow SDP order", metadata: [
                "recording_id": "\(recording.record.recordingId)", "error": "\(error)"])
        }
        recording.lastAnswer = answer
        return (recording, answer)
    }
}
