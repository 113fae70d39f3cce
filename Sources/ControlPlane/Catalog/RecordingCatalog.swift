import RecordingModel
import Synchronization

/// The recording catalog: one SQLite file (WAL mode) holding every recording's state, metadata
/// and stream statistics. Survives restarts; the daemon reads unfinished recordings back at start-up.
///
/// Thread-safe. A single connection is kept inside a `Mutex` because one SQLite connection must
/// not run statements from two threads at once: a save is several statements in one transaction,
/// and interleaving another thread's statements would put them inside (or roll them back with)
/// that transaction. The connection is opened `SQLITE_OPEN_NOMUTEX`; the `Mutex` is the only lock.
/// Other processes (e.g. a CLI reading the catalog) are handled by WAL and a 5 s busy timeout.
public final class RecordingCatalog: Sendable {
    let connection: Mutex<SQLiteDatabase>

    /// Opens the catalog at `path`, creating the file and its schema when missing and applying any
    /// pending schema migrations. The directory must exist.
    public init(path: String) throws(CatalogError) {
        let database = try SQLiteDatabase(path: path)
        try CatalogSchema.prepare(database)
        connection = Mutex(database)
    }

    /// Inserts or replaces the recording with the same id, replacing its warnings, participants
    /// and streams, all in one transaction.
    public func save(_ record: RecordingRecord) throws(CatalogError) {
        try connection.withLock { (database: inout SQLiteDatabase) throws(CatalogError) in
            try database.transaction { () throws(CatalogError) in try CatalogRows.save(record, in: database) }
        }
    }

    /// The recording with `id` (case-insensitive), or nil.
    public func recording(id: String) throws(CatalogError) -> RecordingRecord? {
        try connection.withLock { (database: inout SQLiteDatabase) throws(CatalogError) -> RecordingRecord? in
            try CatalogRows.load(where: "recording_id = ?", [SQLiteValue(id)], in: database).first
        }
    }

    /// A page of recordings, newest first, filtered as `filter` says.
    public func recordings(limit: Int = 100, offset: Int = 0, filter: RecordingFilter, domain: String? = nil) throws(CatalogError) -> [RecordingRecord] {
        try recordings(limit: limit, offset: offset, state: filter.state, callKey: filter.callKey,
                       originalCallId: filter.originalCallId, ucid: filter.ucid, domain: domain)
    }

    /// A page of recordings, newest first, optionally only those in `state`, with `callKey`, of the
    /// recorded call `originalCallId` (or `ucid`), or of one tenant (`domain`, compared ignoring case).
    public func recordings(limit: Int = 100, offset: Int = 0, state: RecordingState? = nil, callKey: String? = nil,
                           originalCallId: String? = nil, ucid: String? = nil,
                           domain: String? = nil) throws(CatalogError) -> [RecordingRecord] {
        let page = [SQLiteValue(max(0, limit)), SQLiteValue(max(0, offset))]
        var conditions = ["1"]
        var values: [SQLiteValue] = []
        if let state { conditions.append("state = ?"); values.append(SQLiteValue(state.rawValue)) }
        if let callKey { conditions.append("call_key = ?"); values.append(SQLiteValue(callKey)) }
        if let originalCallId { conditions.append("original_call_id = ?"); values.append(SQLiteValue(originalCallId)) }
        if let ucid { conditions.append("ucid = ?"); values.append(SQLiteValue(ucid)) }
        if let domain { conditions.append("domain = ? COLLATE NOCASE"); values.append(SQLiteValue(domain)) }
        return try connection.withLock { (database: inout SQLiteDatabase) throws(CatalogError) -> [RecordingRecord] in
            try CatalogRows.load(where: conditions.joined(separator: " AND "), values, paged: true, page, in: database)
        }
    }

    /// Recordings in one of `states` that ended at or before `endedBefore` (Unix ms), oldest end first,
    /// at most `limit` (the temporary store's expiry sweep).
    public func recordings(inStates states: [RecordingState], endedBefore: Int64, limit: Int) throws(CatalogError) -> [RecordingRecord] {
        guard !states.isEmpty else { return [] }
        let placeholders = Array(repeating: "?", count: states.count).joined(separator: ", ")
        let records = try connection.withLock { (database: inout SQLiteDatabase) throws(CatalogError) -> [RecordingRecord] in
            try CatalogRows.load(where: "state IN (\(placeholders)) AND end_time IS NOT NULL AND end_time <= ?",
                                 states.map { SQLiteValue($0.rawValue) } + [SQLiteValue(endedBefore)], in: database)
        }
        return Array(records.sorted { ($0.endTime ?? 0) < ($1.endTime ?? 0) }.prefix(limit))
    }

    /// Every recording whose state is one of `inStates`, newest first (for recovery at start-up).
    public func recordings(inStates states: [RecordingState]) throws(CatalogError) -> [RecordingRecord] {
        guard !states.isEmpty else { return [] }
        let placeholders = Array(repeating: "?", count: states.count).joined(separator: ", ")
        return try connection.withLock { (database: inout SQLiteDatabase) throws(CatalogError) -> [RecordingRecord] in
            try CatalogRows.load(where: "state IN (\(placeholders))", states.map { SQLiteValue($0.rawValue) }, in: database)
        }
    }

    /// How many recordings the catalog holds, optionally only those in `state`.
    public func count(state: RecordingState? = nil) throws(CatalogError) -> Int {
        try connection.withLock { (database: inout SQLiteDatabase) throws(CatalogError) -> Int in
            let statement = try database.prepare(state == nil ? "SELECT COUNT(*) FROM recordings" : "SELECT COUNT(*) FROM recordings WHERE state = ?")
            return try statement.rows(state.map { [SQLiteValue($0.rawValue)] } ?? []) { Int($0.int64(0) ?? 0) }.first ?? 0
        }
    }
}
