#if canImport(Glibc)
import Glibc
#endif
import CMallocCounter

/// Clocks and counters the benchmarks read around their timed regions. None of them allocates.
enum Measure {
    @inline(__always)
    static func nanos(_ clock: clockid_t) -> Int64 {
        var ts = timespec()
        clock_gettime(clock, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    /// Wall time (CLOCK_MONOTONIC).
    @inline(__always)
    static func wall() -> Int64 { nanos(CLOCK_MONOTONIC) }

    /// CPU time of the whole process, user + system (CLOCK_PROCESS_CPUTIME_ID).
    @inline(__always)
    static func cpu() -> Int64 { nanos(CLOCK_PROCESS_CPUTIME_ID) }

    /// Heap allocations made by the process so far (CMallocCounter interposes malloc and friends).
    @inline(__always)
    static func allocations() -> UInt64 { siprecd_malloc_count() }

    /// User + system CPU time in a `rusage`, in nanoseconds.
    static func cpuNanos(_ usage: rusage) -> Int64 {
        (Int64(usage.ru_utime.tv_sec) + Int64(usage.ru_stime.tv_sec)) * 1_000_000_000
            + (Int64(usage.ru_utime.tv_usec) + Int64(usage.ru_stime.tv_usec)) * 1_000
    }
}

extension Array where Element: Comparable {
    var minimum: Element { self.min()! }
    /// The median (the lower middle for an even count).
    var median: Element { sorted()[(count - 1) / 2] }
}

/// A deterministic pseudo-random sequence (64-bit LCG, Knuth's MMIX constants).
struct LCG {
    var state: UInt64
    mutating func next() -> UInt64 {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return state
    }
    /// A value in 0..<bound.
    mutating func next(below bound: Int) -> Int { Int((next() >> 33) % UInt64(bound)) }
}

/// Prints `siprecd-bench: message` on standard error and exits.
func fail(_ message: String, status: Int32 = 1) -> Never {
    let line = "siprecd-bench: \(message)\n"
    _ = line.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count - 1) }
    exit(status)
}
