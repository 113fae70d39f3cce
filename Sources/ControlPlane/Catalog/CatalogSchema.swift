/// The catalog's schema as a list of forward migrations. `PRAGMA user_version` records how many
/// have been applied; opening a file applies the missing ones, each in its own transaction.
/// Never edit a shipped migration: append a new one.
enum CatalogSchema {
    /// Migration `n` takes the schema from version `n` to `n + 1`.
    static let migrations: [String] = [
        """
        CREATE TABLE recordings (
            recording_id   TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
            state          TEXT NOT NULL,
            siprec_call_id TEXT NOT NULL,
            session_id     TEXT,
            group_id       TEXT,
            called_party   TEXT NOT NULL,
            domain         TEXT NOT NULL,
            source_address TEXT NOT NULL,
            start_time     INTEGER NOT NULL,
            end_time       INTEGER,
            reason         TEXT,
            master_path    TEXT,
            mp3_path       TEXT,
            details_json   TEXT NOT NULL DEFAULT '{}',
            updated_at     INTEGER NOT NULL
        );
        CREATE INDEX recordings_by_state ON recordings(state, start_time);
        CREATE INDEX recordings_by_start_time ON recordings(start_time);
        CREATE TABLE recording_warnings (
            recording_id TEXT NOT NULL COLLATE NOCASE REFERENCES recordings(recording_id) ON DELETE CASCADE,
            position     INTEGER NOT NULL,
            message      TEXT NOT NULL,
            PRIMARY KEY (recording_id, position)
        );
        CREATE TABLE participants (
            recording_id   TEXT NOT NULL COLLATE NOCASE REFERENCES recordings(recording_id) ON DELETE CASCADE,
            position       INTEGER NOT NULL,
            participant_id TEXT NOT NULL,
            aor            TEXT NOT NULL,
            name           TEXT,
            role           TEXT NOT NULL,
            PRIMARY KEY (recording_id, position)
        );
        CREATE TABLE streams (
            recording_id TEXT NOT NULL COLLATE NOCASE REFERENCES recordings(recording_id) ON DELETE CASCADE,
            position     INTEGER NOT NULL,
            label        TEXT,
            m_line_index INTEGER NOT NULL,
            codec        TEXT,
            ssrc         INTEGER,
            start_time   INTEGER,
            start_sample INTEGER,
            channel      INTEGER NOT NULL,
            role         TEXT NOT NULL,
            packets      INTEGER NOT NULL,
            lost         INTEGER NOT NULL,
            late         INTEGER NOT NULL,
            duplicates   INTEGER NOT NULL,
            PRIMARY KEY (recording_id, position)
        );
        """,
        // 2: the call key and role a recording rule gave the session (reference 000).
        """
        ALTER TABLE recordings ADD COLUMN call_key TEXT;
        ALTER TABLE recordings ADD COLUMN role TEXT;
        CREATE INDEX recordings_by_call_key ON recordings(call_key);
        """,
        // 3: the event outbox: events are written with the recording's state change and delivered later,
        // at least once, surviving receiver outages and restarts.
        """
        CREATE TABLE outbox (
            event_id        TEXT NOT NULL PRIMARY KEY,
            url             TEXT NOT NULL,
            body            TEXT NOT NULL,
            created_at      INTEGER NOT NULL,
            attempts        INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER NOT NULL,
            delivered_at    INTEGER,
            last_error      TEXT
        );
        CREATE INDEX outbox_due ON outbox(delivered_at, next_attempt_at);
        """,
        // 4: the recorded call's own identity from the metadata (original Call-ID, Avaya UCID), to find
        // a recording by the call it belonged to and to relate the recordings of one call.
        """
        ALTER TABLE recordings ADD COLUMN original_call_id TEXT;
        ALTER TABLE recordings ADD COLUMN ucid TEXT;
        CREATE INDEX recordings_by_original_call_id ON recordings(original_call_id);
        CREATE INDEX recordings_by_ucid ON recordings(ucid);
        """,
        // 5: the master's rate (8000 before wideband codecs: every older recording is narrowband).
        """
        ALTER TABLE recordings ADD COLUMN sample_rate INTEGER NOT NULL DEFAULT 8000;
        """,
    ]

    /// The version a fully migrated file has.
    static var currentVersion: Int { migrations.count }

    /// Sets connection options and brings the schema up to date.
    static func prepare(_ database: SQLiteDatabase) throws(CatalogError) {
        database.setBusyTimeout(milliseconds: 5_000)
        try database.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;", code: .schemaFailed)
        let version = try database.userVersion()
        guard version <= currentVersion else {
            throw CatalogError(code: .unsupportedSchemaVersion,
                               message: "catalog '\(database.path)' has schema version \(version), newer than the \(currentVersion) this siprecd understands; upgrade siprecd")
        }
        for step in version..<currentVersion {
            try database.transaction { () throws(CatalogError) in
                // Re-read inside the write lock: another process may have migrated meanwhile.
                guard try database.userVersion() == step else { return }
                try database.execute(migrations[step], code: .schemaFailed)
                try database.execute("PRAGMA user_version = \(step + 1)", code: .schemaFailed)
            }
        }
    }
}
