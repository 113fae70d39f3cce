import Recorder
import NIOCore
import Pipeline
import Systemd
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// What siprecd tells systemd: READY=1 once SIP, capture and the API are up; STATUS= with the calls and
/// the recordings of the last minute; WATCHDOG=1 only while the capture thread and the encoder thread
/// both make progress (a stalled data plane lets the watchdog fire); STOPPING=1 on shutdown.
final class ServiceSupervision: @unchecked Sendable {
    // @unchecked: the counters are touched only by the repeated task on `loop`.
    private let notifier: ServiceNotifier
    private let engine: MediaEngine
    private let service: RecordingService
    private let logger: Logger
    private var lastCapture: Int64 = -1
    private var lastEncoder: Int64 = -1
    private var stalledLogged = false
    private var task: RepeatedTask?

    init(notifier: ServiceNotifier, engine: MediaEngine, service: RecordingService, logger: Logger) {
        self.notifier = notifier
        self.engine = engine
        self.service = service
        self.logger = logger
    }

    /// READY=1 and the first status; then a check every half watchdog interval (or 5 s).
    func ready(on loop: EventLoop) {
        loop.execute { [self] in notifier.notify("READY=1\n" + status()) }
        let interval = notifier.watchdogInterval.map { $0 / 2 } ?? .seconds(5)
        let nanos = interval.components.seconds * 1_000_000_000 + interval.components.attoseconds / 1_000_000_000
        task = loop.scheduleRepeatedTask(initialDelay: .nanoseconds(nanos), delay: .nanoseconds(max(nanos, 50_000_000))) { [self] _ in
            tick()
        }
    }

    func stopping() {
        task?.cancel()
        notifier.notify("STOPPING=1\nSTATUS=stopping: closing open recordings")
    }

    private func tick() {
        let capture = engine.captureLoops.load(ordering: .relaxed)
        let encoder = engine.encoderLoops
        let stalled = capture == lastCapture ? "capture" : encoder == lastEncoder ? "encoder" : nil
        lastCapture = capture
        lastEncoder = encoder
        if notifier.watchdogInterval != nil {
            if stalled == nil {
                notifier.notify("WATCHDOG=1\n" + status())
                stalledLogged = false
            } else if !stalledLogged {
                stalledLogged = true
                logger.critical("data plane stalled: \(stalled ?? "") thread made no progress; withholding the watchdog")
            }
        } else {
            notifier.notify(status())
        }
    }

    private func status() -> String {
        let figures = RecorderFigures(service)
        return "STATUS=\(figures.active) active recordings, \(figures.sessions) sessions, \(figures.startedLastMinute) started in the last minute"
    }
}
