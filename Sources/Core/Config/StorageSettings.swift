/// The `[storage]` section: where recordings and the catalog live.
public struct StorageSettings: Sendable, Equatable {
    /// Directory for recordings, temporary files and the catalog. Default: `./var`.
    public var dataDir: String
    /// How long files of unfinished or failed recordings are kept. Default: 48 h.
    public var tempRetention: Duration
    /// Whether STORERECORDING's `encryptionKey` may carry a base64 256-bit key itself instead of a
    /// `[keys]` name. Default: false.
    public var inlineKeys = false
    /// New recordings are refused while the data directory's file system has less free space, in bytes.
    /// Default: 512 MB (512 000 000 bytes).
    public var minFree: Int64

    /// Creates storage settings; every argument defaults to the documented default.
    public init(dataDir: String = "./var", tempRetention: Duration = .seconds(48 * 3_600), minFree: Int64 = 512_000_000) {
        self.dataDir = dataDir
        self.tempRetention = tempRetention
        self.minFree = minFree
    }
}
