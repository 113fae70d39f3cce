import Capture
import Encoding
import MediaCore
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Settings of the encoders, from the configuration.
public struct EncoderSettings: Sendable {
    public var mp3Bitrate: Int
    public var mp3Quality: Int
    /// Frames encoded per step. 200 ms: the master on disk trails the call by at most the reorder window
    /// plus one step plus one encoder tick (~450 ms), which `siprecd monitor` plays from; LAME is as fast
    /// with 200 ms as with 1 s steps (BENCHMARKS.md).
    public var chunkFrames: Int

    /// false: the lossless master only (no MP3 while recording; STORE still makes one from the master).
    public var mp3: Bool

    public init(mp3Bitrate: Int = 32, mp3Quality: Int = 5, chunkFrames: Int = 1600, mp3: Bool = true) {
        self.mp3 = mp3
        self.mp3Bitrate = mp3Bitrate
        self.mp3Quality = mp3Quality
        self.chunkFrames = chunkFrames
    }
}

/// One recording on its way through the data plane: the streams the capture thread fills and the
/// encoders the encoder thread drives. Its buffers are allocated here, once, by the control plane; the
/// encoder thread lends the chunk buffers (``EncoderScratch``).
public final class RecordingPipeline: @unchecked Sendable {
    // @unchecked: the encoder state is touched only by the encoder thread; `endPosition` and
    // `captureClosed` are atomics that hand the end of capture over to it.
    public let id: String
    public let streams: [MediaStream]
    public let originNanos: Int64
    /// The master's rate (samples a second): 8000, 16000 or 48000.
    public let sampleRate: Int
    let chunkFrames: Int
    private let channels: Int
    private let masterPath: String
    private let mp3Path: String
    private let wav: WAVWriter
    private let mp3: MP3Encoder?
    /// Whether the streams fill every master channel; if not, each chunk starts as silence.
    private let coversEveryChannel: Bool
    private var consumed: Int64 = 0
    private var failure: String?
    /// Timeline position where capture ends, or -1 while live (set by the capture thread).
    let endPosition = Atomic<Int64>(-1)
    /// Set by the capture thread once every stream is released up to `endPosition`.
    let captureClosed = Atomic<Bool>(false)
    /// Set by the encoder thread when a file write failed (disk full, I/O error): the control plane ends
    /// the recording and raises tempStorageError.
    public let writeFailed = Atomic<Bool>(false)
    /// Asked for by the control plane: end at this monotonic instant, or 0.
    let endRequestNanos = Atomic<Int64>(0)
    /// Sockets the capture thread closes once the streams are released (the session ended with this
    /// recording). Written by the control plane before `endRequestNanos` is stored (release/acquire).
    var socketsToClose: [RTPSocket] = []

    /// `sampleRate`: the streams' timeline rate, which the master and the MP3 are written at
    /// (`settings.chunkFrames` is at 8 kHz and scales with it).
    public init(id: String, streams: [MediaStream], originNanos: Int64, masterPath: String, mp3Path: String,
                settings: EncoderSettings, sampleRate: Int = 8_000) throws(EncodingError) {
        self.id = id
        self.streams = streams
        self.originNanos = originNanos
        self.sampleRate = sampleRate
        chunkFrames = settings.chunkFrames * max(1, sampleRate / 8_000)
        self.masterPath = masterPath
        self.mp3Path = mp3Path
        channels = max(1, streams.count)
        coversEveryChannel = Set(streams.map(\.channel)) == Set(0..<channels)
        wav = try WAVWriter(path: masterPath, channels: channels, sampleRate: sampleRate)
        mp3 = settings.mp3 ? try MP3Encoder(path: mp3Path, sampleRate: sampleRate, bitrate: settings.mp3Bitrate,
                                            quality: settings.mp3Quality) : nil
    }

    // MARK: Capture side (capture thread, or the replay driver)

    /// Releases audio on every stream up to what the clock allows; applies the edges stamped up to
    /// `horizonNanos` (everything that arrived before it has been delivered).
    func advanceCapture(nowNanos: Int64, horizonNanos: Int64) {
        for stream in streams {
            stream.reassembler.advance(now: stream.position(atNanos: nowNanos), horizonNanos: horizonNanos)
        }
    }

