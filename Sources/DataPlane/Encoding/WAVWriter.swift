import SystemLayer
#if canImport(Glibc)
import Glibc
#endif

/// Writes the lossless master: RIFF/WAVE, 16-bit PCM, interleaved channels.
///
/// The header is written first with sizes that a crash would leave at zero; `finish` patches them.
/// `WAVWriter.repairHeader` fixes a file left by a crash from its length, so audio is never lost.
public final class WAVWriter {
    public let channels: Int
    public let sampleRate: Int
    private let sink: FileSink
    public private(set) var frames: Int64 = 0

    public init(path: String, channels: Int, sampleRate: Int) throws(EncodingError) {
        self.channels = channels
        self.sampleRate = sampleRate
        sink = try FileSink(creating: path)
        let header = WAVWriter.header(channels: channels, sampleRate: sampleRate, dataBytes: 0)
        try sink.append(header)
    }

    /// Appends interleaved frames (`count` frames of `channels` samples each), little-endian.
    public func append(interleaved samples: UnsafePointer<Int16>, frames count: Int) throws(EncodingError) {
        // Linux targets here are little-endian; the file format is too, so the buffer is written as is.
        try sink.append(UnsafeRawBufferPointer(start: samples, count: count * channels * 2))
        frames += Int64(count)
    }

    /// Patches the sizes and closes the file.
    public func finish() throws(EncodingError) {
        let header = WAVWriter.header(channels: channels, sampleRate: sampleRate, dataBytes: frames * Int64(channels) * 2)
        try sink.overwrite(header, at: 0)
        try sink.close()
    }

    /// The 44-byte canonical header.
    public static func header(channels: Int, sampleRate: Int, dataBytes: Int64) -> [UInt8] {
        let data = UInt32(clamping: dataBytes)
        var h: [UInt8] = []
        h.reserveCapacity(44)
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { h.append(contentsOf: $0) } }
        func u16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { h.append(contentsOf: $0) } }
        h.append(contentsOf: Array("RIFF".utf8)); u32(data &+ 36)
        h.append(contentsOf: Array("WAVEfmt ".utf8)); u32(16); u16(1); u16(UInt16(channels))
        u32(UInt32(sampleRate)); u32(UInt32(sampleRate * channels * 2)); u16(UInt16(channels * 2)); u16(16)
        h.append(contentsOf: Array("data".utf8)); u32(data)
        return h
    }
}

extension WAVWriter {
    /// Rewrites the header of a master whose writer never finished, from the file's length.
    /// Returns the frames it holds.
    public static func repairHeader(path: String, channels: Int, sampleRate: Int) throws(EncodingError) -> Int64 {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw EncodingError(code: .open, message: "cannot read \(path): \(String(cString: strerror(errno)))")
        }
        let dataBytes = max(0, Int64(info.st_size) - 44)
        let frames = dataBytes / Int64(channels * 2)
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw EncodingError(code: .open, message: "cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let header = WAVWriter.header(channels: channels, sampleRate: sampleRate, dataBytes: frames * Int64(channels * 2))
        do {
            try FileIO.writeAll(fd, Array(header[0..<44]), at: 0)
        } catch {
            throw EncodingError(code: .write, message: "cannot rewrite the header of \(path): \(error)")
        }
        return frames
    }
}
