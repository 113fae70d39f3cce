#if canImport(Glibc)
import Glibc
#endif

/// Monotonic clock in nanoseconds (CLOCK_MONOTONIC): the one time base of recording timelines, timeouts
/// and latencies in siprecd (NIO's deadlines read the same clock).
@inlinable @inline(__always)
public func monotonicNanos() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
}

/// Sleeps the calling thread for `nanos` (a dedicated thread's pause; never on an event loop).
public func sleepNanos(_ nanos: Int64) {
    var pause = timespec(tv_sec: Int(nanos / 1_000_000_000), tv_nsec: Int(nanos % 1_000_000_000))
    var left = timespec()
    while nanosleep(&pause, &left) != 0 && errno == EINTR { pause = left }
}
