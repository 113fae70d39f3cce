import Logging
import NIOCore
import SystemLayer

/// Log lines about what one network source did (a malformed message, a refused request, a connection
/// closed): at most `perSecond` lines per source and kind in each second; the rest are counted, and one
/// summary line per source and kind says how many were held back once the second is over. A flood from
/// one address, or spoofed from many, cannot fill the journal; nothing goes uncounted.
///
/// Event-loop confined, like the SIP server that owns it (hence `@unchecked Sendable`: its timer runs on
/// that same loop).
final class SourceNotices: @unchecked Sendable {
    private struct Key: Hashable {
        let kind: String
        let source: String
    }

    private struct Window {
        var startNanos: UInt64
        var shown: Int
        var held: Int
        var level: Logger.Level
    }

    /// Lines shown per source and kind in each second.
    let perSecond: Int
    /// Sources tracked one by one; beyond it, all others share the source `other sources`.
    let maxSources: Int
    private let logger: Logger
    private let eventLoop: EventLoop
    private var windows: [Key: Window] = [:]
    private var flushing: RepeatedTask?
    private static let second: UInt64 = 1_000_000_000

    init(logger: Logger, eventLoop: EventLoop, perSecond: Int = 5, maxSources: Int = 1024) {
        self.logger = logger
        self.eventLoop = eventLoop
        self.perSecond = perSecond
        self.maxSources = maxSources
    }

    /// Logs `message` unless this source already had `perSecond` lines of this kind in the current second.
    /// `kind` is the message's fixed text, so the summary can name it.
    func log(_ level: Logger.Level, _ kind: String, source: String, metadata: @autoclosure () -> Logger.Metadata) {
        let now = UInt64(monotonicNanos())
        var key = Key(kind: kind, source: source)
        if windows[key] == nil, windows.count >= maxSources { key = Key(kind: kind, source: "other sources") }
        var window = windows[key] ?? Window(startNanos: now, shown: 0, held: 0, level: level)
        if now &- window.startNanos >= Self.second {
            summarize(key, window)
            window = Window(startNanos: now, shown: 0, held: 0, level: level)
        }
        if window.shown < perSecond {
            window.shown += 1
            logger.log(level: level, "\(kind)", metadata: metadata())
        } else {
            window.held += 1
            startFlushing()
        }
        windows[key] = window
    }

    /// Lines held back but not yet summarized, for tests.
    var heldCount: Int { windows.values.reduce(0) { $0 + $1.held } }

    private func summarize(_ key: Key, _ window: Window) {
        guard window.held > 0 else { return }
        logger.log(level: window.level, "\(key.kind): \(window.held) more from \(key.source) in one second, not logged one by one",
                   metadata: ["source": "\(key.source)", "held_back": "\(window.held)"])
    }

    /// Once a second while something is held back: summarize finished windows, forget quiet ones.
    private func startFlushing() {
        guard flushing == nil else { return }
        flushing = eventLoop.scheduleRepeatedTask(initialDelay: .seconds(1), delay: .milliseconds(500)) { [weak self] task in
            guard let self else {
                task.cancel()
                return
            }
            let now = UInt64(monotonicNanos())
            for (key, window) in self.windows where now &- window.startNanos >= Self.second {
                self.summarize(key, window)
                self.windows[key] = nil
            }
            if self.heldCount == 0 {
                task.cancel()
                self.flushing = nil
            }
        }
    }
}
