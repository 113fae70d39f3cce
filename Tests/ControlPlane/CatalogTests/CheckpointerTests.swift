#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import Catalog
import TestSupport

@Suite("Catalog checkpoints off the write path")
struct CheckpointerTests {
    private func fileSize(_ path: String) -> Int {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : -1
    }

    @Test("Writes no longer checkpoint; the checkpointer moves the log into the file and the log restarts")
    func checkpointMovesTheLog() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let catalog = try RecordingCatalog(path: dir.catalogPath)
        let checkpointer = try CatalogCheckpointer(catalog)
        // 1,500 saves: more than the 1,000 pages at which SQLite would checkpoint inside a commit.
        for n in 0..<1_500 {
            try catalog.save(fullRecord(id: "6f1c2b3a-0000-4000-8000-\(String(100_000_000_000 + n))"))
        }
        let logBefore = fileSize(dir.catalogPath + "-wal")
        #expect(logBefore > 1_000 * 4_096, "the log grew past the automatic checkpoint point: none ran in a commit")
        let first = try checkpointer.checkpoint()
        #expect(first.logFrames > 1_000)
        #expect(first.checkpointedFrames == first.logFrames, "every frame copied: no reader held a snapshot")
        #expect(fileSize(dir.catalogPath) > 1_000_000, "the rows are in the database file")
        // The next write starts the log from its beginning: it stops growing.
        try catalog.save(fullRecord(id: "6f1c2b3a-0000-4000-8000-000000000abc"))
        #expect(try checkpointer.checkpoint().logFrames < 20)
        let logAfter = fileSize(dir.catalogPath + "-wal")
        #expect(logAfter > 0 && logAfter <= CatalogCheckpointer.logSizeLimit, "restarted and cut back, not extended")
        #expect(try catalog.count() == 1_501)
        // A fresh connection (another process, a restart) reads every row.
        #expect(try RecordingCatalog(path: dir.catalogPath).count() == 1_501)
    }
}
