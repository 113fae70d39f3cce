import Encoding

#if canImport(Glibc)
import Glibc
#endif

/// Produces a stored file from a recording's master: reads it in 1 s chunks from the trim start,
/// applies the masks, encodes once (MP3: caller channels mixed left, callee right; WAV: every master
/// channel, lossless) into a temporary file in the destination, then publishes it atomically.
public struct StoreJob: Sendable {
    public var masterPath: String
    public var edit: AudioEdit
    public var format: StoredFileName.Format
    /// For each master channel, whether it carries the caller (left in the MP3).
    public var callerChannels: [Bool]
    public var mp3Bitrate: Int
    public var mp3Quality: Int

    public init(masterPath: String, edit: AudioEdit, format: StoredFileName.Format, callerChannels: [Bool],
                mp3Bitrate: Int, mp3Quality: Int) {
        self.masterPath = masterPath
        self.edit = edit
        self.format = format
        self.callerChannels = callerChannels
        self.mp3Bitrate = mp3Bitrate
        self.mp3Quality = mp3Quality
    }

    static let chunk = 8_000

    /// Writes the edited audio to `path` (created; the caller publishes it). Returns the frames written.
    public func write(to path: String) throws(StorageError) -> Int64 {
        let master = try MasterReader(path: masterPath)
        let channels = master.channels
        guard edit.trim.lowerBound >= 0, edit.trim.upperBound <= master.frames, !edit.trim.isEmpty else {
            throw StorageError("trim \(edit.trim.lowerBound)..<\(edit.trim.upperBound) is outside the recording (0..<\(master.frames) samples)")
        }
        let buffer = UnsafeMutablePointer<Int16>.allocate(capacity: StoreJob.chunk * channels)
        let left = UnsafeMutablePointer<Int16>.allocate(capacity: StoreJob.chunk)
        let right = UnsafeMutablePointer<Int16>.allocate(capacity: StoreJob.chunk)
        defer { buffer.deallocate(); left.deallocate(); right.deallocate() }
        do {
            switch format {
            case .wav:
                let wav = try WAVWriter(path: path, channels: channels, sampleRate: master.sampleRate)
                try each(master, buffer) { count throws(EncodingError) in try wav.append(interleaved: buffer, frames: count) }
                try wav.finish()
            case .mp3:
                let mp3 = try MP3Encoder(path: path, sampleRate: master.sampleRate, bitrate: mp3Bitrate, quality: mp3Quality)
                let output = MP3OutputBuffer()
                try each(master, buffer) { count throws(EncodingError) in
                    for frame in 0..<count {
                        var l: Int32 = 0, r: Int32 = 0
                        for channel in 0..<channels {
                            let sample = Int32(buffer[frame * channels + channel])
                            if channel < callerChannels.count, callerChannels[channel] { l += sample } else { r += sample }
                        }
                        left[frame] = Int16(clamping: l)
                        right[frame] = Int16(clamping: r)
                    }
                    try mp3.encode(left: left, right: right, frames: count, using: output)
                }
                try mp3.finish(using: output)
            }
        } catch let error as StorageError {
            unlink(path)
            throw error
        } catch {
            unlink(path)
            throw StorageError("cannot write the stored file: \(error)")
        }
        return Int64(edit.trim.count)
    }

    /// Reads the trimmed span chunk by chunk, masks it, and hands each chunk's frame count to `body`.
    private func each(_ master: MasterReader, _ buffer: UnsafeMutablePointer<Int16>,
                      _ body: (Int) throws(EncodingError) -> Void) throws -> Void {
        var frame = edit.trim.lowerBound
        while frame < edit.trim.upperBound {
            let count = Int(min(Int64(StoreJob.chunk), edit.trim.upperBound - frame))
            try master.read(from: frame, count: count, into: buffer)
            edit.apply(buffer, start: frame, count: count, channels: master.channels)
            try body(count)
            frame += Int64(count)
        }
    }
}
