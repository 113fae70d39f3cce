import RecordingModel
import MediaCore
import Pipeline
import RecordingMetadata
import SIPCore
import Signalling
import Wire

extension ReplayRunner {
    func apply(_ event: ObservedEvent) {
        switch event {
        case .started(let session, let nanos):
            start(session, atNanos: nanos)
        case .updated(let session, let nanos):
            update(session, atNanos: nanos)
        case .ended(let callID, let nanos):
            guard let recording = recordings.removeValue(forKey: callID) else { return }
            if recording.isPaused {
                recording.pauses[recording.pauses.count - 1].toSample = recording.position(atNanos: nanos)
            }
            driver.finish(recording.pipeline, atNanos: nanos)
        }
    }

    /// A call was answered: plan its streams by where their RTP goes, as the SRS answered them.
    func start(_ session: ObservedSession, atNanos nanos: Int64) {
        let recording: LiveRecording
        do {
            recording = try ObservedSessionPlanner.makeRecording(session, settings: settings, startMillis: nanos / 1_000_000,
                                                                 originNanos: nanos)
        } catch {
            summary.ignoredCalls.append((session.callID, error.message))
            return
        }
        let started = RecordingLifecycle.Event.started(paused: recording.isPaused)
        guard case .success(let transition) = RecordingLifecycle.apply(started, to: recording.record.state) else {
            recording.pipeline.abandon()
            summary.ignoredCalls.append((session.callID, "the recording lifecycle refused to start it"))
            return
        }
        recording.record.state = transition.state
        for reason in ObservedSessionPlanner.unavailableKeys(session) {
            logger.warning("replay: SRTP stream recorded without audio: its keys are not in the capture (srtpKeysUnavailable)", metadata: [
                "call_id": "\(session.callID)", "reason": "\(reason)"])
        }
        recordings[session.callID] = recording
        byPipeline[recording.pipeline.id] = recording
        for effect in transition.effects {
            switch effect {
            case .persist: save(recording.record)
            case .attachMedia: driver.attach(recording.pipeline)
            case .finishMedia, .removeStartJournal, .removeFiles, .answerWaiters: continue   // not a start's
            }
        }
        logger.info("replay: recording started", metadata: [
            "recording_id": "\(recording.record.recordingId)", "call_id": "\(session.callID)"])
    }

    /// A re-INVITE was answered: streams go inactive or come back; metadata may have changed.
    func update(_ session: ObservedSession, atNanos nanos: Int64) {
        guard let recording = recordings[session.callID] else { return }
        for change in ObservedSessionPlanner.applyUpdate(session, to: recording, atNanos: nanos, replayWindow: settings.replayWindow) {
            guard let stream = recording.streamsByMLine[change.slot] else { continue }
            stream.schedule(accepting: change.accepting, atNanos: nanos)
            if let receiver = change.rekey { stream.rekey(receiver) }
            if let payloads = change.payloads { stream.reassembler.payloads = payloads.keeping(stream.reassembler.payloads) }
        }
    }
}
