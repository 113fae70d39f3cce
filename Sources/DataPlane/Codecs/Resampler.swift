import CSpeexDSP

/// Sample-rate conversion of one mono stream through speexdsp's resampler (a windowed-sinc filter; quality
/// 4 of 10, speexdsp's default): made when a stream opens (or a job starts), then fed block by block,
/// keeping its filter history across blocks. An integer ratio gives exactly `count × to / from` samples per
/// call, delayed by the filter's latency (``outputLatency`` samples at the output rate). Nothing allocates
/// after `init`.
public final class Resampler {
    private let state: OpaquePointer

    public init?(from: Int, to: Int, quality: Int32 = SPEEX_RESAMPLER_QUALITY_DEFAULT) {
        var error: Int32 = 0
        guard let state = speex_resampler_init(1, UInt32(from), UInt32(to), quality, &error), error == 0 else { return nil }
        self.state = state
    }

    deinit { speex_resampler_destroy(state) }

    /// Forgets the filter's history: what comes next starts afresh, delayed as at the start.
    public func reset() { speex_resampler_reset_mem(state) }

    /// The filter's delay, in output samples.
    public var outputLatency: Int { Int(speex_resampler_get_output_latency(state)) }

    /// Converts `count` samples into `output` (room for `capacity`); returns how many were written.
    public func process(_ input: UnsafePointer<Int16>, count: Int, into output: UnsafeMutablePointer<Int16>, capacity: Int) -> Int {
        var consumed = UInt32(count), produced = UInt32(capacity)
        speex_resampler_process_int(state, 0, input, &consumed, output, &produced)
        return Int(produced)
    }
}
