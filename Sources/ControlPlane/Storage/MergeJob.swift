import Codecs
import Encoding

#if canImport(Glibc)
import Glibc
#endif

/// MERGERECORDINGS: several recordings of one call (a transfer, a REST stop/start, conference legs) on
/// one timeline, by their start times, mixed to stereo (caller left, callee right). Inside a conference
/// segment only the recording that started first is heard, so the conference is not heard twice.
/// The merged file runs at the widest of the masters' rates; a narrower master is resampled up to it by
/// speexdsp (delayed by the filter's latency, a few milliseconds).
public struct MergeJob: Sendable {
    public struct Input: Sendable {
        public var masterPath: String
        /// Where the recording starts on the merged timeline, in frames at the merged rate (a whole number
        /// of this master's own frames).
        public var offset: Int64
        /// For each master channel, whether it carries the caller.
        public var callerChannels: [Bool]

        public init(masterPath: String, offset: Int64, callerChannels: [Bool]) {
            self.masterPath = masterPath
            self.offset = offset
            self.callerChannels = callerChannels
        }
    }

    public var inputs: [Input]
    /// The merged file's rate: the widest master's.
    public var sampleRate: Int
    /// Spans of the merged timeline (frames) where only `inputs[first]` is used.
    public var conferenceSegments: [Range<Int64>]
    /// The input that started first.
    public var first: Int
    public var format: StoredFileName.Format
    public var mp3Bitrate: Int
    public var mp3Quality: Int

    public init(inputs: [Input], conferenceSegments: [Range<Int64>], first: Int, format: StoredFileName.Format,
                mp3Bitrate: Int, mp3Quality: Int, sampleRate: Int = 8_000) {
        self.inputs = inputs
        self.sampleRate = sampleRate
        self.conferenceSegments = conferenceSegments
        self.first = first
        self.format = format
        self.mp3Bitrate = mp3Bitrate
        self.mp3Quality = mp3Quality
    }

    /// Frames per step at the merged rate: a whole number of frames of every narrower master (÷ 2, 3, 6).
    static let chunk = 9_600

    /// Writes the merged stereo file to `path`. Returns its length in frames.
    public func write(to path: String) throws(StorageError) -> Int64 {
        let readers = try inputs.map { (input) throws(StorageError) in try MasterReader(path: input.masterPath) }
        let sources = try readers.map { (reader) throws(StorageError) in try MergeSource(reader, rate: sampleRate, chunk: MergeJob.chunk) }
        let total = zip(inputs, sources).map { $0.offset + $1.frames }.max() ?? 0
        guard total > 0 else { throw StorageError("the recordings to merge hold no audio") }
        let widest = readers.map(\.channels).max() ?? 1
        let buffer = UnsafeMutablePointer<Int16>.allocate(capacity: MergeJob.chunk * widest)
        let left = UnsafeMutablePointer<Int32>.allocate(capacity: MergeJob.chunk)
        let right = UnsafeMutablePointer<Int32>.allocate(capacity: MergeJob.chunk)
        let outLeft = UnsafeMutablePointer<Int16>.allocate(capacity: MergeJob.chunk)
        let outRight = UnsafeMutablePointer<Int16>.allocate(capacity: MergeJob.chunk)
        let interleaved = UnsafeMutablePointer<Int16>.allocate(capacity: MergeJob.chunk * 2)
        defer { buffer.deallocate(); left.deallocate(); right.deallocate(); outLeft.deallocate(); outRight.deallocate(); interleaved.deallocate() }
        do {
            let wav = format == .wav ? try WAVWriter(path: path, channels: 2, sampleRate: sampleRate) : nil
            let mp3 = format == .mp3 ? try MP3Encoder(path: path, sampleRate: sampleRate, bitrate: mp3Bitrate, quality: mp3Quality) : nil
            let output = MP3OutputBuffer()
            var start: Int64 = 0
            while start < total {
                let count = Int(min(Int64(MergeJob.chunk), total - start))
                left.initialize(repeating: 0, count: count)
                right.initialize(repeating: 0, count: count)
                for (index, (input, reader)) in zip(inputs, sources).enumerated() {
                    let from = max(start, input.offset), to = min(start + Int64(count), input.offset + reader.frames)
                    guard from < to else { continue }
                    try reader.read(from: from - input.offset, count: Int(to - from), into: buffer)
                    for frame in from..<to where index == first || !conferenceSegments.contains(where: { $0.contains(frame) }) {
                        let at = Int(frame - start), base = Int(frame - from) * reader.channels
                        for channel in 0..<reader.channels {
                            let sample = Int32(buffer[base + channel])
                            if channel < input.callerChannels.count, input.callerChannels[channel] { left[at] += sample } else { right[at] += sample }
                        }
                    }
                }
                for frame in 0..<count {
                    outLeft[frame] = Int16(clamping: left[frame])
                    outRight[frame] = Int16(clamping: right[frame])
                    interleaved[2 * frame] = outLeft[frame]
                    interleaved[2 * frame + 1] = outRight[frame]
                }
                try wav?.append(interleaved: interleaved, frames: count)
                try mp3?.encode(left: outLeft, right: outRight, frames: count, using: output)
                start += Int64(count)
            }
            try wav?.finish()
            try mp3?.finish(using: output)
        } catch let error as StorageError {
            unlink(path)
            throw error
        } catch {
            unlink(path)
            throw StorageError("cannot write the merged file: \(error)")
        }
        return total
    }
}
