import RecordingModel
import Events
import Capture
import MediaCore
import Pipeline
import SIPCore
import Signalling
import SystemLayer
import Wire
import JSON

#if canImport(Glibc)
import Glibc
#endif

/// Passive mode (`[sip] mode = "passive"`): recordings of the calls whose SIP is seen on the mirror port.
/// The tracker follows each call's dialog; a call it takes up becomes a recording session here, an
/// update changes its streams, a BYE ends it.
///
/// Confined to the control event loop; owned by the recording service (unowned back-reference).
final class PassiveRecorder {
    unowned let service: RecordingService
    /// Follows SIP seen on the mirror port.
    var tracker = PassiveSessionTracker(recordPlainCalls: false)

    init(service: RecordingService) {
        self.service = service
    }

    /// SIP seen on the mirror port (passive mode), in capture order, with monotonic times.
    func observed(_ messages: [(SIPFrameFollower.Observed, Int64)]) {
        for (observed, nanos) in messages {
            let events = tracker.observe(observed.message, source: observed.source.description,
                                         destination: observed.destination.description, atNanos: nanos)
            for event in events { apply(event) }
        }
    }

    /// SIP over TLS on the mirror port (each client and server pair once): its sessions cannot be followed,
    /// and the SRTP of its calls has keys no capture shows, so nothing of them is recorded — said plainly.
    func tlsSeen(_ sightings: [SIPFrameFollower.TLSSighting]) {
        for sighting in sightings {
            service.logger.warning("SIP over TLS on the mirror port: passive mode cannot read it, so its calls are not recorded (make siprecd their SRS to record them)",
                           metadata: ["client": "\(sighting.client)", "server": "\(sighting.server)"])
        }
    }

    func apply(_ event: ObservedEvent) {
        switch event {
        case .started(let session, let nanos):
            guard !service.shuttingDown else { return }
            let recording: LiveRecording
            do {
                let lag = (monotonicNanos() - nanos) / 1_000_000
                recording = try ObservedSessionPlanner.makeRecording(
                    session, settings: service.settings, startMillis: WallClock.unixMillis() - max(0, lag), originNanos: nanos)
            } catch {
                if let resource = error.exhausted { service.exhausted[resource, default: 0] += 1 }
                service.logger.warning("observed session not recorded", metadata: [
                    "call_id": "\(session.callID)", "domain": "\(session.invite.requestURI?.host.lowercased() ?? "")",
                    "reason": "\(error.message)"])
                return
            }
            let started = RecordingLifecycle.Event.started(paused: recording.isPaused)
            guard let transition = service.lifecycle(started, recording.record) else {
                recording.pipeline.abandon()
                return
            }
            recording.record.state = transition.state
            for reason in ObservedSessionPlanner.unavailableKeys(session) {
                service.logger.warning("SRTP stream recorded without audio: its keys are not visible (srtpKeysUnavailable)", metadata: [
                    "call_id": "\(session.callID)", "reason": "\(reason)"])
            }
            let decision = RuleMatcher.decide(rules: [], requestURI: session.invite.requestURI, source: session.source,
                                              invite: session.invite, metadata: session.metadata)
            let origin = RecordingOrigin(
                dialogID: session.callID, callID: session.callID, requestURI: session.invite.requestURI, source: session.source,
                metadata: session.metadata, metadataError: session.metadataError, siprecIndications: session.siprecIndications,
                assignment: recording.assignment, invite: session.invite)
            let observed = RecordingSession(dialogID: session.callID, origin: origin, decision: decision, plans: [], sockets: [])
            observed.current = recording
            observed.recordingIds = [recording.record.recordingId]
            service.sessions[session.callID] = observed
            // The capture is already seeing the call's packets: neither effect waits for the other.
            for effect in transition.effects {
                switch effect {
                case .persist:
                    service.rows.write(recording.record, events: service.publisher.announce(service.publisher.factory.started(recording.record, metaData: nil)))
                case .attachMedia:
                    recording.attached = true
                    service.engine.attach(recording.pipeline)
                case .finishMedia, .removeStartJournal, .removeFiles, .answerWaiters:
                    service.lifecycle.unexpected(effect, started, recording.record)
                }
            }
            service.logger.info("recording started (passive)", metadata: [
                "recording_id": "\(recording.record.recordingId)", "call_id": "\(session.callID)",
                "source": "\(session.source)", "streams": "\(recording.streams.count)"])
        case .updated(let session, let nanos):
            guard let recording = service.sessions[session.callID]?.current else { return }
            for change in ObservedSessionPlanner.applyUpdate(session, to: recording, atNanos: nanos, replayWindow: service.settings.replayWindow) {
                guard let stream = recording.streamsByMLine[change.slot] else { continue }
                service.engine.setAccepting(stream, change.accepting, atNanos: nanos)
                if let receiver = change.rekey { service.engine.rekey(stream, receiver) }
                if let payloads = change.payloads {
                    service.engine.setPayloads(stream, payloads, decoders: StreamDecoders(linked: payloads, sampleRate: stream.sampleRate))
                }
            }
            service.rows.write(recording.record)
        case .ended(let callID, let nanos):
            if let observed = service.sessions.removeValue(forKey: callID) { service.close(observed, cause: "bye", atNanos: nanos) }
        }
    }
}

/// Passive mode's SIP: frames from the capture thread are read there, and the messages they complete go
/// to the control loop, which only ever sees SIP.
public enum PassiveSIP {
    public static func follow(_ frames: PcapFrameSource, into service: RecordingService) -> FrameCaptureLoop {
        let reader = CapturedSIPReader(linkType: frames.linkType)
        return FrameCaptureLoop(source: frames, name: "siprecd-sip-capture") { batch in
            for frame in batch { frame.bytes.withUnsafeBytes { reader.read($0, nanos: frame.nanos) } }
            let (messages, sightings) = reader.take()
            if !sightings.isEmpty { service.eventLoop.execute { service.passive.tlsSeen(sightings) } }
            if !messages.isEmpty { service.eventLoop.execute { service.passive.observed(messages) } }
        }
    }
}
