import RecordingModel
import Testing

@Suite("Runtime control state (reference 004)")
struct RecordingControlStateTests {
    @Test("nochange keeps a direction; both none ends the recording")
    func transitions() throws {
        let start = RecordingControlState()
        let muted = try start.applying(inbound: .set(.inactive), outbound: .noChange).get()
        #expect(muted.inbound == .inactive && muted.outbound == .active && !muted.ends)
        let ended = try muted.applying(inbound: .set(.none), outbound: .set(.none)).get()
        #expect(ended.ends)
    }

    @Test("a direction that is none cannot come back, and the whole request is refused")
    func impossible() {
        var state = RecordingControlState()
        state.outbound = .none
        guard case .failure(let failure) = state.applying(inbound: .set(.inactive), outbound: .set(.active)) else {
            Issue.record("accepted")
            return
        }
        #expect(failure.kind == .conflict && failure.reason.contains("outbound"))
        #expect(state.inbound == .active)
        #expect((try? state.applying(inbound: .noChange, outbound: .set(.none)).get()) == state)
    }

    @Test("request words parse as the reference spells them; omitted means nochange")
    func parsing() {
        #expect(DirectionRequest(parsing: nil) == .noChange)
        #expect(DirectionRequest(parsing: "nochange") == .noChange)
        #expect(DirectionRequest(parsing: "inactive") == .set(.inactive))
        #expect(DirectionRequest(parsing: "muted") == nil)
    }

    @Test("the indicator is On, Paused or Off")
    func indicator() {
        #expect([RecordingState.recording, .paused, .ready, .failed].map(\.indicator.rawValue) == ["On", "Paused", "Off", "Off"])
    }
}
