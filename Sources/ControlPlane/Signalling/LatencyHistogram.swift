/// A latency distribution in fixed buckets, rendered as a Prometheus histogram: how long siprecd took
/// from a new INVITE to its final answer (`siprecd_sip_invite_answer_seconds`). Kept on the SIP event
/// loop; recording costs a few compares and no allocation.
public struct LatencyHistogram: Sendable, Equatable {
    /// Upper bounds of the buckets, in seconds as Prometheus writes them and in nanoseconds.
    public static let bounds: [(label: String, nanos: Int64)] = [
        ("0.001", 1_000_000), ("0.002", 2_000_000), ("0.005", 5_000_000), ("0.01", 10_000_000),
        ("0.02", 20_000_000), ("0.05", 50_000_000), ("0.1", 100_000_000), ("0.25", 250_000_000),
        ("0.5", 500_000_000), ("1", 1_000_000_000), ("2.5", 2_500_000_000),
    ]
    /// Observations per bucket (not cumulative); the last slot counts those above every bound.
    public private(set) var buckets = [Int](repeating: 0, count: LatencyHistogram.bounds.count + 1)
    public private(set) var count = 0
    public private(set) var sumNanos: Int64 = 0

    public init() {}

    public mutating func record(nanos: Int64) {
        let value = max(0, nanos)
        var index = 0
        while index < Self.bounds.count && value > Self.bounds[index].nanos { index += 1 }
        buckets[index] += 1
        count += 1
        sumNanos += value
    }

    /// The Prometheus text lines (HELP, TYPE, cumulative buckets, sum, count).
    public func prometheus(name: String, help: String) -> String {
        var out = "# HELP \(name) \(help)\n# TYPE \(name) histogram\n"
        var cumulative = 0
        for (index, bound) in Self.bounds.enumerated() {
            cumulative += buckets[index]
            out += "\(name)_bucket{le=\"\(bound.label)\"} \(cumulative)\n"
        }
        out += "\(name)_bucket{le=\"+Inf\"} \(count)\n"
        let seconds = sumNanos / 1_000_000_000, fraction = sumNanos % 1_000_000_000
        let digits = String(fraction)
        out += "\(name)_sum \(seconds).\(String(repeating: "0", count: 9 - digits.count))\(digits)\n"
        out += "\(name)_count \(count)\n"
        return out
    }
}
