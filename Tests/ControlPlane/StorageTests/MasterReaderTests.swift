import Encoding
import Storage
import Testing
#if canImport(Glibc)
import Glibc
#endif
import TestSupport

@Suite("Reading a recording's master")
struct MasterReaderTests {
    /// A 2-channel 8 kHz master of `frames` frames whose samples count up.
    static func master(frames: Int) throws -> String {
        let path = TemporaryDirectory("siprecd-master").file("master.wav")
        let writer = try WAVWriter(path: path, channels: 2, sampleRate: 8_000)
        let samples = (0..<(frames * 2)).map { Int16(truncatingIfNeeded: $0) }
        try samples.withUnsafeBufferPointer { buffer in try writer.append(interleaved: buffer.baseAddress!, frames: frames) }
        try writer.finish()
        return path
    }

    @Test("Frames the master has read back exactly; past its end (a recording still being written) read as silence")
    func readsAndPads() throws {
        let path = try MasterReaderTests.master(frames: 1_000)
        defer { unlink(path) }
        let reader = try MasterReader(path: path)
        #expect(reader.frames == 1_000 && reader.channels == 2)
        let buffer = UnsafeMutablePointer<Int16>.allocate(capacity: 400)
        defer { buffer.deallocate() }
        buffer.initialize(repeating: 7, count: 400)
        #expect(try reader.read(from: 900, count: 200, into: buffer) == 100)
        #expect((0..<200).allSatisfy { buffer[$0] == Int16(1_800 + $0) })
        #expect((200..<400).allSatisfy { buffer[$0] == 0 })
    }

    @Test("A master that lost frames it had when opened (truncated, a failing disk) throws instead of reading as silence")
    func shortReadThrows() throws {
        let path = try MasterReaderTests.master(frames: 1_000)
        defer { unlink(path) }
        let reader = try MasterReader(path: path)
        var info = stat()
        #expect(stat(path, &info) == 0)
        #expect(truncate(path, info.st_size - 500 * 4) == 0)      // the last 500 frames gone
        let buffer = UnsafeMutablePointer<Int16>.allocate(capacity: 400)
        defer { buffer.deallocate() }
        #expect(try reader.read(from: 0, count: 200, into: buffer) == 200)
        #expect {
            try reader.read(from: 400, count: 200, into: buffer)
        } throws: { error in
            "\(error)".contains("the master ended at frame 500, 1000 frames when it was opened")
        }
    }
}
