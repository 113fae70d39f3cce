import JSON
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The last warnings and errors siprecd logged, newest last, for `siprecd status` (GET /api/v1/status):
/// a field technician sees what went wrong without journal access. Bounded; repeats of the same message
/// within a ring are folded into one entry with a count. An entry about one tenant's call carries its
/// `domain` (the log call's `domain` field) and goes to that tenant's own ring: a tenant is shown only its
/// own entries, never box-wide ones.
public final class RecentProblems: Sendable {
    public struct Entry: Sendable, Equatable {
        public var millis: Int64
        public var level: Logger.Level
        public var message: String
        public var metadata: [(String, String)]
        public var count: Int
        /// The tenant the entry is about (lower case), nil for box-wide entries.
        public var domain: String?

        public static func == (a: Entry, b: Entry) -> Bool {
            a.millis == b.millis && a.level == b.level && a.message == b.message && a.count == b.count
                && a.domain == b.domain && a.metadata.elementsEqual(b.metadata) { $0 == $1 }
        }
    }

    /// The process's rings: the log handler feeds them, the API reads them.
    public static let process = RecentProblems()

    /// Entries per ring (box-wide, and each tenant's).
    public let capacity: Int
    /// Tenants with a ring of their own; beyond that the one updated least recently is forgotten.
    public let maxTenants: Int
    private let rings = Mutex<Rings>(Rings())

    struct Rings {
        var boxWide: [Entry] = []
        var tenants: [String: [Entry]] = [:]
    }

    public init(capacity: Int = 20, maxTenants: Int = 64) {
        self.capacity = capacity
        self.maxTenants = maxTenants
    }

    /// Keeps one entry; its tenant is the `domain` field (lower case), none without one. Each tenant has a
    /// ring of its own, so one tenant's problems (or an SRC naming many hosts) cannot push another's out.
    public func record(level: Logger.Level, message: String, metadata: [(String, String)], millis: Int64) {
        let domain = metadata.first { $0.0 == "domain" }.map { $0.1.lowercased() }.flatMap { $0.isEmpty ? nil : $0 }
        let entry = Entry(millis: millis, level: level, message: message, metadata: metadata, count: 1, domain: domain)
        rings.withLock { rings in
            guard let domain else {
                RecentProblems.keep(entry, in: &rings.boxWide, capacity: capacity)
                return
            }
            if rings.tenants[domain] == nil, rings.tenants.count >= maxTenants,
               let stalest = rings.tenants.min(by: { ($0.value.last?.millis ?? 0) < ($1.value.last?.millis ?? 0) })?.key {
                rings.tenants[stalest] = nil
            }
            RecentProblems.keep(entry, in: &rings.tenants[domain, default: []], capacity: capacity)
        }
    }

    /// A repeat of an entry in the ring is folded into it (count, newest time and fields) and moved last.
    private static func keep(_ entry: Entry, in list: inout [Entry], capacity: Int) {
        if let same = list.lastIndex(where: { $0.message == entry.message && $0.level == entry.level }) {
            var folded = list.remove(at: same)
            folded.count += 1
            folded.millis = entry.millis
            folded.metadata = entry.metadata
            list.append(folded)
            return
        }
        list.append(entry)
        if list.count > capacity { list.removeFirst(list.count - capacity) }
    }

    /// The box's view, newest last: every ring's entries by time (one message of two tenants stays two
    /// entries, each with its own fields), the newest `capacity`.
    public var snapshot: [Entry] {
        let all = rings.withLock { rings in rings.boxWide + rings.tenants.values.flatMap { $0 } }
        return Array(all.sorted { $0.millis < $1.millis }.suffix(capacity))
    }

    /// The entries a caller may see: the box's view (nil), or only the tenant's own ring.
    public func snapshot(domain: String?) -> [Entry] {
        guard let tenant = domain?.lowercased() else { return snapshot }
        return rings.withLock { $0.tenants[tenant] ?? [] }
    }
}

/// Wraps the process's log handler: everything goes on to it, and warnings and worse are also kept in
/// ``RecentProblems/process``.
public struct ProblemTrackingLogHandler: LogHandler {
    private var inner: any LogHandler
    private let problems: RecentProblems

    public init(wrapping inner: any LogHandler, problems: RecentProblems = .process) {
        self.inner = inner
        self.problems = problems
    }

    public var logLevel: Logger.Level {
        get { inner.logLevel }
        set { inner.logLevel = newValue }
    }

    public var metadata: Logger.Metadata {
        get { inner.metadata }
        set { inner.metadata = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { inner[metadataKey: key] }
        set { inner[metadataKey: key] = newValue }
    }

    public func log(event original: LogEvent) {
        // Messages and fields may carry text from the network (Call-IDs, SIP start lines, reasons): escaped
        // here, once, for every destination (journald, stderr, `siprecd status`).
        var event = original
        event.message = Logger.Message(stringLiteral: DisplayText.escaped(original.message.description))
        event.metadata = original.metadata?.mapValues { .string(DisplayText.escaped($0.description)) }
        if event.level >= .warning {
            var merged = inner.metadata
            if let extra = event.metadata { merged.merge(extra) { _, new in new } }
            var now = timespec()
            clock_gettime(CLOCK_REALTIME, &now)
            problems.record(level: event.level, message: "\(event.message)",
                            metadata: merged.sorted { $0.key < $1.key }.map { ($0.key, "\($0.value)") },
                            millis: Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000)
        }
        inner.log(event: event)
    }
}
