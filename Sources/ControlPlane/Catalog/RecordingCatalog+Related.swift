import RecordingModel

extension RecordingCatalog {
    /// Recordings of the same call as `record` (same tenant, and the same call key, metadata group,
    /// SIPREC Call-ID, original Call-ID or UCID), itself excluded, oldest first, at most 50.
    public func related(to record: RecordingRecord) throws(CatalogError) -> [RecordingRecord] {
        let condition = "domain = ? COLLATE NOCASE AND recording_id != ? AND (siprec_call_id = ?"
            + " OR (call_key IS NOT NULL AND call_key = ?) OR (group_id IS NOT NULL AND group_id = ?)"
            + " OR (original_call_id IS NOT NULL AND original_call_id = ?) OR (ucid IS NOT NULL AND ucid = ?))"
        let values = [SQLiteValue(record.domain), SQLiteValue(record.recordingId), SQLiteValue(record.sipRecCallId),
                      SQLiteValue(record.callKey ?? "\u{0}"), SQLiteValue(record.groupId ?? "\u{0}"),
                      SQLiteValue(record.originalCallId ?? "\u{0}"), SQLiteValue(record.ucid ?? "\u{0}")]
        let rows = try connection.withLock { (database: inout SQLiteDatabase) throws(CatalogError) -> [RecordingRecord] in
            try CatalogRows.load(where: condition, values, in: database)
        }
        return Array(rows.sorted { $0.startTime < $1.startTime }.prefix(50))
    }
}
