import Synchronization

/// When a datagram last reached each UDP port without a stream to take it (a session's ports while no
/// recording is in progress): one relaxed atomic per port, allocated once, so the capture thread records
/// an arrival without allocating and the control loop can tell a live SRC from a silent one.
public final class PortActivity: @unchecked Sendable {
    // @unchecked: the buffer holds atomics only; it is allocated once and freed on deinit.
    private let arrivals: UnsafeMutablePointer<Atomic<Int64>>
    private static let ports = 65_536

    public init() {
        arrivals = .allocate(capacity: Self.ports)
        for port in 0..<Self.ports { (arrivals + port).initialize(to: Atomic(0)) }
    }

    deinit {
        arrivals.deinitialize(count: Self.ports)
        arrivals.deallocate()
    }

    /// Capture thread: a datagram for `port` arrived at `nanos` (monotonic).
    @inline(__always)
    func record(port: UInt16, nanos: Int64) {
        arrivals[Int(port)].store(nanos, ordering: .relaxed)
    }

    /// Monotonic time of the last unclaimed datagram for `port`, 0 if none yet.
    public func lastArrival(port: Int) -> Int64 {
        guard (0..<Self.ports).contains(port) else { return 0 }
        return arrivals[port].load(ordering: .relaxed)
    }
}
