#if canImport(Glibc)
import Glibc
#endif
import MediaCore
import Testing
import Wire
@testable import Pipeline
import Storage
import TestSupport

@Suite("Encoder scratch shared by the recordings of one encoder thread")
struct EncoderScratchTests {
    /// Every sample of a mono master.
    private func samples(_ path: String) throws -> [Int16] {
        let master = try MasterReader(path: path)
        var samples = [Int16](repeating: 0, count: Int(master.frames) * master.channels)
        try samples.withUnsafeMutableBufferPointer { try master.read(from: 0, count: Int(master.frames), into: $0.baseAddress!) }
        return samples
    }

    @Test("A channel no stream fills is silence, never the audio the previous call left in the scratch")
    func reusedScratchNeverLeaks() throws {
        let directory = TemporaryDirectory("siprecd-scratch")
        defer { directory.remove() }
        let dir = directory.path
        let driver = OfflineMediaDriver()
        let key = EndpointKey(ipv4: 0x7F00_0001, port: 30_000)
        let stream = try MediaStream(label: nil, mLineIndex: 0, role: .caller, channel: 0,
                                 payloads: StreamPayloads(audioPayloadType: 0, codec: .pcmu),
                                 timing: ReassemblyTiming(), originNanos: 0, socket: nil, key: key)
        let settings = EncoderSettings(mp3: false)
        let loud = try RecordingPipeline(id: "a", streams: [stream], originNanos: 0, masterPath: "\(dir)/a.wav",
                                         mp3Path: "\(dir)/a.mp3", settings: settings)
        driver.attach(loud)
        // One second of full-scale PCMU (0x00 decodes to -32124), 20 ms packets.
        let source = EndpointKey(ipv4: 0x7F00_0001, port: 40_000)
        for n in 0..<50 {
            var packet: [UInt8] = [0x80, 0, UInt8(n >> 8), UInt8(n & 0xFF)]
            let timestamp = UInt32(n * 160)
            packet += [UInt8(timestamp >> 24), UInt8(timestamp >> 16 & 0xFF), UInt8(timestamp >> 8 & 0xFF), UInt8(timestamp & 0xFF)]
            packet += [0, 0, 0x5E, 0xED] + [UInt8](repeating: 0x00, count: 160)
            let nanos = Int64(n) * 20_000_000
            packet.withUnsafeBytes { _ = driver.deliver(destination: key, source: source, payload: $0, atNanos: nanos) }
            _ = driver.advance(toNanos: nanos)
        }
        driver.finish(loud, atNanos: 1_000_000_000)
        #expect(driver.advance(toNanos: 1_500_000_000).count == 1)
        let first = try samples("\(dir)/a.wav")
        #expect(first.count == 8_000 && first.allSatisfy { $0 == -32_124 }, "the first call is loud throughout")

        // A recording with no stream (every m-line refused) after it, through the same encoder scratch.
        let empty = try RecordingPipeline(id: "b", streams: [], originNanos: 1_500_000_000, masterPath: "\(dir)/b.wav",
                                          mp3Path: "\(dir)/b.mp3", settings: settings)
        driver.attach(empty)
        driver.finish(empty, atNanos: 2_500_000_000)
        #expect(driver.advance(toNanos: 3_000_000_000).count == 1)
        let second = try samples("\(dir)/b.wav")
        #expect(second.count == 8_000)
        #expect(second.allSatisfy { $0 == 0 }, "silence, not the previous call's audio")
    }
}
