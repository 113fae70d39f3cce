/// Where a wideband decoder (G.722, Opus) writes its 16 kHz audio, and the 8 kHz the narrowband master
/// takes from it: speexdsp's resampler (quality 4), fed packet by packet so its filter history carries
/// across packets (and reset after a gap). Each packet gives exactly half its 16 kHz samples, delayed by the filter's latency
/// (``latency``: 32 samples, 4 ms, at 8 kHz). Buffers are allocated once, when the stream opens.
final class WidebandToNarrowband {
    /// The decoder's 16 kHz output goes here (room for `capacity` 8 kHz samples' worth, twice that).
    let wide: UnsafeMutablePointer<Int16>
    private let narrow: UnsafeMutablePointer<Int16>
    private let resampler: Resampler
    /// The most 8 kHz samples one packet may give.
    let capacity: Int

    init?(capacity: Int) {
        guard let resampler = Resampler(from: 16_000, to: 8_000) else { return nil }
        self.resampler = resampler
        self.capacity = capacity
        wide = .allocate(capacity: 2 * capacity)
        wide.initialize(repeating: 0, count: 2 * capacity)
        narrow = .allocate(capacity: capacity)
        narrow.initialize(repeating: 0, count: capacity)
    }

    deinit {
        wide.deallocate()
        narrow.deallocate()
    }

    /// After a gap: the audio before it must not leak into the audio after it.
    func reset() { resampler.reset() }

    /// The filter's delay in 8 kHz samples.
    var latency: Int { resampler.outputLatency }

    /// Resamples the first `count` 16 kHz samples of `wide`: `count / 2` samples at 8 kHz (should the
    /// resampler give fewer, the rest is silence).
    func narrowband(_ count: Int) -> UnsafeBufferPointer<Int16> {
        let want = min(count / 2, capacity)
        let produced = resampler.process(wide, count: 2 * want, into: narrow, capacity: capacity)
        if produced < want { (narrow + produced).update(repeating: 0, count: want - produced) }
        return UnsafeBufferPointer(start: narrow, count: want)
    }
}
