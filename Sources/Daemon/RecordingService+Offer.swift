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
        catalogWorker.runIfActive(eventLoop: eventLoop) { try catalog.save(record) }.whenComplete { [self] result in
            switch result {
            case .success:
                live[offer.dialogID] = recording
                engine.attach(recording.pipeline)
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

        let recordingId = RecordingID.make()
        let startMillis = WallClock.unixMillis()
        let startNanos = monotonicNanos()
        let roles = plan.map { p in assignment.streams.first(where: { $0.mLineIndex == p.mLineIndex })?.role ?? .callee }
        // Master channels: caller streams first, then callee streams, each in m-line order.
        let order = plan.indices.filter { plan[$0].accepted }
            .sorted { (roles[$0] == .caller ? 0 : 1, $0) < (roles[$1] == .caller ? 0 : 1, $1) }
        var streamsByMLine: [MediaStream?] = Array(repeating: nil, count: plan.count)
        for (channel, index) in order.enumerated() {
            let p = plan[index]
            let payloads = StreamPayloads(
                audioPayloadType: UInt8(p.payloadType ?? 0), codec: AudioCodec(encodingName: p.encoding ?? "PCMU") ?? .pcmu,
                telephoneEventPayloadType: p.telephoneEventPT.map(UInt8.init), comfortNoisePayloadType: p.comfortNoisePT.map(UInt8.init) ?? 13)
            let stream = MediaStream(label: p.label, mLineIndex: index, role: roles[index] == .caller ? .caller : .callee,
                                     channel: channel, payloads: payloads, timing: settings.timing,
                                     originNanos: startNanos, socket: sockets[index])
            stream.reassembler.isAccepting = p.direction != .inactive
            streamsByMLine[index] = stream
        }
        let day = WallClock.yyMMdd(startMillis)
        let relativeMaster = "recordings/\(day)/\(recordingId).wav"
        let relativeMP3 = "recordings/\(day)/\(recordingId).mp3"
        let pipeline: RecordingPipeline
        do {
            try FileSystem.makeDirectories("\(settings.dataDir)/recordings/\(day)")
            pipeline = try RecordingPipeline(
                id: recordingId, streams: streamsByMLine.compactMap { $0 }.sorted { $0.channel < $1.channel },
                originNanos: startNanos, masterPath: "\(settings.dataDir)/\(relativeMaster)",
                mp3Path: "\(settings.dataDir)/\(relativeMP3)", settings: settings.encoder)
        } catch {
            for socket in sockets.compactMap({ $0 }) { ports.release(port: socket.port); socket.close() }
            throw Refusal(statusCode: 500, reason: "Server Internal Error - cannot create recording files: \(error)")
        }

        var record = RecordingRecord(
            recordingId: recordingId, state: "recording", sipRecCallId: offer.callID,
            sessionId: offer.metadata?.sessions.first?.id, groupId: offer.metadata?.groups.first?.id,
            calledParty: offer.requestURI?.user ?? "", domain: offer.requestURI?.host ?? "",
            sourceAddress: offer.source, startTime: startMillis, masterPath: relativeMaster, mp3Path: relativeMP3,
            updatedAt: startMillis)
        if let error = offer.metadataError {
            record.warnings.append("metadataInvalid")
            logger.warning("recording metadata unusable; channels follow SDP order", metadata: [
                "recording_id": "\(recordingId)", "error": "\(error)"])
        }
        if offer.siprecIndications.isEmpty { record.warnings.append("notSiprec") }
        let recording = LiveRecording(dialogID: offer.dialogID, record: record, pipeline: pipeline,
                                      streamsByMLine: streamsByMLine, sockets: portNumbers.filter { $0 > 0 },
                                      metadata: offer.metadata, assignment: assignment, startNanos: startNanos)
        recording.metadataError = offer.metadataError
        recording.lastAnswer = answer
        refreshParticipants(recording)
        if !recording.accepting.contains(true) {
            recording.pauses.append(.init(fromSample: 0, toSample: nil, reason: "inactive"))
            recording.record.state = "paused"
        }
        recording.record.streams = streamRecords(recording, outcome: nil)
        return (recording, answer)
    }

    /// Participants with the role their streams play.
    func refreshParticipants(_ recording: LiveRecording) {
        guard let metadata = recording.metadata else { return }
        recording.record.participants = metadata.participants.map { participant in
            let roles = Set(recording.assignment.streams.filter { $0.participantId == participant.id }.map(\.role))
            let role = roles.contains(.caller) ? "caller" : roles.contains(.callee) ? "callee" : "other"
            return ParticipantRecord(participantId: participant.id, aor: participant.aor ?? "", name: participant.name, role: role)
        }
        recording.record.sessionId = metadata.sessions.first?.id ?? recording.record.sessionId
        recording.record.groupId = metadata.groups.first?.id ?? recording.record.groupId
    }
}
