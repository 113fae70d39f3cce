import SystemLayer
#if canImport(Glibc)
import Glibc
#endif

/// Reads a recording's lossless master (16-bit PCM WAV, as `WAVWriter` writes it) in chunks, by frame.
/// The frame count comes from the file size, so a master whose header was never finalised still reads.
public final class MasterReader {
    public let channels: Int
    public let sampleRate: Int
    public let frames: Int64
    private let descriptor: Int32
    private let dataOffset: Int64

    public init(path: String) throws(StorageError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw StorageError("cannot open the master \(path): \(String(cString: strerror(errno)))") }
        var header = [UInt8](repeating: 0, count: 4096)
        let count: Int
        do {
            count = try FileIO.readFully(fd, into: &header, at: 0)
        } catch {
            close(fd)
            throw StorageError("cannot read the master \(path): \(error)")
        }
        func u32(_ at: Int) -> Int { Int(header[at]) | Int(header[at + 1]) << 8 | Int(header[at + 2]) << 16 | Int(header[at + 3]) << 24 }
        func u16(_ at: Int) -> Int { Int(header[at]) | Int(header[at + 1]) << 8 }
        guard count >= 44, header[0..<4].elementsEqual("RIFF".utf8), header[8..<12].elementsEqual("WAVE".utf8) else {
            close(fd)
            throw StorageError("the master \(path) is not a WAV file")
        }
        var at = 12, channels = 0, rate = 0, bits = 0, data = -1
        while at + 8 <= count {
            let size = u32(at + 4)
            if header[at..<(at + 4)].elementsEqual("fmt ".utf8), at + 24 <= count {
                channels = u16(at + 10); rate = u32(at + 12); bits = u16(at + 22)
            } else if header[at..<(at + 4)].elementsEqual("data".utf8) {
                data = at + 8
                break
            }
            at += 8 + size + (size & 1)
        }
        guard data > 0, channels > 0, bits == 16, rate > 0 else {
            close(fd)
            throw StorageError("the master \(path) is not 16-bit PCM")
        }
        var info = stat()
        fstat(fd, &info)
        descriptor = fd
        self.channels = channels
        sampleRate = rate
        dataOffset = Int64(data)
        frames = max(0, (Int64(info.st_size) - Int64(data)) / Int64(channels * 2))
    }

    deinit { close(descriptor) }

    /// Whole frames in the file now: more than `frames` while the recording that writes it is still going.
    public func currentFrames() -> Int64 {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return frames }
        return max(0, (Int64(info.st_size) - dataOffset) / Int64(channels * 2))
    }

    /// Reads `count` frames from `frame` into `buffer` (interleaved); returns how many frames the file had.
    /// Frames past the end the file had when it was opened (``frames``) read as silence when the file has not
    /// reached them yet (a recording still being written); a master that gives fewer of its own frames than
    /// that (it shrank, or the disk failed) throws instead of reading as silence.
    @discardableResult
    public func read(from frame: Int64, count: Int, into buffer: UnsafeMutablePointer<Int16>) throws(StorageError) -> Int {
        let frameBytes = channels * 2
        let bytes = count * frameBytes
        let got: Int
        do {
            got = try FileIO.readFully(descriptor, into: UnsafeMutableRawBufferPointer(start: buffer, count: bytes),
                                       at: dataOffset + frame * Int64(frameBytes))
        } catch {
            throw StorageError("cannot read the master at frame \(frame): \(error)")
        }
        let owed = Int(max(0, min(Int64(count), frames - frame)))
        guard got >= owed * frameBytes else {
            throw StorageError("the master ended at frame \(frame + Int64(got / frameBytes)), \(frames) frames when it was opened")
        }
        if got < bytes { (UnsafeMutableRawPointer(buffer) + got).initializeMemory(as: UInt8.self, repeating: 0, count: bytes - got) }
        return got / frameBytes
    }
}
