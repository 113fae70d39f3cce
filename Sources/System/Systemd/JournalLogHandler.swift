import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A swift-log handler that writes to journald with the native protocol (systemd.journal-fields(7)): one
/// datagram per entry to /run/systemd/journal/socket, with MESSAGE, PRIORITY, SYSLOG_IDENTIFIER, the
/// code location, and every metadata key as an upper-case field (recording_id → RECORDING_ID, call_id →
/// CALL_ID, call_key → CALL_KEY, domain → DOMAIN, sip_method → SIP_METHOD, …). A message repeated more
/// than `burst` times a second is suppressed and counted; the count is logged once that second is over.
/// Sending never blocks (see JournalSink).
public struct JournalLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    let label: String
    let sink: JournalSink

    public init(label: String, sink: JournalSink) {
        self.label = label
        self.sink = sink
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var extra = event.metadata ?? [:]
        if let error = event.error { extra["error"] = "\(error)" }
        entry(level: event.level, message: event.message, metadata: extra, source: event.source,
              file: event.file, function: event.function, line: event.line)
    }

    func entry(level: Logger.Level, message: Logger.Message, metadata extra: Logger.Metadata?, source: String,
               file: String, function: String, line: UInt) {
        let text = message.description, priority = JournalLogHandler.priority(level)
        let (admitted, summaries) = sink.admit(text, priority: priority)
        for summary in summaries { sink.send(summary.fields) }
        guard admitted else { return }
        var fields: [(String, String)] = [
            ("MESSAGE", text), ("PRIORITY", String(priority)), ("SYSLOG_IDENTIFIER", "siprecd"),
            ("SIPRECD_MODULE", source), ("CODE_FILE", file), ("CODE_LINE", String(line)), ("CODE_FUNC", function),
        ]
        for (key, value) in self.metadata.merging(extra ?? [:], uniquingKeysWith: { $1 }) {
            fields.append((JournalLogHandler.fieldName(key), value.description))
        }
        sink.send(fields)
    }

    /// syslog priorities: 2 critical … 7 debug.
    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .critical: return 2
        case .error: return 3
        case .warning: return 4
        case .notice: return 5
        case .info: return 6
        case .debug, .trace: return 7
        }
    }

    /// A journal field name: upper-case letters, digits and `_`, not starting with `_` or a digit.
    static func fieldName(_ key: String) -> String {
        var name = String(key.uppercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
        while name.hasPrefix("_") { name.removeFirst() }
        if name.first?.isNumber ?? true { name = "F" + name }
        return String(name.prefix(64))
    }
}

/// The journal socket and the repeat limiter shared by every logger of the process.
///
/// Logging never blocks a caller: entries are sent with MSG_DONTWAIT, and when journald is behind (its
/// socket queue full) the entry is dropped and counted; the next entry that gets through is preceded by
/// one saying how many were lost. A message repeated more than `burst` times within a second is
/// suppressed; once that second is over, one summary entry per message gives the count.
public final class JournalSink: Sendable {
    private let descriptor: Int32
    private let path: String
    private let window = Mutex(RepeatWindow())
    private let dropped = Atomic<Int>(0)
    let burst = 10

    /// nil when the socket cannot be opened.
    public init?(path: String = "/run/systemd/journal/socket") {
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0, access(path, W_OK) == 0 else {
            if fd >= 0 { close(fd) }
            return nil
        }
        descriptor = fd
        self.path = path
    }

    deinit { close(descriptor) }

    /// Whether this entry goes out (false: suppressed as a repeat), plus the summaries of repeats
    /// suppressed in earlier seconds, which go out first.
    func admit(_ message: String, priority: Int, now: Int64 = Int64(time(nil))) -> (send: Bool, summaries: [RepeatSummary]) {
        window.withLock { state in
            let summaries = state.roll(to: now)
            return (state.count(message, priority: priority, burst: burst), summaries)
        }
    }

