import Testing
import Daemon
import Logging
import Synchronization

@Suite("Last errors for siprecd status")
struct RecentProblemsTests {
    @Test("Repeats fold into one entry with a count and move to the end; the ring is bounded")
    func foldsAndBounds() {
        let problems = RecentProblems(capacity: 3)
        problems.record(level: .error, message: "a", metadata: [], millis: 1)
        problems.record(level: .warning, message: "b", metadata: [], millis: 2)
        problems.record(level: .error, message: "a", metadata: [("call_id", "x")], millis: 3)
        #expect(problems.snapshot.map(\.message) == ["b", "a"])
        #expect(problems.snapshot.last?.count == 2 && problems.snapshot.last?.millis == 3)
        #expect(problems.snapshot.last?.metadata.first?.1 == "x")
        for (i, m) in ["c", "d", "e"].enumerated() { problems.record(level: .error, message: m, metadata: [], millis: Int64(10 + i)) }
        #expect(problems.snapshot.map(\.message) == ["c", "d", "e"])
    }

    @Test("A tenant sees only entries about its own calls; box-wide entries and other tenants' are withheld; no fold mixes tenants")
    func tenantScoped() {
        let problems = RecentProblems()
        problems.record(level: .warning, message: "session refused", metadata: [("call_id", "a1"), ("domain", "A.example")], millis: 1)
        problems.record(level: .warning, message: "session refused", metadata: [("call_id", "b1"), ("domain", "b.example")], millis: 2)
        problems.record(level: .warning, message: "session refused", metadata: [("call_id", "b2"), ("domain", "b.example")], millis: 3)
        problems.record(level: .error, message: "catalog checkpoint failed", metadata: [("error", "disk")], millis: 4)
        problems.record(level: .warning, message: "no domain", metadata: [("domain", "")], millis: 5)
        // The box's view holds every ring's entries by time; one message of two tenants stays two entries.
        #expect(problems.snapshot.map(\.message) == ["session refused", "session refused", "catalog checkpoint failed", "no domain"])
        #expect(problems.snapshot.map(\.domain) == ["a.example", "b.example", nil, nil])
        let a = problems.snapshot(domain: "a.EXAMPLE")
        #expect(a.count == 1 && a[0].count == 1 && a[0].metadata.first?.1 == "a1")
        let b = problems.snapshot(domain: "b.example")
        #expect(b.count == 1 && b[0].count == 2 && b[0].metadata.first?.1 == "b2")
        #expect(problems.snapshot(domain: "c.example").isEmpty)
        #expect(problems.snapshot(domain: nil).count == 4)
    }

    @Test("An SRC naming many hosts cannot push a tenant's or the box's problems out; tenants with rings are bounded")
    func floodOfHosts() {
        let problems = RecentProblems(capacity: 5, maxTenants: 8)
        problems.record(level: .error, message: "catalog checkpoint failed", metadata: [], millis: 1)
        problems.record(level: .warning, message: "no RTP", metadata: [("domain", "a.example")], millis: 2)
        for n in 0..<30 {
            problems.record(level: .warning, message: "session refused \(n)", metadata: [("domain", "h\(n).example")], millis: 10 + Int64(n))
        }
        #expect(problems.snapshot(domain: "a.example").isEmpty)   // the stalest tenant ring is forgotten at the bound …
        problems.record(level: .warning, message: "no RTP", metadata: [("domain", "a.example")], millis: 100)
        for n in 0..<10 { problems.record(level: .warning, message: "other \(n)", metadata: [("domain", "b.example")], millis: 200 + Int64(n)) }
        #expect(problems.snapshot(domain: "a.example").map(\.message) == ["no RTP"])   // … but another tenant's flood leaves it
        #expect(problems.snapshot(domain: "b.example").count == 5)
        #expect(problems.snapshot.count == 5)
    }

    @Test("The log handler keeps warnings and worse with their fields, and passes everything on")
    func handlerTaps() {
        let problems = RecentProblems()
        let passed = Passed()
        var handler = ProblemTrackingLogHandler(wrapping: CountingHandler(passed: passed), problems: problems)
        handler.logLevel = .trace
        handler[metadataKey: "component"] = "sip"
        let logger = Logger(label: "t", factory: { _ in handler })
        logger.info("fine")
        logger.warning("disk low", metadata: ["free": "10"])
        logger.error("write failed")
        #expect(problems.snapshot.map(\.message) == ["disk low", "write failed"])
        #expect(problems.snapshot.first.map { $0.metadata.map(\.0) } == ["component", "free"])
        #expect(passed.count.withLock { $0 } == 3)
    }
}

final class Passed: Sendable {
    let count = Mutex(0)
}

/// The wrapped handler: counts what reaches it.
struct CountingHandler: LogHandler {
    let passed: Passed
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(event: LogEvent) { passed.count.withLock { $0 += 1 } }
}
