/// A direction of the recorded call (reference 004): `inbound` is the caller side, `outbound` the
/// callee side.
public enum Direction: String, Sendable, CaseIterable {
    case inbound, outbound
}

/// How one direction is recorded (reference 004).
public enum DirectionMode: String, Sendable {
    /// Recorded.
    case active
    /// Muted: its channel carries silence, the timeline runs on.
    case inactive
    /// No longer recorded; cannot come back within this recording.
    case none
}

/// What a direction request asks for one direction: a mode, or `nochange` (also when omitted).
public enum DirectionRequest: Equatable, Sendable {
    case set(DirectionMode)
    case noChange

    public init?(parsing text: String?) {
        guard let text else { self = .noChange; return }
        if text == "nochange" { self = .noChange; return }
        guard let mode = DirectionMode(rawValue: text) else { return nil }
        self = .set(mode)
    }
}

/// Runtime control of one recording: the API pause and the two directions. A pure value: `apply`
/// checks a request against the current state and returns the new state or why it is impossible.
public struct RecordingControlState: Equatable, Sendable {
    public var paused = false
    public var inbound: DirectionMode = .active
    public var outbound: DirectionMode = .active

    public func mode(_ direction: Direction) -> DirectionMode {
        direction == .inbound ? inbound : outbound
    }

    /// The state after a direction request, or the reason it cannot be reached.
    public func applying(inbound newInbound: DirectionRequest, outbound newOutbound: DirectionRequest) -> Result<RecordingControlState, ControlFailure> {
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
    public init() {}

    public var ends: Bool { inbound == .none && outbound == .none }
}
