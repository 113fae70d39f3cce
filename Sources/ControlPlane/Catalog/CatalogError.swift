/// The one error this module throws: the recording catalog could not be opened, migrated, read or written.
///
/// `message` says what was being done and includes SQLite's own explanation (`sqlite3_errmsg`),
/// e.g. "cannot open catalog at '/missing/catalog.db': unable to open database file (does the
/// directory exist and is it writable?)". `code` lets callers branch without string matching.
public struct CatalogError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What class of problem was found.
    public enum Code: String, Sendable, Equatable {
        /// The database file could not be opened or created.
        case cannotOpen
        /// Creating or migrating the schema failed.
        case schemaFailed
        /// The file was written by a newer siprecd whose schema this version does not know.
        case unsupportedSchemaVersion
        /// A query or update failed (disk full, database locked for too long, corruption, ...).
        case queryFailed
    }

    /// What class of problem was found.
    public var code: Code
    /// Human-readable explanation including SQLite's message when there is one.
    public var message: String
    /// SQLite's (extended) result code, when the error came from SQLite.
    public var sqliteResultCode: Int32?

    /// Creates an error.
    public init(code: Code, message: String, sqliteResultCode: Int32? = nil) {
        self.code = code
        self.message = message
        self.sqliteResultCode = sqliteResultCode
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
