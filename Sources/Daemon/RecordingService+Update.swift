import JSON
import Capture
import MediaCore
import Pipeline
import RecordingMetadata
import SIPCore
import Signalling

extension RecordingService {
    /// re-INVITE / UPDATE: apply direction (pause/resume), codec changes, refused m-lines and metadata
    /// to the session and to its recording in progress.
    public func sessionUpdated(_ update: SessionUpdate) -> SessionDecision {
        guard let session = sessions[update.dialogID] else {
            return .reject(statusCode: 481, reason: "Call/Transaction Does Not Exist")
        }
        let recording = session.current
        if let metadata = update.metadata {
            let merged = session.origin.metadata.map { $0.merging(metadata) } ?? metadata
            session.origin.metadata = merged
            session.origin.metadataError = nil
            let labels = session.plans.map { $0?.label }
            let fresh = ChannelAssignment.assign(metadata: merged, mediaLabels: labels)
            // Channels are fixed once audio flows; the new assignment only refreshes participant roles.
            session.origin.assignment.streams = session.origin.assignment.streams.map { current in
                var updated = current
                if let match = fresh.streams.first(where: { $0.mLineIndex == current.mLineIndex }) {
                    updated.participantId = match.participantId
                    updated.participantAoR = match.participantAoR
                    updated.participantName = match.participantName
                }
                return updated
            }
            if let recording {
                recording.metadata = merged
                recording.metadataError = nil
                recording.assignment.streams = session.origin.assignment.streams
                recording.refreshParticipants()
                recording.conference.observe(merged, atMillis: WallClock.unixMillis())
                persistLive(recording)
            }
        } else if let error = update.metadataError {
            recording?.addWarning("metadataInvalid")
            logger.warning("metadata update unusable; keeping the previous metadata", metadata: [
                "call_id": "\(session.origin.callID)", "error": "\(error)"])
        }
        guard let sdp = update.sdp else {
            if let recording { persistLive(recording) }
            return .accept(answer: session.lastAnswer ?? SDPSession())
        }
        let host = session.lastAnswer?.connection?.address ?? settings.mediaHost
        let ports = session.plans.indices.map { index -> Int in
            guard index < sdp.media.count, let socket = session.plans[index]?.socket, sdp.media[index].port != 0 else { return 0 }
            return socket.port
        } + Array(repeating: 0, count: max(0, sdp.media.count - session.plans.count))
        var (answer, plan) = SDPAnswerer.answer(offer: sdp, localAddress: host, ports: ports,
                                                sessionId: session.lastAnswer?.origin?.sessionId ?? "1", sessionVersion: 2)
        answer.origin = session.lastAnswer?.origin ?? answer.origin
        for index in session.plans.indices where session.plans[index] != nil {
            session.sdpAccepting[index] = index < plan.count && plan[index].accepted && plan[index].direction != .inactive
            recording?.accepting[index] = session.sdpAccepting[index]
            if index < plan.count, plan[index].accepted, let pt = plan[index].payloadType,
               let codec = AudioCodec(encodingName: plan[index].encoding ?? "") {
                let payloads = StreamPayloads(
                    audioPayloadType: UInt8(pt), codec: codec, telephoneEventPayloadType: plan[index].telephoneEventPT.map(UInt8.init),
                    comfortNoisePayloadType: plan[index].comfortNoisePT.map(UInt8.init) ?? 13)
                session.plans[index]?.payloads = payloads
                if let stream = recording?.streamsByMLine[index] { engine.setPayloads(stream, payloads) }
            }
        }
        if sdp.media.count > session.plans.count {
            recording?.addWarning("streamsAddedIgnored")
            logger.notice("re-INVITE added m-lines; they were refused (channels are fixed for a recording)", metadata: [
                "call_id": "\(session.origin.callID)"])
        }
        session.lastAnswer = answer
        if let recording { applyAccepting(recording, cause: "sdp", atNanos: update.receivedNanos) }
        return .accept(answer: answer)
    }
}
