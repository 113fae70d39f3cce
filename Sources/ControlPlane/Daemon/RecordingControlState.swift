/// A direction of the recorded call (reference 004): `inbound` is the caller side, `outbound` the
/// callee side.
enum Direction: String, Sendable, CaseIterable {
    case inbound, outbound
}

/// How one direction is recorded (reference 004).
enum DirectionMode: String, Sendable {
    /// Recorded.
    case active
    /// Muted: its channel carries silence, the timeline runs on.
    case inactive
    /// No longer recorded; cannot come back within this recording.
    case none
}

/// What a direction request asks for one direction: a mode, or `nochange` (also when omitted).
enum DirectionRequest: Equatable, Sendable {
    case set(DirectionMode)
    case noChange

    init?(parsing text: String?) {
        guard let text else { self = .noChange; return }
        if text == "nochange" { self = .noChange; return }
        guard let mode = DirectionMode(rawValue: text) else { return nil }
        self = .set(mode)
    }
}

/// Runtime control of one recording: the API pause and the two directions. A pure value: `apply`
/// checks a request against the current state and returns the new state or why it is impossible.
struct RecordingControlState: Equatable, Sendable {
    var paused = false
    var inbound: DirectionMode = .active
    var outbound: DirectionMode = .active

    func mode(_ direction: Direction) -> DirectionMode {
        direction == .inbound ? inbound : outbound
    }

    /// The state after a direction request, or the reason it cannot be reached.
    func applying(inbound newInbound: DirectionRequest, outbound newOutbound: DirectionRequest) -> Result<RecordingControlState, ControlFailure> {
        var next = self
        for (direction, request) in [(Direction.inbound, newInbound), (.outbound, newOutbound)] {
            guard case .set(let wanted) = request else { continue }
            let now = mode(direction)
            if now == .none, wanted != .none {
                return .failure(ControlFailure(kind: .conflict, reason: "\(direction.rawValue) is no longer recorded (none); it cannot become \(wanted.rawValue) in this recording"))
            }
            if direction == .inbound { next.inbound = wanted } else { next.outbound = wanted }
        }
        return .success(next)
    }

    /// Both directions `none`: the recording ends.
    var ends: Bool { inbound == .none && outbound == .none }
}

/// Why a control request was refused, with the HTTP status it is answered with.
struct ControlFailure: Error, Equatable, Sendable {
    /// Why the request could not be done; the API turns it into an HTTP status.
    enum Kind: Sendable, Equatable {
        /// Nothing matches (no such call, recording or rule).
        case notFound
        /// The recording is not in a state that allows it.
        case conflict
        /// The request itself is wrong.
        case invalid
        /// siprecd could not do it (the catalog, the files).
        case failed
    }
    var kind: Kind
    var reason: String
}
