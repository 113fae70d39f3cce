import SystemLayer
#if canImport(Glibc)
import Glibc
#endif

/// Wall-clock (CLOCK_REALTIME) time stamps to the monotonic clock: monotonic = wall − offset.
///
/// The kernel stamps captured packets (pcap) and received datagrams (SO_TIMESTAMPNS) with the wall clock,
/// which NTP (or an operator) may step. The offset is measured before a dispatch every 10 ms, and the one before is kept: a packet stamped before a step that
/// falls between two measurements maps through the old offset, one stamped after it through the new one.
/// Which is which needs no knowledge of when the step happened: only one of the two lands where a packet
/// being dispatched now can have arrived (no later than now, no earlier than the ring's longest backlog).
struct WallClockConverter {
    /// CLOCK_REALTIME − CLOCK_MONOTONIC, nanoseconds.
    private(set) var offset: Int64 = 0
    /// The offset measured before this one.
    private(set) var previousOffset: Int64 = 0
    /// Monotonic time of the last refresh.
    private(set) var refreshedAt: Int64 = 0

    /// Arrivals this far after the dispatch began are still plausible (pcap_dispatch reads on while packets come in).
    static let lateSlack: Int64 = 100_000_000
    /// And this long before it (a ring backlog under overload).
    static let backlog: Int64 = 30_000_000_000

    init() {}

    /// For tests: a converter with known offsets.
    init(offset: Int64, previousOffset: Int64) {
        self.offset = offset
        self.previousOffset = previousOffset
    }

    /// Measures the offset, reading the wall clock between two monotonic readings; keeps the closest
    /// of three tries, so a preemption between readings does not skew it.
    mutating func refresh() {
        let first = refreshedAt == 0, before = offset
        defer { previousOffset = first ? offset : before }
        var best = Int64.max
        for _ in 0..<3 {
            let before = monotonicNanos()
            var ts = timespec()
            clock_gettime(CLOCK_REALTIME, &ts)
            let after = monotonicNanos()
            let wall = Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
            if after - before < best {
                best = after - before
                offset = wall - (before + (after - before) / 2)
                refreshedAt = after
            }
        }
    }

    /// The monotonic arrival of a packet stamped `wallNanos` and dispatched in a pass that began at
    /// `nowNanos`: through the current offset, else the previous one (the wall clock was stepped between
    /// the two measurements), else — stamped by a clock stepped twice since — `nowNanos`.
    @inline(__always)
    func arrival(wallNanos: Int64, nowNanos: Int64) -> Int64 {
        let current = wallNanos &- offset
        if WallClockConverter.plausible(current, nowNanos) { return current }
        let before = wallNanos &- previousOffset
        return WallClockConverter.plausible(before, nowNanos) ? before : nowNanos
    }

    @inline(__always)
    static func plausible(_ arrival: Int64, _ now: Int64) -> Bool {
        arrival <= now &+ lateSlack && arrival >= now &- backlog
    }
}