    /// Once a second: summaries for seconds that are over, so a burst that simply stops is still counted,
    /// and the count of entries dropped while journald was behind, as soon as it reads again.
    public func flushPending(now: Int64 = Int64(time(nil))) {
        for summary in window.withLock({ $0.roll(to: now) }) { send(summary.fields) }
        _ = reportDropped()
    }

    /// One entry: `NAME=value\n`, or for values with a newline `NAME\n` + 64-bit LE length + value + `\n`.
    func send(_ fields: [(String, String)]) {
        guard reportDropped(), transmit(Self.encode(fields)) else {
            dropped.add(1, ordering: .relaxed)
            return
        }
    }

    /// false when entries were dropped and journald still cannot take the entry saying so.
    private func reportDropped() -> Bool {
        let lost = dropped.load(ordering: .relaxed)
        guard lost > 0 else { return true }
        guard transmit(Self.encode([("MESSAGE", "journal busy: \(lost) log entries dropped"), ("PRIORITY", "4"),
                                    ("SYSLOG_IDENTIFIER", "siprecd"), ("SIPRECD_DROPPED_ENTRIES", String(lost))])) else {
            return false
        }
        dropped.subtract(lost, ordering: .relaxed)
        return true
    }

    static func encode(_ fields: [(String, String)]) -> [UInt8] {
        var datagram: [UInt8] = []
        for (name, value) in fields {
            let bytes = Array(value.utf8)
            if bytes.contains(UInt8(ascii: "\n")) {
                datagram += Array(name.utf8) + [UInt8(ascii: "\n")]
                withUnsafeBytes(of: UInt64(bytes.count).littleEndian) { datagram += $0 }
                datagram += bytes + [UInt8(ascii: "\n")]
            } else {
                datagram += Array("\(name)=".utf8) + bytes + [UInt8(ascii: "\n")]
            }
        }
        return datagram
    }

    /// false when journald's queue is full (EAGAIN) or the socket is gone.
    private func transmit(_ datagram: [UInt8]) -> Bool {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            let bytes = Array(path.utf8.prefix(raw.count - 1))
            raw.copyBytes(from: bytes + [0])
        }
        let sent = datagram.withUnsafeBytes { payload in
            withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(descriptor, payload.baseAddress, payload.count, Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT), $0,
                           socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
        }
        return sent == datagram.count
    }
}

/// Counts of each message within the current second, and of those suppressed.
struct RepeatWindow {
    var second: Int64 = 0
    var counts: [String: Int] = [:]
    var suppressed: [String: (count: Int, priority: Int)] = [:]

    /// Starts a new second if `now` is past the current one; returns the summaries of the one that ended.
    mutating func roll(to now: Int64) -> [RepeatSummary] {
        guard now != second else { return [] }
        second = now
        counts.removeAll(keepingCapacity: true)
        guard !suppressed.isEmpty else { return [] }
        let summaries = suppressed.map { RepeatSummary(message: $0.key, count: $0.value.count, priority: $0.value.priority) }
        suppressed.removeAll(keepingCapacity: true)
        return summaries.sorted { $0.message < $1.message }
    }

    /// true when the entry goes out; false when it is over the burst and counted instead.
    mutating func count(_ message: String, priority: Int, burst: Int) -> Bool {
        let count = (counts[message] ?? 0) + 1
        counts[message] = count
        guard count <= burst else {
            suppressed[message, default: (0, priority)].count += 1
            return false
        }
        return true
    }
}

/// "<message>: N repeats suppressed", at the priority of the message.
struct RepeatSummary: Equatable {
    let message: String
    let count: Int
    let priority: Int

    var fields: [(String, String)] {
        [("MESSAGE", "\(message): \(count) repeats suppressed"), ("PRIORITY", String(priority)),
         ("SYSLOG_IDENTIFIER", "siprecd"), ("SIPRECD_SUPPRESSED", String(count))]
    }
}
