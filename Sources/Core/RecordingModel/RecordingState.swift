/// Where a recording is in its life (PRODUCT.md's state model). The raw values are what the API, the
/// events, the catalog and `siprecd recordings --state` show.
public enum RecordingState: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Its row exists; the SRC has not been answered yet.
    case pending
    /// Audio is being written.
    case recording
    /// Audio is being written as silence (paused by the SRC, a REST command or a hold).
    case paused
    /// The files are complete and in the temporary store.
    case ready
    /// STORERECORDING copied it to a bucket; still in the temporary store.
    case stored
    /// DELETERECORDING removed its files.
    case deleted
    /// Ended before any audio was kept (the session ended first, or shutdown).
    case cancelled
    /// Writing failed (disk, encoder); what was written stays readable.
    case failed
    /// The temporary store's retention ran out and the sweep removed its files.
    case expired

    public var description: String { rawValue }

    /// Audio is still being written (recording or paused).
    public var isLive: Bool { self == .recording || self == .paused }

    /// nil when `text` names a state, else the error a user sees (the valid list included).
    public static func problem(with text: String) -> String? {
        RecordingState(rawValue: text) != nil
            ? nil : "unknown state '\(text)': one of \(allCases.map(\.rawValue).joined(separator: ", "))"
    }
}

/// What a client's recording light shows (reference 002): On while recording, Paused, Off otherwise.
public enum RecordingIndicator: String, Sendable, CaseIterable {
    case on = "On"
    case paused = "Paused"
    case off = "Off"
}

extension RecordingState {
    public var indicator: RecordingIndicator {
        switch self {
        case .recording: return .on
        case .paused: return .paused
        default: return .off
        }
    }
}
