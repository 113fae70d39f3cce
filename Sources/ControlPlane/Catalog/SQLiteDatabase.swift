import CSQLite

/// One SQLite connection. Owns the `sqlite3*` handle and closes it exactly once, in `deinit`.
///
/// Not thread-safe by itself: it is opened with `SQLITE_OPEN_NOMUTEX` and callers must
/// serialise access (``RecordingCatalog`` keeps it inside a `Mutex`).
final class SQLiteDatabase {
    let handle: OpaquePointer
    let path: String

    /// Opens (creating if needed) the database file at `path`.
    init(path: String) throws(CatalogError) {
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let result = sqlite3_open_v2(path, &handle, flags, nil)
        guard result == SQLITE_OK, let handle else {
            let reason = handle.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(result))
            sqlite3_close_v2(handle)
            throw CatalogError(code: .cannotOpen,
                               message: "cannot open catalog at '\(path)': \(reason) (does the directory exist and is it writable?)",
                               sqliteResultCode: result)
        }
        sqlite3_extended_result_codes(handle, 1)
        self.handle = handle
        self.path = path
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    /// How long a statement waits for another connection's lock before failing with "database is locked".
    func setBusyTimeout(milliseconds: Int32) {
        sqlite3_busy_timeout(handle, milliseconds)
    }

    /// SQLite's message for the most recent failure on this connection.
    var lastErrorMessage: String { String(cString: sqlite3_errmsg(handle)) }

    /// An error for a failed call, combining what was being done with SQLite's explanation.
    func error(_ code: CatalogError.Code, _ doing: String, result: Int32) -> CatalogError {
        CatalogError(code: code, message: "\(doing) failed in '\(path)': \(lastErrorMessage)", sqliteResultCode: result)
    }

    /// Runs one or more SQL statements that return no rows the caller needs.
    func execute(_ sql: String, code: CatalogError.Code = .queryFailed) throws(CatalogError) {
        let result = sqlite3_exec(handle, sql, nil, nil, nil)
        guard result == SQLITE_OK else { throw error(code, "'\(sql.prefix(60))'", result: result) }
    }

    /// Compiles one SQL statement.
    func prepare(_ sql: String) throws(CatalogError) -> SQLiteStatement {
        var statement: OpaquePointer?
        let result = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
        guard result == SQLITE_OK, let statement else {
            throw error(.queryFailed, "preparing '\(sql.prefix(60))'", result: result)
        }
        return SQLiteStatement(statement, database: self)
    }

    /// Runs `body` inside `BEGIN IMMEDIATE ... COMMIT`, rolling back when it throws.
    func transaction<T>(_ body: () throws(CatalogError) -> T) throws(CatalogError) -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            sqlite3_exec(handle, "ROLLBACK", nil, nil, nil)
            throw error
        }
    }

    /// `PRAGMA user_version`: the schema version stored in the file.
    func userVersion() throws(CatalogError) -> Int {
        let statement = try prepare("PRAGMA user_version")
        guard try statement.step() else { return 0 }
        return Int(statement.int64(0) ?? 0)
    }
}
