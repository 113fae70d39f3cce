import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A swift-log handler that writes to journald with the native protocol (systemd.journal-fields(7)): one
/// datagram per entry to /run/systemd/journal/socket, with MESSAGE, PRIORITY, SYSLOG_IDENTIFIER, the
/// code location, and every metadata key as an upper-case field (recording_id → RECORDING_ID, call_id →
/// CALL_ID, call_key → CALL_KEY, domain → DOMAIN, sip_method → SIP_METHOD, …). A message repeated more
/// than `burst` times a second is suppressed and counted; the count is logged when it stops.
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
        let text = message.description
        guard let suppressed = sink.admit(text) else { return }
        var fields: [(String, String)] = [
            ("MESSAGE", suppressed > 0 ? "\(text) (and \(suppressed) repeats suppressed)" : text),
            ("PRIORITY", String(JournalLogHandler.priority(level))), ("SYSLOG_IDENTIFIER", "siprecd"),
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
public final class JournalSink: Sendable {
    private let descriptor: Int32
    private let path: String
    private let window = Mutex<(second: Int64, counts: [String: Int], suppressed: [String: Int])>((0, [:], [:]))
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

    /// The number of repeats suppressed before this one (0 when none), or nil to drop this entry.
    func admit(_ message: String) -> Int? {
        let second = Int64(time(nil))
        return window.withLock { state in
            if state.second != second {
                state.second = second
                state.counts.removeAll(keepingCapacity: true)
            }
            let count = (state.counts[message] ?? 0) + 1
            state.counts[message] = count
            guard count <= burst else {
                state.suppressed[message, default: 0] += 1
                return nil
            }
            return state.suppressed.removeValue(forKey: message) ?? 0
        }
    }

    /// One entry: `NAME=value\n`, or for values with a newline `NAME\n` + 64-bit LE length + value + `\n`.
    func send(_ fields: [(String, String)]) {
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
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            let bytes = Array(path.utf8.prefix(raw.count - 1))
            raw.copyBytes(from: bytes + [0])
        }
        _ = datagram.withUnsafeBytes { payload in
            withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(descriptor, payload.baseAddress, payload.count, Int32(MSG_NOSIGNAL), $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
        }
    }
}
