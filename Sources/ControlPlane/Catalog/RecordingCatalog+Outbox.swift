import RecordingModel

extension OutboxEvent {
    /// `scheme://host:port` of a URL: events to one receiver are delivered in order.
    static func receiver(of url: String) -> Substring {
        guard let scheme = url.firstRange(of: "://") else { return url[...] }
        let rest = url[scheme.upperBound...]
        return url[..<(rest.firstIndex(of: "/") ?? url.endIndex)]
    }
}

extension RecordingCatalog {
    /// Saves a recording and queues its event in one transaction: the event exists exactly when the
    /// state change it reports does.
    public func save(_ record: RecordingRecord, queueing events: [OutboxEvent]) throws(CatalogError) {
        try write(record, events)
    }

    /// Changes the stored recording in place and queues the events `change` returns, in one transaction:
    /// a job that ran for a while (a STORE into a slow bucket) changes the recording as it is now, not as
    /// it read it, so concurrent jobs cannot undo each other. Returns those events (nil: no recording).
    public func update(id: String, _ change: (inout RecordingRecord) -> [OutboxEvent]) throws(CatalogError) -> [OutboxEvent]? {
        try connection.withLock { (database: inout SQLiteDatabase) throws(CatalogError) -> [OutboxEvent]? in
            try database.transaction { () throws(CatalogError) -> [OutboxEvent]? in
                guard var record = try CatalogRows.load(where: "recording_id = ?", [SQLiteValue(id)], in: database).first else {
                    return nil
                }
                let events = change(&record)
                try CatalogRows.save(record, in: database)
                try RecordingCatalog.insert(events, in: database)
                return events
            }
        }
    }

    /// Queues events that belong to no recording's state change (alarms about requests).
    public func enqueue(_ events: [OutboxEvent]) throws(CatalogError) {
        try write(nil, events)
    }

    private func write(_ record: RecordingRecord?, _ events: [OutboxEvent]) throws(CatalogError) {
        try connection.withLock { (database: inout SQLiteDatabase) throws(CatalogError) in
            try database.transaction { () throws(CatalogError) in
                if let record { try CatalogRows.save(record, in: database) }
                try RecordingCatalog.insert(events, in: database)
            }
        }
    }

    /// Adds events to the outbox (an event id already there is kept as it is).
    private static func insert(_ events: [OutboxEvent], in database: SQLiteDatabase) throws(CatalogError) {
        let insert = try database.prepare("""
            INSERT OR IGNORE INTO outbox (event_id, url, body, created_at, attempts, next_attempt_at)
            VALUES (?, ?, ?, ?, 0, ?)
            """)
        for event in events {
            try insert.run([SQLiteValue(event.eventId), SQLiteValue(event.url), SQLiteValue(event.body),
                            SQLiteValue(event.createdAt), SQLiteValue(event.nextAttemptAt)])
        }
    }

    /// The events to attempt now: for each receiver (a URL's scheme, host and port), the oldest event not
    /// yet delivered to it, in the order they were queued, when its retry is due at `now` — or was
    /// scheduled after `scheduledAfter`: no retry is scheduled that far ahead, so that one was scheduled
    /// before the wall clock was stepped back and is due now. Events queue behind their receiver's
    /// oldest one, so a receiver that was down gets every recording's events in order (RECORDINGSTARTED
    /// before RECORDINGREADY) however long the outage.
    public func dueEvents(now: Int64, scheduledAfter: Int64 = .max, limit: Int = 32) throws(CatalogError) -> [OutboxEvent] {
        let waiting = try connection.withLock { (database: inout SQLiteDatabase) throws(CatalogError) -> [OutboxEvent] in
            let query = try database.prepare("""
                SELECT event_id, url, body, created_at, attempts, next_attempt_at, delivered_at, last_error FROM outbox
                WHERE delivered_at IS NULL ORDER BY rowid LIMIT 4096
                """)
            return try query.rows([]) { row in
                var event = OutboxEvent(eventId: row.text(0) ?? "", url: row.text(1) ?? "", body: row.text(2) ?? "",
                                        createdAt: row.int64(3) ?? 0)
                event.attempts = Int(row.int64(4) ?? 0)
                event.nextAttemptAt = row.int64(5) ?? 0
                event.deliveredAt = row.int64(6)
                event.lastError = row.text(7)
                return event
            }
        }
        var seen: Set<Substring> = []
        var due: [OutboxEvent] = []
        for event in waiting where seen.insert(OutboxEvent.receiver(of: event.url)).inserted {
            if event.nextAttemptAt <= now || event.nextAttemptAt > scheduledAfter { due.append(event) }
            if due.count == limit { break }
        }
        return due
    }

    /// Marks an event delivered.
    public func markDelivered(eventId: String, at millis: Int64) throws(CatalogError) {
        try connection.withLock { (database: inout SQLiteDatabase) throws(CatalogError) in
            try database.prepare("UPDATE outbox SET delivered_at = ?, attempts = attempts + 1 WHERE event_id = ?")
                .run([SQLiteValue(millis), SQLiteValue(eventId)])
        }
    }

    /// Records a failed attempt and when to try again.
    public func markFailed(eventId: String, nextAttemptAt: Int64, error: String) throws(CatalogError) {
        try connection.withLock { (database: inout SQLiteDatabase) throws(CatalogError) in
            try database.prepare("UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE event_id = ?")
                .run([SQLiteValue(nextAttemptAt), SQLiteValue(error), SQLiteValue(eventId)])
        }
    }

    /// Events not delivered yet.
    public func pendingEventCount() throws(CatalogError) -> Int {
        try connection.withLock { (database: inout SQLiteDatabase) throws(CatalogError) -> Int in
            try database.prepare("SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL").rows([]) { Int($0.int64(0) ?? 0) }.first ?? 0
        }
    }
}
