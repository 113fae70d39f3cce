import MediaCore

/// What the data plane reports when a recording's files are closed.
public struct RecordingOutcome: Sendable {
    public struct Stream: Sendable {
        public var label: String?
        public var mLineIndex: Int
        public var role: StreamRole
        public var channel: Int
        public var statistics: StreamStatistics
        public var dtmf: [DTMFEvent]
        /// DTMF events beyond the log's capacity: counted, not kept.
        public var dtmfDropped: Int
        /// The SRTP suite, nil for plain RTP.
        public var srtpSuite: String? = nil
    }

    /// Frames (samples per channel) in the master: the recording's length on the timeline.
    public var frames: Int64
    public var streams: [Stream]
    /// Set when a file could not be written; what was written before stays on disk.
    public var writeError: String?
}
