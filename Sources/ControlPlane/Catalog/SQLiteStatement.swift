import CSQLite

/// A value bound to a statement parameter.
enum SQLiteValue {
    case null
    case integer(Int64)
    case text(String)

    init(_ value: String?) { self = value.map(SQLiteValue.text) ?? .null }
    init(_ value: Int64?) { self = value.map(SQLiteValue.integer) ?? .null }
    init(_ value: Int?) { self = value.map { .integer(Int64($0)) } ?? .null }
}

/// A compiled statement; finalized in `deinit`. Keeps its database alive.
final class SQLiteStatement {
    private let handle: OpaquePointer
    private let database: SQLiteDatabase

    /// SQLite's "copy the bytes now" destructor (`SQLITE_TRANSIENT`), which Swift cannot import as a macro.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(_ handle: OpaquePointer, database: SQLiteDatabase) {
        self.handle = handle
        self.database = database
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// Resets the statement and binds `values` to parameters 1, 2, ...
    func bind(_ values: [SQLiteValue]) throws(CatalogError) {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let result: Int32 = switch value {
            case .null: sqlite3_bind_null(handle, index)
            case .integer(let number): sqlite3_bind_int64(handle, index, number)
            case .text(let text):
                text.withCString { sqlite3_bind_text(handle, index, $0, Int32(text.utf8.count), Self.transient) }
            }
            guard result == SQLITE_OK else { throw database.error(.queryFailed, "binding parameter \(index)", result: result) }
        }
    }

    /// Advances; true when a row is available, false when done.
    func step() throws(CatalogError) -> Bool {
        let result = sqlite3_step(handle)
        switch result {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let sql = sqlite3_sql(handle).map { String(cString: $0) } ?? "statement"
            throw database.error(.queryFailed, "'\(sql.prefix(60))'", result: result)
        }
    }

    /// Binds `values` and runs the statement to completion.
    func run(_ values: [SQLiteValue]) throws(CatalogError) {
        try bind(values)
        while try step() {}
    }

    /// Binds `values` and maps every result row.
    func rows<T>(_ values: [SQLiteValue], _ map: (SQLiteStatement) -> T) throws(CatalogError) -> [T] {
        try bind(values)
        var results: [T] = []
        while try step() { results.append(map(self)) }
        return results
    }

    /// The column as text, nil when NULL.
    func text(_ column: Int32) -> String? {
        guard sqlite3_column_type(handle, column) != SQLITE_NULL else { return nil }
        guard let bytes = sqlite3_column_text(handle, column) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    /// The column as an integer, nil when NULL.
    func int64(_ column: Int32) -> Int64? {
        sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : sqlite3_column_int64(handle, column)
    }
}
