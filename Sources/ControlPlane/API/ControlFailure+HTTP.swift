import RecordingModel

extension ControlFailure {
    /// The HTTP status the API answers a refused command with (the one place it is chosen).
    public var httpStatus: Int {
        switch kind {
        case .notFound: return 404
        case .conflict: return 409
        case .invalid: return 400
        case .failed: return 500
        }
    }
}
