import RecordingModel
import Testing
@testable import Catalog
import TestSupport

@Suite("Recording catalog")
struct RecordingCatalogTests {
    @Test("A saved recording reads back with every field, keeping nil apart from empty")
    func roundTrip() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let catalog = try RecordingCatalog(path: directory.catalogPath)
        let full = fullRecord()
        try catalog.save(full)
        #expect(try catalog.recording(id: full.recordingId) == full)

        let sparse = RecordingRecord(
            recordingId: "6f1c2b3a-0000-4000-8000-000000000002", state: .pending, sipRecCallId: "", sessionId: "",
            groupId: nil, calledParty: "", domain: "", sourceAddress: "", startTime: 0, reason: "", warnings: [RecordingWarning(rawValue: "")],
            masterPath: "", mp3Path: nil, detailsJSON: "{}", updatedAt: 0)
        try catalog.save(sparse)
        let loaded = try #require(try catalog.recording(id: sparse.recordingId))
        #expect(loaded == sparse)
        #expect(loaded.sessionId == "" && loaded.groupId == nil && loaded.masterPath == "" && loaded.mp3Path == nil)
        #expect(try catalog.recording(id: "6f1c2b3a-0000-4000-8000-00000000dead") == nil)
    }

    @Test("Looking a recording up by an upper-case id finds it")
    func caseInsensitiveId() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let catalog = try RecordingCatalog(path: directory.catalogPath)
        try catalog.save(fullRecord())
        #expect(try catalog.recording(id: fullRecord().recordingId.uppercased())?.streams.count == 2)
    }

    @Test("Saving a recording again replaces its state, warnings, participants and streams")
    func upsertReplaces() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let catalog = try RecordingCatalog(path: directory.catalogPath)
        var record = fullRecord()
        try catalog.save(record)
        record.state = .failed
        record.reason = "disk full"
        record.warnings = []
        record.participants = [ParticipantRecord(participantId: "p9", aor: "sip:bob@example.com", role: "other")]
        record.streams = [StreamRecord(mLineIndex: 2, codec: "PCMU", ssrc: 7, channel: 0, role: "other", packets: 1)]
        try catalog.save(record)
        #expect(try catalog.recording(id: record.recordingId) == record)
        #expect(try catalog.count() == 1)
    }

    @Test("Listings are newest first, page with limit and offset, and filter by state")
    func listing() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let catalog = try RecordingCatalog(path: directory.catalogPath)
        for index in 0..<10 {
            var record = fullRecord(id: "00000000-0000-4000-8000-0000000000\(index)0", startTime: 1_000 + Int64(index) * 10)
            record.state = index % 2 == 0 ? .stored : .recording
            try catalog.save(record)
        }
        let all = try catalog.recordings()
        let expected: [Int64] = [1_090, 1_080, 1_070, 1_060, 1_050, 1_040, 1_030, 1_020, 1_010, 1_000]
        #expect(all.map(\.startTime) == expected)
        let page = try catalog.recordings(limit: 3, offset: 2)
        #expect(page.map(\.startTime) == [1_070, 1_060, 1_050])
        #expect(try catalog.recordings(limit: 3, offset: 9).count == 1)
        #expect(try catalog.recordings(limit: 0).isEmpty)
        #expect(try catalog.recordings(state: .recording).map(\.startTime) == [1_090, 1_070, 1_050, 1_030, 1_010])
        #expect(try catalog.recordings(inStates: [.recording, .stored]).count == 10)
        #expect(try catalog.recordings(inStates: [.paused]).isEmpty)
        #expect(try catalog.recordings(inStates: []).isEmpty)
        #expect(try catalog.count() == 10)
        #expect(try catalog.count(state: .stored) == 5)
    }

    @Test("The catalog survives a restart")
    func survivesReopen() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        do {
            let catalog = try RecordingCatalog(path: directory.catalogPath)
            try catalog.save(fullRecord())
        }
        let reopened = try RecordingCatalog(path: directory.catalogPath)
        #expect(try reopened.recording(id: fullRecord().recordingId) == fullRecord())
        #expect(try reopened.recordings(inStates: [.stored]).count == 1)
    }

    @Test("Saves from four threads at once all land without corrupting the catalog")
    func concurrentSaves() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let catalog = try RecordingCatalog(path: directory.catalogPath)
        let perThread = 50
        onThreads(4) { thread in
            for index in 0..<perThread {
                var record = fullRecord(id: "thread-\(thread)-\(index)", startTime: Int64(thread * 1_000 + index))
                record.warnings = [RecordingWarning(rawValue: "from thread \(thread)")]
                try? catalog.save(record)
                _ = try? catalog.recordings(limit: 5)
            }
        }
        #expect(try catalog.count() == 4 * perThread)
        let loaded = try catalog.recordings(limit: 1_000)
        #expect(loaded.allSatisfy { $0.streams.count == 2 && $0.participants.count == 2 && $0.warnings.count == 1 })
        #expect(try catalog.recording(id: "thread-3-49")?.warnings == [RecordingWarning(rawValue: "from thread 3")])
    }

    @Test("Odd strings (quotes, unicode, control characters) are stored exactly")
    func oddStrings() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let catalog = try RecordingCatalog(path: directory.catalogPath)
        let odd = "it's \"quoted\"; DROP TABLE recordings; -- \\ 😀 Åsa 中文 \u{1}\u{7}\t\r\n\u{7F} end"
        var record = fullRecord()
        record.calledParty = odd
        record.reason = odd
        record.warnings = [RecordingWarning(rawValue: odd), RecordingWarning(rawValue: "%_")]
        record.participants[0].name = odd
        record.streams[0].label = odd
        record.detailsJSON = #"{"note":"\u0000 stays escaped","q":"\""}"#
        try catalog.save(record)
        #expect(try catalog.recording(id: record.recordingId) == record)
        #expect(try catalog.count() == 1)
    }

    @Test("A catalog path in a missing or unusable directory gives a clear error")
    func badPath() {
        let missing = #expect(throws: CatalogError.self) { try RecordingCatalog(path: "/nonexistent-siprecd-dir/catalog.db") }
        #expect(missing?.code == .cannotOpen)
        #expect(missing?.message.contains("cannot open catalog at '/nonexistent-siprecd-dir/catalog.db'") == true)
        #expect(missing?.message.contains("unable to open database file") == true)
        let notDirectory = #expect(throws: CatalogError.self) { try RecordingCatalog(path: "/dev/null/catalog.db") }
        #expect(notDirectory?.code == .cannotOpen)
    }

    @Test("A catalog written by a newer siprecd is refused instead of being misread")
    func newerSchemaRefused() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        do {
            let database = try SQLiteDatabase(path: directory.catalogPath)
            try database.execute("PRAGMA user_version = 99")
        }
        let error = #expect(throws: CatalogError.self) { try RecordingCatalog(path: directory.catalogPath) }
        #expect(error?.code == .unsupportedSchemaVersion)
    }

    @Test("Opening an existing catalog leaves its schema version at the current one")
    func schemaVersion() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        _ = try RecordingCatalog(path: directory.catalogPath)
        _ = try RecordingCatalog(path: directory.catalogPath)
        let database = try SQLiteDatabase(path: directory.catalogPath)
        #expect(try database.userVersion() == CatalogSchema.currentVersion)
    }
}
