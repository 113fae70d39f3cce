import Logging
import RecordingModel

/// How the recording service asks `RecordingLifecycle` for a transition: a refusal, or an effect the
/// model returned where the driver does not expect it, is logged with the recording, and the driver does
/// nothing rather than something the model does not allow.
struct LifecycleCheck {
    let logger: Logger

    /// The transition `event` makes for a recording, or nil (logged) when the model has none.
    func callAsFunction(_ event: RecordingLifecycle.Event, _ record: RecordingRecord) -> RecordingLifecycle.Transition? {
        switch RecordingLifecycle.apply(event, to: record.state) {
        case .success(let transition):
            return transition
        case .failure(let refusal):
            logger.error("recording lifecycle refused a transition", metadata: [
                "recording_id": "\(record.recordingId)", "domain": "\(record.domain.lowercased())", "event": "\(event)",
                "reason": "\(refusal.reason)"])
            return nil
        }
    }

    /// An effect the model does not return for this event (RecordingLifecycleTests pins each event's); logged, not performed.
    func unexpected(_ effect: RecordingLifecycle.Effect, _ event: RecordingLifecycle.Event, _ record: RecordingRecord) {
        logger.error("recording lifecycle effect out of place", metadata: [
            "recording_id": "\(record.recordingId)", "event": "\(event)", "effect": "\(effect)"])
    }
}
