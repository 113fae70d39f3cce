/// Forward steps of the wall clock seen by this process, for the expiry sweep. NTP correcting a board that
/// booted with a stale clock steps it forward, and every recording made before the step then looks older by
/// the step than it is. The sweep adds the steps of the last retention period to the retention, so no
/// recording is ever deleted early; one made after a step may be kept up to that much longer, and once a
/// retention period has passed since a step it no longer counts (everything from before it is then old
/// enough by any clock). Constant memory, whatever the number of recordings.
struct ClockSteps {
    /// Wall − monotonic at the last observation, in milliseconds (nil before the first).
    private var offset: Int64?
    /// (monotonic milliseconds of the step, its size in milliseconds), oldest first.
    private(set) var steps: [(at: Int64, size: Int64)] = []

    /// Smaller changes are clock slewing and jitter, not steps.
    static let threshold: Int64 = 1_000

    /// Compares the clocks now with the last observation (call it regularly, e.g. every sweep).
    mutating func observe(wallMillis: Int64, monotonicMillis: Int64) {
        let now = wallMillis - monotonicMillis
        defer { offset = now }
        guard let offset, now - offset >= ClockSteps.threshold else { return }
        steps.append((monotonicMillis, now - offset))
    }

    /// How much longer than `retention` recordings are kept now: the forward steps of the last retention
    /// period (older ones are forgotten).
    mutating func allowance(retentionMillis: Int64, monotonicMillis: Int64) -> Int64 {
        steps.removeAll { monotonicMillis - $0.at >= retentionMillis }
        return steps.reduce(0) { $0 + $1.size }
    }
}
