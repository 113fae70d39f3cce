#if canImport(Glibc)
import Glibc
#endif

/// Runs `body` on a new POSIX thread, for tests that put a producer and a consumer on two real threads;
/// `join` waits for it.
public final class PosixThread: @unchecked Sendable {
    // @unchecked: `thread` is written once by `init` and read by `join` on the creating thread.
    private var thread = pthread_t()
    private let body: () -> Void

    public init(_ body: @escaping () -> Void) {
        self.body = body
        let context = Unmanaged.passRetained(self).toOpaque()
        let status = pthread_create(&thread, nil, { raw in
            Unmanaged<PosixThread>.fromOpaque(raw!).takeRetainedValue().body()
            return nil
        }, context)
        precondition(status == 0, "pthread_create failed")
    }

    public func join() { pthread_join(thread, nil) }
}
