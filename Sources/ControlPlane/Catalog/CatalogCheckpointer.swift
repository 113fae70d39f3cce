import CSQLite
import Synchronization

/// Copies the catalog's write-ahead log into the database file from its own connection, so that no
/// write waits for it. SQLite otherwise checkpoints inside the commit that crosses 1,000 WAL pages:
/// that commit (every few hundred calls, an INVITE's row among them) took 5–6 ms instead of 0.4 ms,
/// which was most of the INVITE→200 OK tail at 200 calls/s (BENCHMARKS.md §9).
///
/// `checkpoint()` runs one PASSIVE checkpoint (it never blocks writers or readers); the daemon calls
/// it once a second from a thread of its own. The caller serialises calls (one thread).
public final class CatalogCheckpointer: @unchecked Sendable {
    // @unchecked: the connection is used only by the one thread that calls `checkpoint()`.
    private let database: SQLiteDatabase
    /// The log file is cut back to this size when it restarts (a burst of calls can grow it further).
    public static let logSizeLimit = 4 << 20

    /// Opens a second connection to `catalog`'s file and turns the automatic checkpoint off on the
    /// catalog's own connection.
    public init(_ catalog: RecordingCatalog) throws(CatalogError) {
        let path = catalog.connection.withLock { $0.path }
        database = try SQLiteDatabase(path: path)
        database.setBusyTimeout(milliseconds: 1_000)
        // A connection learns that the file is in WAL mode when it first reads it; until then a
        // checkpoint is a no-op (log size -1).
        try database.execute("PRAGMA journal_mode = WAL; PRAGMA journal_size_limit = \(Self.logSizeLimit)")
        try catalog.connection.withLock { (main: inout SQLiteDatabase) throws(CatalogError) in
            try main.execute("PRAGMA wal_autocheckpoint = 0; PRAGMA journal_size_limit = \(Self.logSizeLimit)")
        }
    }

    /// What one checkpoint found and did, in WAL frames (pages).
    public struct Progress: Sendable, Equatable {
        public var logFrames: Int
        public var checkpointedFrames: Int
    }

    /// One PASSIVE checkpoint: copies what no reader still needs; the next write then restarts the log
    /// from its beginning, so the file stops growing.
    @discardableResult
    public func checkpoint() throws(CatalogError) -> Progress {
        var log: Int32 = 0, done: Int32 = 0
        let result = sqlite3_wal_checkpoint_v2(database.handle, nil, SQLITE_CHECKPOINT_PASSIVE, &log, &done)
        guard result == SQLITE_OK || result == SQLITE_BUSY else {
            throw database.error(.queryFailed, "checkpointing the catalog", result: result)
        }
        guard log >= 0 else {
            throw CatalogError(code: .queryFailed, message: "checkpointing '\(database.path)': the catalog is not in WAL mode")
        }
        return Progress(logFrames: Int(max(0, log)), checkpointedFrames: Int(max(0, done)))
    }
}
