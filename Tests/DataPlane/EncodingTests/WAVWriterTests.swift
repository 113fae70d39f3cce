import Testing
import Encoding
#if canImport(Glibc)
import Glibc
#endif
import TestSupport

@Suite("WAV master")
struct WAVWriterTests {
    /// A recognisable stereo pattern: left counts up, right counts down through negatives.
    private func pattern(frames: Int, from start: Int) -> [Int16] {
        (start..<(start + frames)).flatMap { n in [Int16(truncatingIfNeeded: n * 7), Int16(truncatingIfNeeded: -n * 13 - 1)] }
    }

    private func checkHeader(_ bytes: [UInt8], channels: Int, rate: Int, frames: Int) {
        #expect(tag(bytes, 0) == "RIFF")
        #expect(u32(bytes, 4) == 36 + frames * channels * 2)
        #expect(tag(bytes, 8) == "WAVE")
        #expect(tag(bytes, 12) == "fmt ")
        #expect(u32(bytes, 16) == 16)
        #expect(u16(bytes, 20) == 1)  // PCM
        #expect(u16(bytes, 22) == channels)
        #expect(u32(bytes, 24) == rate)
        #expect(u32(bytes, 28) == rate * channels * 2)  // byte rate
        #expect(u16(bytes, 32) == channels * 2)  // block align
        #expect(u16(bytes, 34) == 16)
        #expect(tag(bytes, 36) == "data")
        #expect(u32(bytes, 40) == frames * channels * 2)
    }

    @Test("A finished master has a correct header and exactly the samples that were appended",
          arguments: [(2, 8000), (3, 8000), (1, 16000)])
    func finishedFile(channels: Int, rate: Int) throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("master.wav")
        let writer = try WAVWriter(path: path, channels: channels, sampleRate: rate)
        var written: [Int16] = []
        for (start, frames) in [(0, 1_000), (1_000, 1), (1_001, 4_095)] {
            let chunk = (start..<(start + frames)).flatMap { n in (0..<channels).map { c in Int16(truncatingIfNeeded: n * 7 - c * 1_001) } }
            try chunk.withUnsafeBufferPointer { try writer.append(interleaved: $0.baseAddress!, frames: frames) }
            written += chunk
        }
        #expect(writer.frames == 5_096)
        try writer.finish()
        let bytes = readBytes(path)
        #expect(bytes.count == 44 + written.count * 2)
        checkHeader(bytes, channels: channels, rate: rate, frames: 5_096)
        #expect(samples(bytes, from: 44, count: written.count) == written)
    }

    @Test("An empty recording is a valid WAV file with no data")
    func emptyFile() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let writer = try WAVWriter(path: dir.file("empty.wav"), channels: 2, sampleRate: 8000)
        try writer.finish()
        let bytes = readBytes(dir.file("empty.wav"))
        #expect(bytes.count == 44)
        checkHeader(bytes, channels: 2, rate: 8000, frames: 0)
    }

    @Test("A master whose writer never finished is repaired to the frames it holds, audio untouched")
    func repairAfterCrash() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("crashed.wav")
        let written = pattern(frames: 12_345, from: 0)
        do {
            // The writer goes away without `finish`, as after a crash: sizes stay zero.
            let writer = try WAVWriter(path: path, channels: 2, sampleRate: 8000)
            try written.withUnsafeBufferPointer { try writer.append(interleaved: $0.baseAddress!, frames: 12_345) }
        }
        let before = readBytes(path)
        #expect(u32(before, 40) == 0)
        // A torn last frame (3 of its 4 bytes) must not count.
        appendBytes([1, 2, 3], to: path)
        let frames = try WAVWriter.repairHeader(path: path, channels: 2, sampleRate: 8000)
        #expect(frames == 12_345)
        let after = readBytes(path)
        checkHeader(after, channels: 2, rate: 8000, frames: 12_345)
        #expect(samples(after, from: 44, count: written.count) == written)
    }

    @Test("Repairing a file that does not exist reports an error instead of creating it")
    func repairMissing() {
        #expect(throws: EncodingError.self) {
            _ = try WAVWriter.repairHeader(path: "/tmp/siprecd-no-such-dir/none.wav", channels: 2, sampleRate: 8000)
        }
    }

    @Test("A master cannot be created where there is no directory")
    func createFails() {
        #expect(throws: EncodingError.self) {
            _ = try WAVWriter(path: "/tmp/siprecd-no-such-dir/master.wav", channels: 2, sampleRate: 8000)
        }
    }
}
