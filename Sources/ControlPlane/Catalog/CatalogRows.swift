import RecordingModel

/// SQL for moving `RecordingRecord`s in and out of the catalog tables. Callers hold the
/// connection lock; `save` must run inside a transaction.
enum CatalogRows {
    /// A stored state; a value no siprecd writes (a hand-edited row) reads as `failed`, so it is still listed
    /// and can be deleted, never taken for a live recording.
    static func state(_ text: String?) -> RecordingState {
        text.flatMap(RecordingState.init(rawValue:)) ?? .failed
    }

    private static let recordingColumns = """
        recording_id, state, siprec_call_id, session_id, group_id, called_party, domain, source_address,
        start_time, end_time, reason, master_path, mp3_path, details_json, updated_at, call_key, role,
        original_call_id, ucid, sample_rate
        """

    static func save(_ record: RecordingRecord, in database: SQLiteDatabase) throws(CatalogError) {
        let upsert = try database.prepare("""
            INSERT INTO recordings (\(recordingColumns))
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (recording_id) DO UPDATE SET
                state = excluded.state, siprec_call_id = excluded.siprec_call_id, session_id = excluded.session_id,
                group_id = excluded.group_id, called_party = excluded.called_party, domain = excluded.domain,
                source_address = excluded.source_address, start_time = excluded.start_time, end_time = excluded.end_time,
                reason = excluded.reason, master_path = excluded.master_path, mp3_path = excluded.mp3_path,
                details_json = excluded.details_json, updated_at = excluded.updated_at,
                call_key = excluded.call_key, role = excluded.role,
                original_call_id = excluded.original_call_id, ucid = excluded.ucid, sample_rate = excluded.sample_rate
            """)
        try upsert.run([
            SQLiteValue(record.recordingId), SQLiteValue(record.state.rawValue), SQLiteValue(record.sipRecCallId),
            SQLiteValue(record.sessionId), SQLiteValue(record.groupId), SQLiteValue(record.calledParty),
            SQLiteValue(record.domain), SQLiteValue(record.sourceAddress), SQLiteValue(record.startTime),
            SQLiteValue(record.endTime), SQLiteValue(record.reason), SQLiteValue(record.masterPath),
            SQLiteValue(record.mp3Path), SQLiteValue(record.detailsJSON), SQLiteValue(record.updatedAt),
            SQLiteValue(record.callKey), SQLiteValue(record.role), SQLiteValue(record.originalCallId), SQLiteValue(record.ucid),
            SQLiteValue(record.sampleRate),
        ])
        let id = SQLiteValue(record.recordingId)
        for table in ["recording_warnings", "participants", "streams"] {
            try database.prepare("DELETE FROM \(table) WHERE recording_id = ?").run([id])
        }
        let warning = try database.prepare("INSERT INTO recording_warnings (recording_id, position, message) VALUES (?, ?, ?)")
        for (position, message) in record.warnings.enumerated() {
            try warning.run([id, SQLiteValue(position), SQLiteValue(message.rawValue)])
        }
        let participant = try database.prepare("""
            INSERT INTO participants (recording_id, position, participant_id, aor, name, role) VALUES (?, ?, ?, ?, ?, ?)
            """)
        for (position, entry) in record.participants.enumerated() {
            try participant.run([id, SQLiteValue(position), SQLiteValue(entry.participantId), SQLiteValue(entry.aor),
                                 SQLiteValue(entry.name), SQLiteValue(entry.role)])
        }
        let stream = try database.prepare("""
            INSERT INTO streams (recording_id, position, label, m_line_index, codec, ssrc, start_time, start_sample,
                                 channel, role, packets, lost, late, duplicates)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for (position, entry) in record.streams.enumerated() {
            try stream.run([
                id, SQLiteValue(position), SQLiteValue(entry.label), SQLiteValue(entry.mLineIndex), SQLiteValue(entry.codec),
                SQLiteValue(entry.ssrc.map { Int64($0) }), SQLiteValue(entry.startTime), SQLiteValue(entry.startSample),
                SQLiteValue(entry.channel), SQLiteValue(entry.role), SQLiteValue(entry.packets), SQLiteValue(entry.lost),
                SQLiteValue(entry.late), SQLiteValue(entry.duplicates),
            ])
        }
    }

    /// Recordings matching `condition` (an SQL expression over `recordings` with `?` parameters),
    /// newest first, with their warnings, participants and streams. `paged` appends `LIMIT ? OFFSET ?`
    /// bound to `page`.
    static func load(
        where condition: String, _ values: [SQLiteValue], paged: Bool = false, _ page: [SQLiteValue] = [],
        in database: SQLiteDatabase
    ) throws(CatalogError) -> [RecordingRecord] {
        let query = try database.prepare("""
            SELECT \(recordingColumns) FROM recordings WHERE \(condition)
            ORDER BY start_time DESC, recording_id DESC\(paged ? " LIMIT ? OFFSET ?" : "")
            """)
        var records = try query.rows(values + page) { row in
            RecordingRecord(
                recordingId: row.text(0) ?? "", state: CatalogRows.state(row.text(1)), sipRecCallId: row.text(2) ?? "",
                sessionId: row.text(3), groupId: row.text(4), calledParty: row.text(5) ?? "", domain: row.text(6) ?? "",
                sourceAddress: row.text(7) ?? "", startTime: row.int64(8) ?? 0, endTime: row.int64(9), reason: row.text(10),
                masterPath: row.text(11), mp3Path: row.text(12), detailsJSON: row.text(13) ?? "{}", updatedAt: row.int64(14) ?? 0,
                callKey: row.text(15), role: row.text(16), originalCallId: row.text(17), ucid: row.text(18),
                sampleRate: Int(row.int64(19) ?? 8_000))
        }
        let warnings = try database.prepare("SELECT message FROM recording_warnings WHERE recording_id = ? ORDER BY position")
        let participants = try database.prepare("""
            SELECT participant_id, aor, name, role FROM participants WHERE recording_id = ? ORDER BY position
            """)
        let streams = try database.prepare("""
            SELECT label, m_line_index, codec, ssrc, start_time, start_sample, channel, role, packets, lost, late, duplicates
            FROM streams WHERE recording_id = ? ORDER BY position
            """)
        for index in records.indices {
            let id = [SQLiteValue(records[index].recordingId)]
            records[index].warnings = try warnings.rows(id) { RecordingWarning(rawValue: $0.text(0) ?? "") }
            records[index].participants = try participants.rows(id) { row in
                ParticipantRecord(participantId: row.text(0) ?? "", aor: row.text(1) ?? "", name: row.text(2), role: row.text(3) ?? "")
            }
            records[index].streams = try streams.rows(id) { row in
                StreamRecord(
                    label: row.text(0), mLineIndex: Int(row.int64(1) ?? 0), codec: row.text(2),
                    ssrc: row.int64(3).flatMap { UInt32(exactly: $0) }, startTime: row.int64(4), startSample: row.int64(5),
                    channel: Int(row.int64(6) ?? 0), role: row.text(7) ?? "", packets: row.int64(8) ?? 0,
                    lost: row.int64(9) ?? 0, late: row.int64(10) ?? 0, duplicates: row.int64(11) ?? 0)
            }
        }
        return records
    }
}
