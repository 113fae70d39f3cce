import Testing
@testable import Signalling

@Suite("INVITE answer latency histogram")
struct LatencyHistogramTests {
    @Test("Observations land in the first bucket whose bound they do not exceed, and render as a Prometheus histogram")
    func bucketsAndText() {
        var histogram = LatencyHistogram()
        for nanos: Int64 in [400_000, 1_000_000, 1_000_001, 9_000_000, 30_000_000, 4_000_000_000] { histogram.record(nanos: nanos) }
        #expect(histogram.count == 6)
        #expect(histogram.buckets == [2, 1, 0, 1, 0, 1, 0, 0, 0, 0, 0, 1], "a bound is inclusive (le); the last slot is above 2.5 s")
        let text = histogram.prometheus(name: "x_seconds", help: "h")
        #expect(text.hasPrefix("# HELP x_seconds h\n# TYPE x_seconds histogram\n"))
        #expect(text.contains("x_seconds_bucket{le=\"0.001\"} 2\n"))
        #expect(text.contains("x_seconds_bucket{le=\"0.002\"} 3\n"))
        #expect(text.contains("x_seconds_bucket{le=\"0.01\"} 4\n"))
        #expect(text.contains("x_seconds_bucket{le=\"0.05\"} 5\n"))
        #expect(text.contains("x_seconds_bucket{le=\"2.5\"} 5\n"))
        #expect(text.contains("x_seconds_bucket{le=\"+Inf\"} 6\n"))
        #expect(text.contains("x_seconds_sum 4.041400001\n"))
        #expect(text.hasSuffix("x_seconds_count 6\n"))
    }
}
