import RecordingModel
import Storage
import Testing
@testable import Archive

/// STORERECORDING's edits and keys, checked against a recording before any file is touched.
@Suite("Store requests: times to frames, masks to channels, keys")
struct StoreRequestTests {
    /// A 16 kHz recording of 10 s that started at Unix ms 1,700,000,000,000: caller on channel 0, callee on 1.
    let record = RecordingRecord(
        recordingId: "r1", state: .ready, sipRecCallId: "c", calledParty: "", domain: "example.com", sourceAddress: "",
        startTime: 1_700_000_000_000, masterPath: "m", streams: [StreamRecord(mLineIndex: 0, channel: 0, role: "caller"),
                                                                StreamRecord(mLineIndex: 1, channel: 1, role: "callee")],
        updatedAt: 0, sampleRate: 16_000)
    let frames: Int64 = 160_000

    @Test("seconds from the start become frames at the master's rate; the whole recording when there is no trim")
    func relativeTimes() throws {
        var parameters = StoreParameters(destinationBucket: "b")
        #expect(try StoreEdit.make(parameters, record: record, frames: frames).trim == 0..<frames)
        parameters.trim = .init(from: 1.5, to: 2.25)
        let edit = try StoreEdit.make(parameters, record: record, frames: frames)
        #expect(edit.trim == 24_000..<36_000)
        #expect(edit.sampleRate == 16_000)
    }

    @Test("absolute times are Unix milliseconds from the recording's start")
    func absoluteTimes() throws {
        var parameters = StoreParameters(destinationBucket: "b")
        parameters.absoluteTimes = true
        parameters.trim = .init(from: 1_700_000_001_000, to: 1_700_000_002_000)
        #expect(try StoreEdit.make(parameters, record: record, frames: frames).trim == 16_000..<32_000)
    }

    @Test("a mask covers its role's channels with the fill asked for; beep unless silence")
    func masks() throws {
        var parameters = StoreParameters(destinationBucket: "b")
        parameters.maskCaller = [.init(from: 1, to: 2)]
        parameters.maskCallee = [.init(from: 3, to: 4), .init(from: 5, to: 6)]
        var edit = try StoreEdit.make(parameters, record: record, frames: frames)
        #expect(edit.masks == [AudioEdit.Mask(channels: [0], range: 16_000..<32_000, fill: .beep),
                               AudioEdit.Mask(channels: [1], range: 48_000..<64_000, fill: .beep),
                               AudioEdit.Mask(channels: [1], range: 80_000..<96_000, fill: .beep)])
        parameters.maskFill = "silence"
        edit = try StoreEdit.make(parameters, record: record, frames: frames)
        #expect(edit.masks.allSatisfy { $0.fill == .silence })
    }

    @Test("a span outside the recording, empty or reversed is refused with its name and the recording's length",
          arguments: [(0.0, 10.5, "trim"), (-1.0, 2.0, "trim"), (3.0, 3.0, "trim"), (4.0, 2.0, "mask.caller")])
    func outside(from: Double, to: Double, name: String) {
        var parameters = StoreParameters(destinationBucket: "b")
        if name == "trim" { parameters.trim = .init(from: from, to: to) } else { parameters.maskCaller = [.init(from: from, to: to)] }
        #expect {
            _ = try StoreEdit.make(parameters, record: record, frames: frames)
        } throws: { error in
            let message = (error as? StorageError)?.message ?? ""
            return message.hasPrefix(name) && message.contains("outside the recording (10.0 s)")
        }
    }

    @Test("encryptionKey: a [keys] name, or an inline key only when inlineKeys allows it")
    func keys() throws {
        var settings = ArchiveSettings(dataDir: "/tmp")
        let named = [UInt8](repeating: 7, count: 32)
        settings.keys = ["archive-2026": named]
        let resolved = try EncryptionKey.resolve("archive-2026", settings)
        #expect(resolved.id == "archive-2026" && resolved.bytes == named)
        let inline = "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA="    // bytes 1…32
        #expect(throws: StorageError.self) { try EncryptionKey.resolve(inline, settings) }
        settings.inlineKeys = true
        let inlined = try EncryptionKey.resolve(inline, settings)
        #expect(inlined.id == "inline" && inlined.bytes == Array(1...32))
        #expect(throws: StorageError.self) { try EncryptionKey.resolve("unknown", settings) }
    }

    @Test("a secretAccessKeyFile's key is its first line, without surrounding spaces or tabs")
    func secretFile() {
        #expect(BucketWriter.secretAccessKey(fromFile: "  wJalrXUtnFEMI\n# rotated 2026-11\n") == "wJalrXUtnFEMI")
        #expect(BucketWriter.secretAccessKey(fromFile: "\tkey") == "key")
        #expect(BucketWriter.secretAccessKey(fromFile: "") == "")
    }
}
