import Encoding
#if canImport(Glibc)
import Glibc
#endif

/// A deterministic stereo test signal at 8 kHz (or `sampleRate`): a 440 Hz tone on the left, 1 kHz (plus a
/// little 2.5 kHz) on the right, both with white noise at about -30 dBFS.
struct TestSignal: ~Copyable {
    let sampleRate: Int
    let frames: Int
    let left: UnsafeMutablePointer<Int16>
    let right: UnsafeMutablePointer<Int16>
    let interleaved: UnsafeMutablePointer<Int16>

    init(seconds: Int, sampleRate: Int = 8_000) {
        self.sampleRate = sampleRate
        frames = seconds * sampleRate
        left = .allocate(capacity: frames)
        right = .allocate(capacity: frames)
        interleaved = .allocate(capacity: frames * 2)
        var noise = LCG(state: 0xA0D10)
        for i in 0..<frames {
            let t = Double(i) / Double(sampleRate)
            let n1 = Double(Int(noise.next() >> 53) - 1024) / 1024.0
            let n2 = Double(Int(noise.next() >> 53) - 1024) / 1024.0
            let l = 0.5 * sin(2 * Double.pi * 440 * t) + 0.03 * n1
            let r = 0.4 * sin(2 * Double.pi * 1000 * t) + 0.1 * sin(2 * Double.pi * 2500 * t) + 0.03 * n2
            left[i] = Int16(clamping: Int((l * 32767).rounded()))
            right[i] = Int16(clamping: Int((r * 32767).rounded()))
            interleaved[2 * i] = left[i]
            interleaved[2 * i + 1] = right[i]
        }
    }

    deinit {
        left.deallocate()
        right.deallocate()
        interleaved.deallocate()
    }
}

struct EncodeRun {
    var cpuNanos: Int64
    var wallNanos: Int64
    var outputBytes: Int64
    /// Allocations during the first `encode` call (LAME sizes its input buffers lazily).
    var firstChunkAllocations: UInt64 = 0
    /// Allocations during all later `encode` calls, and how many calls that was.
    var steadyAllocations: UInt64 = 0
    var steadyChunks: Int = 0
}

enum MP3Settings {
    static let bitrate = 32
    static let quality = 5
    /// The daemon's encoder step (Pipeline's EncoderSettings: 200 ms), and 1 s for comparison.
    static let chunkFrames = 1600
    static let longChunkFrames = 8000
    static let lame = "/usr/bin/lame"
    /// The lame CLI with the encoder's settings. The CLI also runs ReplayGain analysis by default, which
    /// MP3Encoder (the library's default) does not: `noReplayGain` adds `--noreplaygain` for a like-for-like run.
    static func lameArguments(input: String, output: String, noReplayGain: Bool = false, sampleRate: Int = 8_000) -> [String] {
        ["lame", "--quiet", "-b", "\(bitrate)", "--cbr", "-q", "\(quality)", "-m", "s", "--resample", "\(sampleRate / 1000)"]
            + (noReplayGain ? ["--noreplaygain"] : []) + [input, output]
    }
}

func fileSize(_ path: String) -> Int64 {
    var info = stat()
    return stat(path, &info) == 0 ? Int64(info.st_size) : -1
}

/// Encodes the whole signal with `MP3Encoder` in `chunk`-frame steps, counting CPU from creation to `finish`.
func runMP3Encoder(_ signal: borrowing TestSignal, path: String, chunk: Int = MP3Settings.chunkFrames) throws -> EncodeRun {
    let cpu0 = Measure.cpu(), wall0 = Measure.wall()
    let encoder = try MP3Encoder(path: path, sampleRate: signal.sampleRate, bitrate: MP3Settings.bitrate,
                                 quality: MP3Settings.quality)
    let output = MP3OutputBuffer()
    var run = EncodeRun(cpuNanos: 0, wallNanos: 0, outputBytes: 0)
    var offset = 0
    while offset < signal.frames {
        let count = min(chunk, signal.frames - offset)
        let a0 = Measure.allocations()
        try encoder.encode(left: signal.left + offset, right: signal.right + offset, frames: count, using: output)
        let allocated = Measure.allocations() - a0
        if offset == 0 {
            run.firstChunkAllocations = allocated
        } else {
            run.steadyAllocations += allocated
            run.steadyChunks += 1
        }
        offset += count
    }
    try encoder.finish(using: output)
    run.cpuNanos = Measure.cpu() - cpu0
    run.wallNanos = Measure.wall() - wall0
    run.outputBytes = fileSize(path)
    return run
}

struct SpawnError: Error, CustomStringConvertible {
    var description: String
}

/// Runs the lame CLI on the WAV and measures the child's CPU time (user + system, from wait4).
func runLameCLI(input: String, output: String, noReplayGain: Bool = false, sampleRate: Int = 8_000) throws -> EncodeRun {
    let arguments = MP3Settings.lameArguments(input: input, output: output, noReplayGain: noReplayGain, sampleRate: sampleRate)
    var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
    argv.append(nil)
    defer { for p in argv { free(p) } }
    var pid: pid_t = 0
    let wall0 = Measure.wall()
    let rc = posix_spawn(&pid, MP3Settings.lame, nil, nil, argv, environ)
    guard rc == 0 else { throw SpawnError(description: "cannot run \(MP3Settings.lame): \(String(cString: strerror(rc)))") }
    var status: Int32 = 0
    var usage = rusage()
    while wait4(pid, &status, 0, &usage) < 0 {
        guard errno == EINTR else { throw SpawnError(description: "wait4 failed: \(String(cString: strerror(errno)))") }
    }
    let wall1 = Measure.wall()
    // WIFEXITED && WEXITSTATUS == 0
    guard status & 0x7F == 0, (status >> 8) & 0xFF == 0 else {
        throw SpawnError(description: "\(arguments.joined(separator: " ")) failed (status \(status))")
    }
    return EncodeRun(cpuNanos: Measure.cpuNanos(usage), wallNanos: wall1 - wall0, outputBytes: fileSize(output))
}
