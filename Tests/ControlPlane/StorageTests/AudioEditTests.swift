import Encoding
import Testing
@testable import Storage
import TestSupport

@Suite("Store: trim, masks, file names")
struct AudioEditTests {
    @Test("a mask replaces exactly its frames on its channels: beep or silence, the other channel untouched")
    func masks() {
        let channels = 2, count = 100
        let buffer = UnsafeMutablePointer<Int16>.allocate(capacity: count * channels)
        defer { buffer.deallocate() }
        for i in 0..<(count * channels) { buffer[i] = Int16(i % 1000 + 1) }
        let edit = AudioEdit(trim: 0..<1000, masks: [
            .init(channels: [0], range: 120..<130, fill: .beep), .init(channels: [1], range: 140..<145, fill: .silence),
        ])
        edit.apply(buffer, start: 100, count: count, channels: channels)
        for frame in 0..<count {
            let at = Int64(100 + frame)
            let left = buffer[frame * 2], right = buffer[frame * 2 + 1]
            if (120..<130).contains(at) {
                #expect(left == AudioEdit.beepPeriod(rate: 8000)[Int((at - 120) % 8)])
            } else {
                #expect(left == Int16((frame * 2) % 1000 + 1))
            }
            #expect(right == ((140..<145).contains(at) ? 0 : Int16((frame * 2 + 1) % 1000 + 1)))
        }
    }

    @Test("the beep is the same 1 kHz tone at -12 dBFS at every master rate", arguments: [8000, 16000, 48000])
    func beep(rate: Int) {
        let period = AudioEdit.beepPeriod(rate: rate)
        #expect(period.count == rate / 1000)
        #expect(period.max() == 8192 && period.min() == -8192 && period[0] == 0)
        // A mask at this rate is that period, repeated from the mask's start.
        let buffer = UnsafeMutablePointer<Int16>.allocate(capacity: 200)
        defer { buffer.deallocate() }
        buffer.initialize(repeating: 1, count: 200)
        AudioEdit(trim: 0..<200, masks: [.init(channels: [0], range: 10..<200, fill: .beep)], sampleRate: rate)
            .apply(buffer, start: 0, count: 200, channels: 1)
        #expect((10..<200).allSatisfy { buffer[$0] == period[($0 - 10) % period.count] } && buffer[9] == 1)
    }

    @Test("file names: one component, no dot start, no control, bidi or zero-width characters, .mp3 or .wav", arguments: [
        ("../x.mp3", false), ("a/b.mp3", false), ("a\\b.mp3", false), (".hidden.mp3", false), ("x\u{7}.mp3", false),
        ("x.ogg", false), ("", false), (String(repeating: "a", count: 201) + ".mp3", false), ("call 1.MP3", true), ("c.wav", true),
        ("x\u{9B}2J.mp3", false), ("x\u{85}.mp3", false), ("invoice\u{202E}3pm.exe.mp3", false), ("a\u{200B}b.mp3", false),
        ("a\u{2066}b.wav", false), ("\u{FEFF}a.mp3", false), ("Anruf Müller 😀.mp3", true), ("مكالمة.wav", true),
    ])
    func fileNames(name: String, ok: Bool) {
        #expect(((try? StoredFileName.validate(name)) != nil) == ok, "\(name)")
    }

    @Test("a stored WAV holds the trimmed span of the master with the mask, bit for bit; publishing never overwrites")
    func storeWAV() throws {
        let directory = TemporaryDirectory("siprecd-storage")
        defer { directory.remove() }
        let dir = directory.path
        let master = "\(dir)/master.wav"
        let writer = try WAVWriter(path: master, channels: 2, sampleRate: 8000)
        var samples = [Int16](repeating: 0, count: 16_000 * 2)
        for i in samples.indices { samples[i] = Int16(truncatingIfNeeded: i * 7) }
        try samples.withUnsafeBufferPointer { try writer.append(interleaved: $0.baseAddress!, frames: 16_000) }
        try writer.finish()
        let edit = AudioEdit(trim: 1000..<12_000, masks: [.init(channels: [1], range: 2000..<3000, fill: .beep)])
        let job = StoreJob(masterPath: master, edit: edit, format: .wav, callerChannels: [true, false], mp3Bitrate: 32, mp3Quality: 5)
        let bucket = DirectoryBucket(path: dir, overwrite: false)
        try bucket.store(name: "out.wav") { (path: String) throws(StorageError) in _ = try job.write(to: path) }
        let stored = try MasterReader(path: "\(dir)/out.wav")
        #expect(stored.frames == 11_000 && stored.channels == 2)
        let buffer = UnsafeMutablePointer<Int16>.allocate(capacity: 11_000 * 2)
        defer { buffer.deallocate() }
        try stored.read(from: 0, count: 11_000, into: buffer)
        for frame in 0..<11_000 {
            let source = frame + 1000
            #expect(buffer[frame * 2] == samples[source * 2])
            let masked = (2000..<3000).contains(source)
            #expect(buffer[frame * 2 + 1] == (masked ? AudioEdit.beepPeriod(rate: 8000)[(source - 2000) % 8] : samples[source * 2 + 1]))
        }
        #expect(throws: StorageError.self) {
            try bucket.store(name: "out.wav") { (path: String) throws(StorageError) in _ = try job.write(to: path) }
        }
        let outside = StoreJob(masterPath: master, edit: AudioEdit(trim: 0..<20_000), format: .wav, callerChannels: [], mp3Bitrate: 32, mp3Quality: 5)
        #expect(throws: StorageError.self) { try outside.write(to: "\(dir)/never.wav") }
        #expect(access("\(dir)/never.wav", F_OK) != 0)
    }
}

#if canImport(Glibc)
import Glibc
#endif
