import Capture
import MediaCore
import Pipeline
import RecordingMetadata
import SIPCore
import Signalling

extension RecordingService {
    /// re-INVITE / UPDATE: apply direction (pause/resume), codec changes, refused m-lines and metadata.
    public func sessionUpdated(_ update: SessionUpdate) -> SessionDecision {
        guard let recording = live[update.dialogID] else {
            return .reject(statusCode: 481, reason: "Call/Transaction Does Not Exist")
        }
        if let metadata = update.metadata {
            recording.metadata = recording.metadata.map { $0.merging(metadata) } ?? metadata
            recording.metadataError = nil
            let labels = recording.streamsByMLine.map { $0?.label }
            let assignment = ChannelAssignment.assign(metadata: recording.metadata, mediaLabels: labels)
            // Channels are fixed once audio flows; the new assignment only refreshes participant roles.
            recording.assignment.reason = recording.assignment.reason
            recording.assignment.streams = recording.assignment.streams.map { current in
                var updated = current
                if let fresh = assignment.streams.first(where: { $0.mLineIndex == current.mLineIndex }) {
                    updated.participantId = fresh.participantId
                    updated.participantAoR = fresh.participantAoR
                    updated.participantName = fresh.participantName
                }
                return updated
            }
            recording.refreshParticipants()
        } else if let error = update.metadataError {
            recording.addWarning("metadataInvalid")
            logger.warning("metadata update unusable; keeping the previous metadata", metadata: [
                "recording_id": "\(recording.record.recordingId)", "error": "\(error)"])
        }
        guard let sdp = update.sdp else {
            persist(recording.record)
            return .accept(answer: sipServerAnswer(recording))
        }
        let host = recording.lastAnswer?.connection?.address ?? settings.mediaHost
        let ports = recording.streamsByMLine.indices.map { index -> Int in
            guard index < sdp.media.count, let stream = recording.streamsByMLine[index], sdp.media[index].port != 0 else { return 0 }
            return stream.port
        } + Array(repeating: 0, count: max(0, sdp.media.count - recording.streamsByMLine.count))
        var (answer, plan) = SDPAnswerer.answer(offer: sdp, localAddress: host, ports: ports,
                                                sessionId: recording.lastAnswer?.origin?.sessionId ?? "1", sessionVersion: 2)
        answer.origin = recording.lastAnswer?.origin ?? answer.origin
        let now = monotonicNanos()
        for (index, stream) in recording.streamsByMLine.enumerated() {
            guard let stream else { continue }
            let accepting = index < plan.count && plan[index].accepted && plan[index].direction != .inactive
            engine.setAccepting(stream, accepting)
            recording.accepting[index] = accepting
            if index < plan.count, plan[index].accepted, let pt = plan[index].payloadType,
               let codec = AudioCodec(encodingName: plan[index].encoding ?? "") {
                engine.setPayloads(stream, StreamPayloads(
                    audioPayloadType: UInt8(pt), codec: codec, telephoneEventPayloadType: plan[index].telephoneEventPT.map(UInt8.init),
                    comfortNoisePayloadType: plan[index].comfortNoisePT.map(UInt8.init) ?? 13))
            }
        }
        if sdp.media.count > recording.streamsByMLine.count {
            recording.addWarning("streamsAddedIgnored")
            logger.notice("re-INVITE added m-lines; they were refused (channels are fixed for a recording)", metadata: [
                "recording_id": "\(recording.record.recordingId)"])
        }
        updatePauseState(recording, atNanos: now)
        recording.lastAnswer = answer
        persist(recording.record)
        return .accept(answer: answer)
    }

    /// Opens or closes a pause span when every stream stops or any stream resumes.
    func updatePauseState(_ recording: LiveRecording, atNanos now: Int64) {
        if let change = recording.updatePause(atNanos: now) {
            logger.info("recording \(change) (stream directions)", metadata: ["recording_id": "\(recording.record.recordingId)"])
        }
    }

    func sipServerAnswer(_ recording: LiveRecording) -> SDPSession {
        recording.lastAnswer ?? SDPSession()
    }
}
