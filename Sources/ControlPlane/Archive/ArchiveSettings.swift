import Config

/// What the temporary store and the buckets need from the configuration (`[storage]`, `[buckets.NAME]`,
/// `[keys]`, the MP3 encoder's settings). Replaced as a whole on reload.
public struct ArchiveSettings: Sendable {
    /// The data directory: the temporary store's files are relative to it.
    public var dataDir: String
    /// `[storage] tempRetention`: how long a finished recording stays in the temporary store.
    public var tempRetention: Duration = .seconds(48 * 3_600)
    /// `[storage] minFree`: below this many free bytes new sessions are refused.
    public var minFree: Int64 = 512_000_000
    /// `[buckets.NAME]`: STORERECORDING and MERGERECORDINGS destinations.
    public var buckets: [String: BucketSettings] = [:]
    /// `[keys]` and `[storage] inlineKeys`: the encryption keys of stored files.
    public var keys: [String: [UInt8]] = [:]
    public var inlineKeys = false
    /// `[media] mp3Bitrate` and `mp3Quality`: stored and merged MP3s are encoded as the recordings are.
    public var mp3Bitrate = 32
    public var mp3Quality = 5

    public init(dataDir: String) {
        self.dataDir = dataDir
    }
}
