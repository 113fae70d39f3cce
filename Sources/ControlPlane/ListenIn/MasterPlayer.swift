import Storage

#if canImport(Glibc)
import Glibc
#endif

/// Plays a recording's master through a `ListenMix` to a `PCMOutput`: a finished master from a position
/// to its end (`siprecd play`), or a growing one as the encoder appends to it (`siprecd monitor`).
public final class MasterPlayer {
    /// What a listening session did: how much it played and how far behind the call it was.
    public struct Report: Sendable {
        public var framesPlayed: Int64 = 0
        public var firstFrame: Int64 = 0
        /// Delay of the audio heard behind the call (ms): time of the write, plus what the device still
        /// held, minus when the call produced it. Only for `follow` with a known origin.
        public var meanDelayMillis: Int64?
        public var medianDelayMillis: Int64?
        public var p95DelayMillis: Int64?
        public var maxDelayMillis: Int64?
        public var underruns = 0
        /// Silent frames dropped to catch up with the call (after a hold, the master jumps ahead).
        public var silenceSkipped: Int64 = 0
    }

    private let reader: MasterReader
    private let mix: ListenMix
    private let output: PCMOutput
    private let chunkFrames: Int
    private let input: UnsafeMutablePointer<Int16>
    private let folded: UnsafeMutablePointer<Int16>

    public init(reader: MasterReader, mix: ListenMix, output: PCMOutput, chunkFrames: Int = 1600) {
        precondition(mix.sides.count == reader.channels && mix.outputChannels == output.channels)
        self.reader = reader
        self.mix = mix
        self.output = output
        self.chunkFrames = chunkFrames
        input = .allocate(capacity: chunkFrames * reader.channels)
        folded = .allocate(capacity: chunkFrames * mix.outputChannels)
    }

    deinit {
        input.deallocate()
        folded.deallocate()
    }

    /// Plays from `frame` to the end of the file as it is now, then lets the device play out.
    public func play(from frame: Int64 = 0) throws -> Report {
        var report = Report(firstFrame: frame)
        let end = reader.currentFrames()
        var position = min(frame, end)
        while position < end {
            position += try playChunk(at: position, frames: Int(min(Int64(chunkFrames), end - position)))
        }
        report.framesPlayed = position - report.firstFrame
        output.finish()
        report.underruns = output.underruns
        return report
    }

    /// Follows a master that is still being written: starts `lead` frames behind its end, plays each
    /// piece as it lands, and returns once `stillRecording()` is false and the rest has played.
    /// `originMillis` (wall clock of frame 0) lets it measure its delay behind the call.
    ///
    /// While no RTP comes (a hold) the encoder writes silence up to ~1.2 s late, then catches up at once
    /// when the call resumes. A device plays in real time, so that would leave the listener behind for
    /// good: whenever more than `maxLag` frames wait in the file, silent chunks are dropped (never
    /// audio) until the listener is live again.
    public func follow(lead: Int64 = 1600, maxLag: Int64 = 4000, originMillis: Int64?,
                       stillRecording: () -> Bool) throws -> Report {
        var position = max(0, reader.currentFrames() - lead)
        var report = Report(firstFrame: position)
        var delays: [Int64] = []
        var lastCheck = MasterPlayer.nowMillis()
        var live = true
        while true {
            let end = reader.currentFrames()
            if end > position {
                let frames = Int(min(Int64(chunkFrames), end - position))
                if end - position > maxLag, live, try isSilent(at: position, frames: frames) {
                    position += Int64(frames)
                    report.silenceSkipped += Int64(frames)
                    continue
                }
                position += try playChunk(at: position, frames: frames)
                if let originMillis {
                    let heardAt = MasterPlayer.nowMillis() + Int64(output.delayFrames) * 1000 / Int64(output.sampleRate)
                    let delay = heardAt - (originMillis + position * 1000 / Int64(reader.sampleRate))
                    delays.append(delay)
                }
                continue
            }
            if !live { break }
            let now = MasterPlayer.nowMillis()
            if now - lastCheck >= 250 {
                lastCheck = now
                // Ended: one more look at the file, for what the encoder wrote last.
                if !stillRecording() { live = false; continue }
            }
            var pause = timespec(tv_sec: 0, tv_nsec: 20_000_000)
            nanosleep(&pause, nil)
        }
        report.framesPlayed = position - report.firstFrame
        if !delays.isEmpty {
            let sorted = delays.sorted()
            report.meanDelayMillis = sorted.reduce(0, +) / Int64(sorted.count)
            report.medianDelayMillis = sorted[sorted.count / 2]
            report.p95DelayMillis = sorted[min(sorted.count - 1, sorted.count * 95 / 100)]
            report.maxDelayMillis = sorted.last
        }
        output.finish()
        report.underruns = output.underruns
        return report
    }

    private func isSilent(at position: Int64, frames: Int) throws -> Bool {
        try reader.read(from: position, count: frames, into: input)
        for sample in 0..<(frames * reader.channels) where input[sample] != 0 { return false }
        return true
    }

    private func playChunk(at position: Int64, frames: Int) throws -> Int64 {
        try reader.read(from: position, count: frames, into: input)
        mix.fold(input, frames: frames, into: folded)
        try output.write(folded, frames: frames)
        return Int64(frames)
    }

    static func nowMillis() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }
}
