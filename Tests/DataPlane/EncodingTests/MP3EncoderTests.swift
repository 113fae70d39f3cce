import Testing
import Encoding
#if canImport(Glibc)
import Glibc
#endif
import TestSupport

/// Runs a program with arguments and no shell; returns its exit status (or -1 if it could not start).
private func run(_ program: String, _ arguments: [String]) -> Int32 {
    var argv: [UnsafeMutablePointer<CChar>?] = ([program] + arguments).map { strdup($0) } + [nil]
    defer { for arg in argv { free(arg) } }
    var env: [UnsafeMutablePointer<CChar>?] = [nil]
    var pid: pid_t = 0
    guard posix_spawn(&pid, program, nil, nil, &argv, &env) == 0 else { return -1 }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    return (status & 0x7F) == 0 ? (status >> 8) & 0xFF : -1
}

/// The PCM a decoder wrote as WAV: format and interleaved samples, found by walking the chunks.
private struct DecodedWAV {
    var channels = 0, rate = 0, bits = 0
    var samples: [Int16] = []

    init?(_ bytes: [UInt8]) {
        guard bytes.count >= 12, tag(bytes, 0) == "RIFF", tag(bytes, 8) == "WAVE" else { return nil }
        var at = 12
        while at + 8 <= bytes.count {
            let id = tag(bytes, at)
            var size = u32(bytes, at + 4)
            let body = at + 8
            if id == "fmt " {
                channels = u16(bytes, body + 2); rate = u32(bytes, body + 4); bits = u16(bytes, body + 14)
            } else if id == "data" {
                if size > bytes.count - body { size = bytes.count - body }  // a streaming writer's placeholder
                samples = (0..<(size / 2)).map { Int16(bitPattern: UInt16(u16(bytes, body + 2 * $0))) }
                return
            }
            at = body + size + (size & 1)
        }
        return nil
    }

    func channel(_ c: Int) -> [Int16] { stride(from: c, to: samples.count, by: channels).map { samples[$0] } }
}

/// Power of one frequency in a signal (Goertzel).
private func power(at frequency: Double, in signal: ArraySlice<Int16>, rate: Double) -> Double {
    let coefficient = 2 * cos(2 * Double.pi * frequency / rate)
    var s1 = 0.0, s2 = 0.0
    for x in signal {
        let s0 = Double(x) + coefficient * s1 - s2
        s2 = s1; s1 = s0
    }
    return s1 * s1 + s2 * s2 - coefficient * s1 * s2
}

/// The strongest frequency between 100 Hz and 3.5 kHz, in 5 Hz steps.
private func dominantFrequency(_ signal: ArraySlice<Int16>, rate: Double) -> Double {
    var best = 0.0, bestPower = -1.0
    for f in stride(from: 100.0, through: 3_500.0, by: 5.0) {
        let p = power(at: f, in: signal, rate: rate)
        if p > bestPower { bestPower = p; best = f }
    }
    return best
}

@Suite("MP3 copy")
struct MP3EncoderTests {
    static let mpg123 = "/usr/bin/mpg123"

    static let frames = 40_000
    static let left = (0..<frames).map { Int16((8_000 * sin(2 * Double.pi * 440 * Double($0) / 8000)).rounded()) }
    static let right = (0..<frames).map { Int16((8_000 * sin(2 * Double.pi * 1_000 * Double($0) / 8000)).rounded()) }

    /// Feeds the encoder the tones from `start` in `chunk`-frame steps; returns the next frame.
    private func feed(_ encoder: MP3Encoder, from start: Int, frames: Int, chunk: Int, output: MP3OutputBuffer) throws -> Int {
        var start = start
        let end = min(Self.frames, start + frames)
        while start < end {
            let count = min(chunk, end - start)
            try Self.left.withUnsafeBufferPointer { l in
                try Self.right.withUnsafeBufferPointer { r in
                    try encoder.encode(left: l.baseAddress! + start, right: r.baseAddress! + start, frames: count, using: output)
                }
            }
            start += count
        }
        return start
    }

    /// Encodes five seconds: 440 Hz on the left (caller), 1 kHz on the right (callee).
    private func encodeTones(to path: String, chunk: Int = 1_600) throws {
        let output = MP3OutputBuffer()
        let encoder = try MP3Encoder(path: path, sampleRate: 8000, bitrate: 32, quality: 5)
        _ = try feed(encoder, from: 0, frames: Self.frames, chunk: chunk, output: output)
        try encoder.finish(using: output)
    }

