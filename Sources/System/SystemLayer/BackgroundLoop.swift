import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A dedicated thread that runs one step of work over and over until it is stopped: the shape of the
/// webhook dispatcher, the catalog checkpoints and the passive SIP capture. `step` returns whether it did
/// something; when it did not, the thread pauses `idlePause` before the next step (a step that blocks in
/// poll(2) itself returns true). `stop()` lets the step in progress finish, runs `finally` on the thread,
/// and joins it.
public final class BackgroundLoop: Sendable {
    private final class Flag: Sendable { let running = Atomic<Bool>(true) }
    private let flag = Flag()
    private let thread: pthread_t

    public init(name: String, idlePause: Duration = .milliseconds(100),
                step: @escaping @Sendable (_ isRunning: () -> Bool) -> Bool,
                finally: @escaping @Sendable () -> Void = {}) throws(Errno) {
        let flag = flag
        let pause = idlePause.components.seconds * 1_000_000_000 + idlePause.components.attoseconds / 1_000_000_000
        thread = try DedicatedThread.start(name: name) {
            let isRunning = { flag.running.load(ordering: .relaxed) }
            while isRunning() {
                if !step(isRunning) { sleepNanos(pause) }
            }
            finally()
        }
    }

    /// Whether `stop()` has not been called yet.
    public var isRunning: Bool { flag.running.load(ordering: .relaxed) }

    /// Stops the loop and waits for its thread (once; later calls return at once).
    public func stop() {
        guard flag.running.exchange(false, ordering: .relaxed) else { return }
        DedicatedThread.join(thread)
    }
}
