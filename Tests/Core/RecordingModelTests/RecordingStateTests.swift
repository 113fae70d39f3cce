import RecordingModel
import Testing

@Suite("Recording states (PRODUCT.md's state model)")
struct RecordingStateTests {
    @Test("The states, in the order of a recording's life, with the names the API and events use")
    func names() {
        #expect(RecordingState.allCases.map(\.rawValue)
                == ["pending", "recording", "paused", "ready", "stored", "deleted", "cancelled", "failed", "expired"])
        #expect("\(RecordingState.ready)" == "ready")
    }

    @Test("The indicator is On while recording, Paused while paused, Off in every other state")
    func indicator() {
        for state in RecordingState.allCases {
            let expected: RecordingIndicator = state == .recording ? .on : state == .paused ? .paused : .off
            #expect(state.indicator == expected, "\(state)")
        }
        #expect(RecordingIndicator.allCases.map(\.rawValue) == ["On", "Paused", "Off"])
    }

    @Test("Live means audio is still being written")
    func live() {
        #expect(RecordingState.allCases.filter(\.isLive) == [.recording, .paused])
    }

    @Test("An unknown state name is refused with the list of valid ones")
    func problem() {
        #expect(RecordingState.problem(with: "stored") == nil)
        #expect(RecordingState.problem(with: "Ready")
                == "unknown state 'Ready': one of pending, recording, paused, ready, stored, deleted, cancelled, failed, expired")
    }
}
