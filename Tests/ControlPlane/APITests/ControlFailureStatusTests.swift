import RecordingModel
import Testing
@testable import API

@Suite("Refused commands as HTTP statuses")
struct ControlFailureStatusTests {
    @Test("each kind of refusal has its status, and only the API chooses it")
    func statuses() {
        let kinds: [(ControlFailure.Kind, Int)] = [(.notFound, 404), (.conflict, 409), (.invalid, 400), (.failed, 500)]
        for (kind, status) in kinds {
            #expect(ControlFailure(kind: kind, reason: "x").httpStatus == status)
        }
    }
}
