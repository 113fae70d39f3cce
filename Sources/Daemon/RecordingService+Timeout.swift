import Capture
import Pipeline

extension RecordingService {
    /// Ends sessions whose RTP stopped without a BYE (warning `rtpTimeout`). Paused sessions are exempt:
    /// no RTP is expected while every stream is inactive.
    func checkRTPTimeouts() {
        let now = monotonicNanos()
        let limit = settings.rtpTimeout.components.seconds * 1_000_000_000 + settings.rtpTimeout.components.attoseconds / 1_000_000_000
        for (dialogID, recording) in live where !recording.isPaused {
            var last = recording.pauses.last?.toSample.map { recording.startNanos + $0 * 125_000 } ?? recording.startNanos
            for stream in recording.streams {
                last = max(last, stream.reassembler.counters.lastArrivalNanos.load(ordering: .relaxed))
            }
            guard now - last > limit else { continue }
            recording.addWarning("rtpTimeout")
            logger.warning("no RTP for the timeout; ending the session", metadata: [
                "recording_id": "\(recording.record.recordingId)", "call_id": "\(recording.record.sipRecCallId)"])
            if let sipServer {
                sipServer.terminate(dialogID: dialogID, cause: .terminatedLocally)
            }
            if let still = live.removeValue(forKey: dialogID) { end(still, cause: .terminatedLocally) }
            tracker.forget(callID: dialogID)
        }
    }

    /// Ends every live session (shutdown): BYE to each SRC, then the files are closed.
    public func endAll() {
        shuttingDown = true
        for (dialogID, recording) in live {
            recording.addWarning("shutdown")
            sipServer?.terminate(dialogID: dialogID, cause: .terminatedLocally)
            if let still = live.removeValue(forKey: dialogID) { end(still, cause: .terminatedLocally) }
        }
    }
}
