/// A non-fatal problem noticed while recording, kept with the recording (catalog, API, RECORDINGREADY's
/// `warning`). Its raw value is the word users see. An open set: a catalog written by a later version may
/// hold words this one does not name, and they are kept as they are.
public struct RecordingWarning: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    public var description: String { rawValue }

    // Why a recording ended early (RECORDINGREADY's `warning`).
    /// No RTP for `[media] rtpTimeout`.
    public static let rtpTimeout = RecordingWarning(rawValue: "rtpTimeout")
    /// siprecd was shut down while it recorded.
    public static let shutdown = RecordingWarning(rawValue: "shutdown")
    /// siprecd stopped without closing it (recovered at start-up).
    public static let interrupted = RecordingWarning(rawValue: "interrupted")
    /// The SRC did not answer an in-dialog probe or refresh, or said the dialog is gone.
    public static let srcGone = RecordingWarning(rawValue: "srcGone")
    /// The RFC 4028 session timer ran out without a refresh.
    public static let sessionExpired = RecordingWarning(rawValue: "sessionExpired")
    /// Every stream was held for `[sip] heldSessionTimeout`.
    public static let heldSessionTimeout = RecordingWarning(rawValue: "heldSessionTimeout")
    /// The ACK to siprecd's offer carried no usable answer.
    public static let noAnswerInAck = RecordingWarning(rawValue: "noAnswerInAck")

    /// The warnings that say why a recording ended early, the last of which RECORDINGREADY names.
    public static let ending: Set<RecordingWarning> = [.rtpTimeout, .shutdown, .interrupted, .srcGone, .sessionExpired,
                                                       .heldSessionTimeout, .noAnswerInAck]

    // How it ended otherwise.
    /// Stopped by a command (the session went on).
    public static let stopped = RecordingWarning(rawValue: "stopped")
    /// The SRC cancelled the INVITE.
    public static let cancelled = RecordingWarning(rawValue: "cancelled")
    /// The SRC never acknowledged siprecd's answer.
    public static let missingAck = RecordingWarning(rawValue: "missingAck")
    /// The master or MP3 could not be written completely.
    public static let writeFailed = RecordingWarning(rawValue: "writeFailed")

    // What the SRC sent.
    /// The session's rules gave no call key.
    public static let noCallKey = RecordingWarning(rawValue: "noCallKey")
    /// The recording metadata could not be read.
    public static let metadataInvalid = RecordingWarning(rawValue: "metadataInvalid")
    /// The recording metadata was read after repairing a vendor's slip.
    public static let metadataRepaired = RecordingWarning(rawValue: "metadataRepaired")
    /// The INVITE did not say it is SIPREC (no +sip.src, no siprec option tag, no metadata).
    public static let notSiprec = RecordingWarning(rawValue: "notSiprec")
    /// An SRTP stream whose keys siprecd cannot see (recorded as silence).
    public static let srtpKeysUnavailable = RecordingWarning(rawValue: "srtpKeysUnavailable")
    /// A codec offered in a re-INVITE that siprecd cannot decode.
    public static let unsupportedCodec = RecordingWarning(rawValue: "unsupportedCodec")
    /// RTP with a payload type the SDP did not list.
    public static let unsupportedPayload = RecordingWarning(rawValue: "unsupportedPayload")
    /// A re-INVITE added streams a recording in progress cannot take.
    public static let streamsAddedIgnored = RecordingWarning(rawValue: "streamsAddedIgnored")
}