    @Test("The MP3 bytes do not depend on the chunk size, and encoders sharing one output buffer write the same files")
    func chunkingAndSharedOutput() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        try encodeTones(to: dir.file("1600.mp3"))
        try encodeTones(to: dir.file("37.mp3"), chunk: 37)
        try encodeTones(to: dir.file("all.mp3"), chunk: Self.frames)
        let reference = readBytes(dir.file("1600.mp3"))
        #expect(reference.count > 15_000)
        #expect(readBytes(dir.file("37.mp3")) == reference)
        #expect(readBytes(dir.file("all.mp3")) == reference)
        // Two calls on one encoder thread: their chunks alternate through the same output buffer.
        let shared = MP3OutputBuffer()
        let a = try MP3Encoder(path: dir.file("a.mp3"), sampleRate: 8000, bitrate: 32, quality: 5)
        let b = try MP3Encoder(path: dir.file("b.mp3"), sampleRate: 8000, bitrate: 32, quality: 5)
        var nextA = 0, nextB = 0
        while nextA < Self.frames || nextB < Self.frames {
            nextA = try feed(a, from: nextA, frames: 1_600, chunk: 1_600, output: shared)
            nextB = try feed(b, from: nextB, frames: 700, chunk: 700, output: shared)
        }
        try a.finish(using: shared)
        try b.finish(using: shared)
        #expect(readBytes(dir.file("a.mp3")) == reference)
        #expect(readBytes(dir.file("b.mp3")) == reference)
    }

    @Test("The MP3 file starts with an MPEG-2.5 Layer III frame carrying the Info tag")
    func frameHeader() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("call.mp3")
        try encodeTones(to: path)
        let bytes = readBytes(path)
        // 5 s at 32 kbit/s is about 20 kB.
        #expect(bytes.count > 15_000 && bytes.count < 25_000)
        try #require(bytes.count > 200)
        #expect(bytes[0] == 0xFF && bytes[1] & 0xE0 == 0xE0, "frame sync")
        #expect((bytes[1] >> 3) & 0x03 == 0, "MPEG 2.5 (8 kHz)")
        #expect((bytes[1] >> 1) & 0x03 == 1, "Layer III")
        #expect((bytes[2] >> 2) & 0x03 == 2, "8000 Hz sample-rate index in MPEG 2.5")
        let firstFrame = String(decoding: bytes[0..<200].map { $0 >= 32 && $0 < 127 ? $0 : 46 }, as: UTF8.self)
        #expect(firstFrame.contains("Info") || firstFrame.contains("Xing"), "LAME/Xing info frame")
    }

    @Test("mpg123 decodes the MP3 to five seconds of 8 kHz stereo with 440 Hz left and 1 kHz right",
          .enabled(if: access(mpg123, X_OK) == 0, "mpg123 is not installed"))
    func decodesWithMpg123() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let mp3 = dir.file("call.mp3"), wav = dir.file("decoded.wav")
        try encodeTones(to: mp3)
        #expect(run(Self.mpg123, ["-q", "-w", wav, mp3]) == 0)
        let decoded = try #require(DecodedWAV(readBytes(wav)))
        #expect(decoded.channels == 2)
        #expect(decoded.rate == 8000)
        #expect(decoded.bits == 16)
        let frames = decoded.samples.count / 2
        #expect(abs(frames - 40_000) <= 576, "decoded \(frames) frames")
        try #require(frames > 20_000)
        let left = decoded.channel(0), right = decoded.channel(1)
        let window = 4_000..<12_000  // one second from 0.5 s on
        let leftPeak = dominantFrequency(left[window], rate: 8000)
        let rightPeak = dominantFrequency(right[window], rate: 8000)
        #expect(abs(leftPeak - 440) <= 10, "left channel peaks at \(leftPeak) Hz")
        #expect(abs(rightPeak - 1_000) <= 10, "right channel peaks at \(rightPeak) Hz")
        // Channels are not swapped or mixed: each holds little of the other's tone.
        #expect(power(at: 1_000, in: left[window], rate: 8000) * 100 < power(at: 440, in: left[window], rate: 8000))
        #expect(power(at: 440, in: right[window], rate: 8000) * 100 < power(at: 1_000, in: right[window], rate: 8000))
    }
}
