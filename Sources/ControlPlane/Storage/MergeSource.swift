import Codecs

/// One master read for a merge at the merged rate: as it is when its rate is that, otherwise resampled up
/// channel by channel (speexdsp, filter history kept from block to block). Blocks must be read in order,
/// each starting where the last ended, at whole frames of the master's own rate (``MergeJob/chunk`` and
/// millisecond offsets are).
final class MergeSource {
    let reader: MasterReader
    /// Frames at the merged rate.
    let frames: Int64
    var channels: Int { reader.channels }
    private let factor: Int
    private let resamplers: [Resampler]
    private let native: UnsafeMutablePointer<Int16>
    private let mono: UnsafeMutablePointer<Int16>
    private let upsampled: UnsafeMutablePointer<Int16>
    private let capacity: Int

    init(_ reader: MasterReader, rate: Int, chunk: Int) throws(StorageError) {
        guard reader.sampleRate > 0, rate % reader.sampleRate == 0 else {
            throw StorageError("a master at \(reader.sampleRate) Hz cannot be merged at \(rate) Hz")
        }
        self.reader = reader
        factor = rate / reader.sampleRate
        frames = reader.frames * Int64(factor)
        capacity = chunk / factor + 1
        resamplers = try (0..<(factor == 1 ? 0 : reader.channels)).map { (_) throws(StorageError) in
            guard let resampler = Resampler(from: reader.sampleRate, to: rate) else {
                throw StorageError("no resampler from \(reader.sampleRate) Hz to \(rate) Hz")
            }
            return resampler
        }
        native = .allocate(capacity: capacity * reader.channels)
        mono = .allocate(capacity: capacity)
        upsampled = .allocate(capacity: capacity * factor)
    }

    deinit {
        native.deallocate()
        mono.deallocate()
        upsampled.deallocate()
    }

    /// Reads `count` frames (merged rate) from merged-rate frame `frame` into `buffer`, interleaved.
    func read(from frame: Int64, count: Int, into buffer: UnsafeMutablePointer<Int16>) throws(StorageError) {
        guard factor > 1 else {
            try reader.read(from: frame, count: count, into: buffer)
            return
        }
        let channels = reader.channels
        let first = frame / Int64(factor), nativeCount = min(capacity, (count + factor - 1) / factor)
        try reader.read(from: first, count: nativeCount, into: native)
        for channel in 0..<channels {
            for index in 0..<nativeCount { mono[index] = native[index * channels + channel] }
            let want = nativeCount * factor
            let produced = resamplers[channel].process(mono, count: nativeCount, into: upsampled, capacity: want)
            if produced < want { (upsampled + produced).update(repeating: 0, count: want - produced) }
            for index in 0..<count { buffer[index * channels + channel] = upsampled[index] }
        }
    }
}
