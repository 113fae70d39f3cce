/// Where a decoder writes audio at its own rate (``native``), and what the recording's timeline takes from
/// it at the master's rate: the same buffer when the two rates agree, otherwise the output of speexdsp's
/// resampler (quality 4), fed packet by packet so its filter history carries across packets (and reset
/// after a gap). Every pair of rates siprecd meets is a whole ratio, so a packet of `n` native samples gives
/// exactly `n × outputRate / nativeRate`, delayed by the filter's latency (``latency``, at most 4 ms).
/// Buffers are allocated once, when the stream opens.
final class RateConverter {
    /// The decoder's output goes here (room for ``nativeCapacity`` samples).
    let native: UnsafeMutablePointer<Int16>
    let nativeCapacity: Int
    let nativeRate: Int
    let outputRate: Int
    private let output: UnsafeMutablePointer<Int16>
    private let outputCapacity: Int
    private let resampler: Resampler?

    init?(nativeRate: Int, outputRate: Int, nativeCapacity: Int) {
        guard nativeRate > 0, outputRate > 0,
              nativeRate % outputRate == 0 || outputRate % nativeRate == 0 else { return nil }
        self.nativeRate = nativeRate
        self.outputRate = outputRate
        self.nativeCapacity = nativeCapacity
        native = .allocate(capacity: nativeCapacity)
        native.initialize(repeating: 0, count: nativeCapacity)
        if nativeRate == outputRate {
            resampler = nil
            output = native
            outputCapacity = nativeCapacity
        } else {
            guard let resampler = Resampler(from: nativeRate, to: outputRate) else {
                native.deallocate()
                return nil
            }
            self.resampler = resampler
            outputCapacity = nativeCapacity * outputRate / nativeRate
            output = .allocate(capacity: outputCapacity)
            output.initialize(repeating: 0, count: outputCapacity)
        }
    }

    deinit {
        if output != native { output.deallocate() }
        native.deallocate()
    }

    /// After a gap: the audio before it must not leak into the audio after it.
    func reset() { resampler?.reset() }

    /// The filter's delay in output samples (0 when nothing is resampled).
    var latency: Int { resampler?.outputLatency ?? 0 }

    /// How many output samples `count` native samples give.
    @inline(__always)
    func outputCount(_ count: Int) -> Int { count * outputRate / nativeRate }

    /// How many native samples give `count` output samples (rounded down).
    @inline(__always)
    func nativeCount(_ count: Int) -> Int { count * nativeRate / outputRate }

    /// The first `count` native samples at the output rate (should the resampler give fewer, the rest is
    /// silence).
    func convert(_ count: Int) -> UnsafeBufferPointer<Int16> {
        let count = min(max(0, count), nativeCapacity)
        guard let resampler else { return UnsafeBufferPointer(start: native, count: count) }
        let want = min(outputCount(count), outputCapacity)
        let produced = resampler.process(native, count: count, into: output, capacity: want)
        if produced < want { (output + produced).update(repeating: 0, count: want - produced) }
        return UnsafeBufferPointer(start: output, count: want)
    }
}
