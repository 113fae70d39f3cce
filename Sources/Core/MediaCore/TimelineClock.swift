/// Converts between monotonic time and timeline positions at a recording's rate (8000, 16000 or 48000
/// samples a second; whole samples a millisecond, so both directions stay exact for decades).
public enum TimelineClock {
    /// The position `nanos` after the recording's origin (rounded towards minus infinity).
    @inline(__always)
    public static func position(nanos: Int64, sampleRate: Int) -> Int64 {
        let scaled = nanos &* Int64(sampleRate / 1000)
        return scaled >= 0 ? scaled / 1_000_000 : -((-scaled + 999_999) / 1_000_000)
    }

    /// Nanoseconds from the origin to `position`.
    @inline(__always)
    public static func nanos(position: Int64, sampleRate: Int) -> Int64 {
        position &* 1_000_000 / Int64(sampleRate / 1000)
    }

    /// Milliseconds that `samples` last (rounded down).
    @inline(__always)
    public static func millis(samples: Int64, sampleRate: Int) -> Int64 {
        samples / Int64(sampleRate / 1000)
    }

    /// Samples that `millis` milliseconds last.
    @inline(__always)
    public static func samples(millis: Int64, sampleRate: Int) -> Int64 {
        millis &* Int64(sampleRate / 1000)
    }
}
