import Encoding

/// The buffers an encoder thread works through: one chunk of interleaved master samples, its
/// caller/callee mix for the MP3, and LAME's output. A recording needs them only while its chunk is
/// encoded, so they belong to the thread (one per lane), not to each call (22 KB less per call).
final class EncoderScratch {
    private(set) var interleaved: UnsafeMutablePointer<Int16>
    private(set) var left: UnsafeMutablePointer<Int16>
    private(set) var right: UnsafeMutablePointer<Int16>
    let mp3 = MP3OutputBuffer()
    private var frames: Int
    private var channels: Int

    init(frames: Int = 1600, channels: Int = 2) {
        self.frames = max(1, frames)
        self.channels = max(1, channels)
        interleaved = .allocate(capacity: self.frames * self.channels)
        left = .allocate(capacity: self.frames)
        right = .allocate(capacity: self.frames)
    }

    deinit { release() }

    /// Makes room for a chunk of `frames` × `channels`. Grows only for a recording larger than any the
    /// thread has met before (more streams, a longer chunk), never per chunk.
    func reserve(frames count: Int, channels width: Int) {
        guard count > frames || width > channels else { return }
        release()
        frames = max(frames, count)
        channels = max(channels, width)
        interleaved = .allocate(capacity: frames * channels)
        left = .allocate(capacity: frames)
        right = .allocate(capacity: frames)
    }

    private func release() {
        interleaved.deallocate()
        left.deallocate()
        right.deallocate()
    }
}