    /// Releases every stream to the recording's end: the later of `endNanos` and the end of the furthest
    /// audio that arrived before it, so every channel has the same length; what arrived after `endNanos`
    /// is not recorded. Call once everything that arrived before `endNanos` has been delivered. Returns
    /// false while a ring still waits for the encoder to make room (call again).
    func closeCapture(endNanos: Int64) -> Bool {
        var end = endPosition.load(ordering: .relaxed)
        if end < 0 {
            let position = TimelineClock.position(nanos: endNanos - originNanos, sampleRate: sampleRate)
            end = position
            for stream in streams { end = max(end, stream.reassembler.end(atNanos: endNanos, position: position)) }
            endPosition.store(end, ordering: .relaxed)
        }
        var done = true
        for stream in streams where !stream.reassembler.close(at: end) { done = false }
        if done { captureClosed.store(true, ordering: .releasing) }
        return done
    }

    /// Releases a pipeline that was never attached to the engine: removes its still-empty files. (The
    /// sockets belong to the session, which closes them.)
    public func abandon() {
        unlink(masterPath)
        unlink(mp3Path)
    }

    /// Encodes whatever every stream has released, in whole chunks while live. Returns the outcome once
    /// capture has closed and everything is written; nil while the recording goes on.
    func encodeAvailable(using scratch: EncoderScratch) -> RecordingOutcome? {
        scratch.reserve(frames: chunkFrames, channels: channels)
        let closed = captureClosed.load(ordering: .acquiring)
        while true {
            var available = Int64.max
            for stream in streams { available = min(available, stream.reassembler.readable(consumer: consumed)) }
            if streams.isEmpty { available = closed ? max(0, endPosition.load(ordering: .relaxed) - consumed) : 0 }
            let count = Int(min(available, Int64(chunkFrames)))
            guard count > 0, count == chunkFrames || closed else { break }
            encodeChunk(frames: count, scratch)
        }
        return closed ? finish(scratch) : nil
    }

    private func encodeChunk(frames count: Int, _ scratch: EncoderScratch) {
        let interleaved = scratch.interleaved
        // The scratch holds the last chunk of another call: a channel no stream fills must be silence.
        if !coversEveryChannel { interleaved.update(repeating: 0, count: count * channels) }
        for stream in streams {
            stream.reassembler.ring.read(into: interleaved + stream.channel, count: count, stride: channels)
        }
        consumed += Int64(count)
        guard failure == nil else { return }
        if mp3 != nil { mix(frames: count, scratch) }
        do {
            try wav.append(interleaved: interleaved, frames: count)
            try mp3?.encode(left: scratch.left, right: scratch.right, frames: count, using: scratch.mp3)
        } catch {
            failure = error.message
            writeFailed.store(true, ordering: .relaxed)
        }
    }

    /// Caller streams summed into the left channel, callee streams into the right, saturating.
    private func mix(frames count: Int, _ scratch: EncoderScratch) {
        let interleaved = scratch.interleaved, left = scratch.left, right = scratch.right
        for frame in 0..<count {
            var l: Int32 = 0, r: Int32 = 0
            for stream in streams {
                let sample = Int32(interleaved[frame * channels + stream.channel])
                if stream.role == .caller { l += sample } else { r += sample }
            }
            left[frame] = Int16(clamping: l)
            right[frame] = Int16(clamping: r)
        }
    }

    private func finish(_ scratch: EncoderScratch) -> RecordingOutcome {
        do {
            try wav.finish()
        } catch { failure = failure ?? error.message }
        do {
            try mp3?.finish(using: scratch.mp3)
        } catch { failure = failure ?? error.message }
        let reports = streams.map {
            RecordingOutcome.Stream(label: $0.label, mLineIndex: $0.mLineIndex, role: $0.role, channel: $0.channel,
                                    statistics: StreamStatistics($0.reassembler.counters),
                                    dtmf: $0.reassembler.dtmf.events, dtmfDropped: $0.reassembler.dtmf.droppedEvents,
                                    srtpSuite: $0.srtpSuite)
        }
        return RecordingOutcome(frames: consumed, streams: reports, writeError: failure)
    }
}
