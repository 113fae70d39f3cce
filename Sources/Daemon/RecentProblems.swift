import JSON
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The last warnings and errors siprecd logged, newest last, for `siprecd status` (GET /api/v1/status):
/// a field technician sees what went wrong without journal access. Bounded; repeats of the same message
/// within the ring are folded into one entry with a count. An entry about one tenant's call carries its
/// `domain` (the log call's `domain` field): a tenant is shown only its own entries, never box-wide ones.
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

    /// The process's ring: the log handler feeds it, the API reads it.
    public static let process = RecentProblems()

    public let capacity: Int
    private let entries = Mutex<[Entry]>([])

    public init(capacity: Int = 20) { self.capacity = capacity }

    public func record(level: Logger.Level, message: String, metadata: [(String, String)], millis: Int64) {
        let domain = metadata.first { $0.0 == "domain" }.map { $0.1.lowercased() }.flatMap { $0.isEmpty ? nil : $0 }
        entries.withLock { list in
            // Folded only within one tenant: a count never mixes two tenants' calls.
            if let same = list.lastIndex(where: { $0.message == message && $0.level == level && $0.domain == domain }) {
                var entry = list.remove(at: same)
                entry.count += 1
                entry.millis = millis
                entry.metadata = metadata
                list.append(entry)
                return
            }
            list.append(Entry(millis: millis, level: level, message: message, metadata: metadata, count: 1, domain: domain))
            if list.count > capacity { list.removeFirst(list.count - capacity) }
        }
    }

    public var snapshot: [Entry] { entries.withLock { $0 } }

    /// The entries a caller may see: every entry for the box (nil), only the tenant's own otherwise.
    public func snapshot(domain: String?) -> [Entry] {
        guard let tenant = domain?.lowercased() else { return snapshot }
        return snapshot.filter { $0.domain == tenant }
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
