#if canImport(Glibc)
import Glibc
#endif

/// An OS thread for a blocking loop (capture, encoding, webhooks, checkpoints), never a cooperative-pool
/// task: these loops block in poll(2), SQLite or sockets and must not starve async work.
public enum DedicatedThread {
    private final class Box {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    /// Runs `body` on a new joinable thread; returns its handle. `name` says what the thread is for (the
    /// Glibc module does not export pthread_setname_np, so the kernel does not see it yet).
    /// Throws when the system will not create a thread (the caller reports it; nothing is started).
    public static func start(name: String, _ body: @escaping @Sendable () -> Void) throws(Errno) -> pthread_t {
        let box = Unmanaged.passRetained(Box(body)).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(&thread, nil, { raw in
            let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
            box.body()
            return nil
        }, box)
        guard result == 0 else {
            Unmanaged<Box>.fromOpaque(box).release()
            throw Errno(result)
        }
        return thread
    }

    /// Lowers the calling thread's scheduling priority (Linux nice value, per thread). Encoders run at +5:
    /// when the cores are full, SIP answers and capture go first and encoding, which has a ring of slack,
    /// waits a little.
    public static func lowerPriority(by nice: Int32) {
        // On Linux the nice value belongs to the thread, and `who` 0 names the calling thread.
        let which = __priority_which_t(PRIO_PROCESS.rawValue)
        _ = setpriority(which, 0, getpriority(which, 0) + nice)
    }

    public static func join(_ thread: pthread_t) {
        pthread_join(thread, nil)
    }
}
