// siprecd-bench: the capture path (RTP reassembly + G.711 decode) and the MP3 path, timed.
//
//   siprecd-bench [--markdown] [--packets N] [--repetitions R] [--seconds S]
//   siprecd-bench --check-allocations     (the allocation regression guard run by make test)
//
// Run through `make bench` (scripts/bench.sh), which builds in release mode first. See BENCHMARKS.md.
import Encoding
import MediaCore
import CMallocCounter
#if canImport(Glibc)
import Glibc
#endif

// MARK: Options

/// `scripts/bench_load.py --codec` names.
let loadCodecs: [String: AudioCodec] = ["pcmu": .pcmu, "g729": .g729, "g726-32": .g726_32, "amr": .amr, "g722": .g722,
                                         "amr-wb": .amrWB, "opus": .opus]

var markdown = false
var packetCount = 2_000_000
var repetitions = 5
var signalSeconds = 60
var checkAllocations = false
/// Sections 1 and 12 only (the packet path per codec), then exit.
var codecsOnly = false
/// Section 13 only (SRTP unprotect), then exit.
var srtpOnly = false
var arguments = CommandLine.arguments.dropFirst()
while let option = arguments.popFirst() {
    func value() -> Int {
        guard let text = arguments.popFirst(), let n = Int(text), n > 0 else {
            fail("\(option) needs a positive integer", status: 2)
        }
        return n
    }
    switch option {
    case "--markdown": markdown = true
    case "--packets": packetCount = value()
    case "--repetitions": repetitions = value()
    case "--seconds": signalSeconds = value()
    case "--check-allocations": checkAllocations = true
    case "--codecs": codecsOnly = true
    case "--srtp": srtpOnly = true
    case "--library-decode":
        // For `make bench-load`: the codec library's own decode loop, CPU ns per 20 ms packet (median of 3).
        guard let name = arguments.popFirst(), let codec = loadCodecs[name], let rate = arguments.popFirst().flatMap({ Int($0) }) else {
            fail("--library-decode needs a codec (\(loadCodecs.keys.sorted().joined(separator: ", "))) and a rate", status: 2)
        }
        let workload = RTPWorkload(count: 40_000, streams: 4, reorderEvery: 50, codec: codec)
        let runs = (0..<3).map { _ in libraryDecodeLoop(workload, warmup: 4_000, sampleRate: rate) ?? 0 }
        print(format(runs.sorted()[1], 1))
        exit(0)
    case "-h", "--help":
        print("usage: siprecd-bench [--markdown] [--packets N] [--repetitions R] [--seconds S] [--codecs] [--srtp] | --library-decode CODEC RATE")
        exit(0)
    default:
        fail("unknown option \(option)", status: 2)
    }
}

if checkAllocations { exit(AllocationCheck.run()) }

let streamCount = 4
let batchPackets = 256
let warmupPackets = min(20_000, packetCount / 10)
let reorderEvery = 50

// MARK: Output helpers

func format(_ value: Double, _ decimals: Int) -> String {
    var buffer = [CChar](repeating: 0, count: 64)
    _ = withVaList([value]) { vsnprintf(&buffer, buffer.count, "%.\(decimals)f", $0) }
    return cString(buffer)
}

/// The text before the first NUL of a C character buffer.
func cString(_ buffer: [CChar]) -> String {
    String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

func grouped(_ value: Int) -> String {
    let digits = String(value.magnitude)
    var out = ""
    for (i, c) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
        out.append(c)
    }
    return value < 0 ? "-" + out : out
}

@MainActor
func printTable(_ title: String, _ header: [String], _ rows: [[String]], alignLeft: Bool = false) {
    if markdown {
        print("### \(title)\n")
        print("| " + header.joined(separator: " | ") + " |")
        print("|" + header.enumerated().map { $0.offset == 0 || alignLeft ? "---" : "---:" }.joined(separator: "|") + "|")
        for row in rows { print("| " + row.joined(separator: " | ") + " |") }
        print("")
        return
    }
    var widths = header.map(\.count)
    for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
    func line(_ cells: [String]) -> String {
        cells.enumerated().map { i, cell in
            let pad = String(repeating: " ", count: widths[i] - cell.count)
            return i == 0 || alignLeft ? cell + pad : pad + cell
        }.joined(separator: "  ")
    }
    print(title)
    print(line(header))
    print(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
    for row in rows { print(line(row)) }
    print("")
}

func readFile(_ path: String) -> String {
    guard let file = fopen(path, "r") else { return "" }
    defer { fclose(file) }
    var text = ""
    var buffer = [CChar](repeating: 0, count: 4096)
    while fgets(&buffer, Int32(buffer.count), file) != nil { text += cString(buffer) }
    return text
}

// MARK: Machine

let cpuModel = readFile("/proc/cpuinfo").split(separator: "\n")
    .first { $0.hasPrefix("model name") }
    .map { $0.split(separator: ":", maxSplits: 1).last!.trimmingSpaces } ?? "unknown"
var names = utsname()
uname(&names)
func field<T>(_ value: T) -> String {
    withUnsafeBytes(of: value) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
}
let kernel = "\(field(names.sysname)) \(field(names.release)) \(field(names.machine))"
var now = time(nil)
var calendar = tm()
gmtime_r(&now, &calendar)
var dateBuffer = [CChar](repeating: 0, count: 64)
strftime(&dateBuffer, dateBuffer.count, "%Y-%m-%d %H:%M:%S UTC", &calendar)
let date = cString(dateBuffer)
let loadAverage = readFile("/proc/loadavg").split(separator: " ").prefix(3).joined(separator: " ")
let swiftVersion = getenv("SIPRECD_BENCH_SWIFT").map { String(cString: $0) } ?? "(run through scripts/bench.sh to record)"
let buildCommand = getenv("SIPRECD_BENCH_BUILD").map { String(cString: $0) } ?? "swift build -c release --product siprecd-bench"
let invocation = CommandLine.arguments.joined(separator: " ")

extension Substring {
    var trimmingSpaces: String { String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " }.reversed()) }
}

if markdown { print("## siprecd benchmark, \(date)\n") } else { print("siprecd benchmark — \(date)\n") }
let machineRows: [[String]] = [
    ["Allocation counting", siprecd_malloc_counting() != 0 ? "on (malloc family interposed)" : "unavailable (not glibc): allocation figures read 0"],
    ["CPU", cpuModel],
    ["Cores online", "\(sysconf(Int32(_SC_NPROCESSORS_ONLN)))"],
    ["Kernel", kernel],
    ["Load average at start", loadAverage],
    ["Swift", swiftVersion],
    ["Build", buildCommand],
    ["Run", invocation],
]
printTable("Machine", ["Item", "Value"], machineRows, alignLeft: true)

if srtpOnly {
    printSRTPBench(packets: min(packetCount / 4, 200_000), repetitions: repetitions)
    printSRTPDataPlane(packets: min(packetCount / 4, 200_000), repetitions: repetitions)
    exit(0)
}

// MARK: 1. Reassembler + G.711

let workload = RTPWorkload(count: packetCount, streams: streamCount, reorderEvery: reorderEvery)
var runs = [ReassemblerRun]()
for _ in 0..<repetitions {
    runs.append(runReassembler(workload, batch: batchPackets, warmup: warmupPackets))
}
// The same workload with a pause or resume edge on every stream every 4 batches (1,024 packets): the gate's
// edges, retroactive recounts and span silencing in the timed loop.
var edgedRuns = [ReassemblerRun]()
for _ in 0..<repetitions {
    edgedRuns.append(runReassembler(workload, batch: batchPackets, warmup: warmupPackets, edgeEveryBatches: 4))
}
let timed = runs[0].packets
func perPacket(_ nanos: Int64) -> Double { Double(nanos) / Double(timed) }
let wallPP = runs.map { perPacket($0.wallNanos) }
let cpuPP = runs.map { perPacket($0.cpuNanos) }
let receivePP = runs.map { perPacket($0.receiveNanos) }
let allocationsPP = runs.map { Double($0.allocations) / Double(timed) }
let maxAllocations = runs.map(\.allocations).max()!
let bestPacketsPerSecond = 1e9 / cpuPP.minimum
let callsPerCore = bestPacketsPerSecond / 100   // 50 packets/s per stream × 2 streams per call

printTable("1. Reassembler + G.711 µ-law decode (\(grouped(packetCount)) datagrams of \(workload.packetSize) bytes, \(streamCount) streams interleaved, \(workload.reordered) reordered; \(grouped(warmupPackets)) warm-up + \(grouped(timed)) timed; best and median of \(repetitions))",
    ["Measure", "best", "median"], [
    ["receive + advance, wall ns/packet", format(receivePP.minimum, 1), format(receivePP.median, 1)],
    ["receive + advance + drain, wall ns/packet", format(wallPP.minimum, 1), format(wallPP.median, 1)],
    ["receive + advance + drain, CPU ns/packet", format(cpuPP.minimum, 1), format(cpuPP.median, 1)],
    ["heap allocations/packet (timed loop)", format(allocationsPP.minimum, 6), format(allocationsPP.median, 6)],
    ["with a pause/resume edge every 1,024 packets: receive + advance + drain, CPU ns/packet",
     format(edgedRuns.map { perPacket($0.cpuNanos) }.minimum, 1), format(edgedRuns.map { perPacket($0.cpuNanos) }.median, 1)],
    ["with edges: heap allocations/packet", format(edgedRuns.map { Double($0.allocations) / Double(timed) }.minimum, 6),
     format(edgedRuns.map { Double($0.allocations) / Double(timed) }.median, 6)],
    ["packets/s per core (from CPU ns/packet)", grouped(Int(bestPacketsPerSecond)), grouped(Int(1e9 / cpuPP.median))],
    ["calls per core (2 streams × 50 packets/s)", grouped(Int(callsPerCore)), grouped(Int(1e9 / cpuPP.median / 100))],
])
let r0 = runs[0]
let detail = "advance every \(batchPackets) packets, drain after each advance; per run: late \(r0.late), duplicates \(r0.duplicates), overflows \(r0.overflows), lost \(r0.lost), samples read \(grouped(Int(r0.samplesRead))); allocations in the timed loop (max over runs): \(maxAllocations)"
print(markdown ? "_\(detail)_\n" : detail + "\n")

// MARK: 12. Reassembler + each codec's decode, against the library's own decode loop

var codecRows: [[String]] = []
for codec in [AudioCodec.g729, .g726_32, .g722, .opus, .amrOctetAligned, .amr, .amrWB] {
    let workload = RTPWorkload(count: packetCount / 4, streams: streamCount, reorderEvery: reorderEvery, codec: codec)
    var runs = [ReassemblerRun](), loops = [Double]()
    for _ in 0..<repetitions {
        runs.append(runReassembler(workload, batch: batchPackets, warmup: warmupPackets / 4))
        loops.append(libraryDecodeLoop(workload, warmup: warmupPackets / 4) ?? .nan)
    }
    let cpu = runs.map { Double($0.cpuNanos) / Double(runs[0].packets) }
    let name = codec == .amrOctetAligned ? "AMR 12.2 octet-aligned (33 B)" : codec == .amr ? "AMR 12.2 bandwidth-efficient (32 B)"
        : codec == .g729 ? "G.729 (2 × 10 B)" : codec == .g722 ? "G.722 to 8 kHz (160 B)" : codec == .opus ? "Opus 20 ms to 8 kHz (80 B)" : codec == .amrWB ? "AMR-WB 12.65 bandwidth-efficient, to 8 kHz (33 B)" : "\(codec) (\(workload.payloadBytes) B)"
    codecRows.append([name, format(cpu.minimum, 1), format(cpu.median, 1), format(loops.minimum, 1), format(loops.median, 1),
                      format(cpu.median / loops.median, 3), format(Double(runs.map(\.allocations).max()!) / Double(runs[0].packets), 6),
                      grouped(Int(1e9 / cpu.median / 100))])
}
// Into a 16 kHz master (a wideband session): the wideband decoders' output as it is, G.711 resampled up.
for codec in [AudioCodec.pcma, .g722, .opus, .amrWB] {
    let workload = RTPWorkload(count: packetCount / 4, streams: streamCount, reorderEvery: reorderEvery, codec: codec)
    var runs = [ReassemblerRun](), loops = [Double]()
    for _ in 0..<repetitions {
        runs.append(runReassembler(workload, batch: batchPackets, warmup: warmupPackets / 4, sampleRate: 16_000))
        loops.append(libraryDecodeLoop(workload, warmup: warmupPackets / 4, sampleRate: 16_000) ?? .nan)
    }
    let cpu = runs.map { Double($0.cpuNanos) / Double(runs[0].packets) }
    let name = codec == .pcma ? "G.711 (PCMA) resampled into 16 kHz (160 B)" : codec == .g722 ? "G.722 into 16 kHz (160 B)"
        : codec == .opus ? "Opus 20 ms into 16 kHz (80 B)" : "AMR-WB 12.65 into 16 kHz (33 B)"
    codecRows.append([name, format(cpu.minimum, 1), format(cpu.median, 1), format(loops.minimum, 1), format(loops.median, 1),
                      format(cpu.median / loops.median, 3), format(Double(runs.map(\.allocations).max()!) / Double(runs[0].packets), 6),
                      grouped(Int(1e9 / cpu.median / 100))])
}
printTable("12. Reassembler + codec decode against the library's own decode loop (\(grouped(packetCount / 4)) datagrams of 20 ms a codec, \(streamCount) streams; CPU ns/packet, best and median of \(repetitions))",
    ["codec", "siprecd best", "siprecd median", "library best", "library median", "ratio (medians)", "allocations/packet", "calls per core (decode only)"],
    codecRows)

// 12c. The same packet path with 1 packet in 40 lost: loss left silent against codec concealment (the packets
// after a loss held, decoded in timestamp order, the loss concealed by the decoder).
var concealmentRows: [[String]] = []
for (codec, rate) in [(AudioCodec.g729, 8_000), (.amr, 8_000), (.opus, 16_000), (.amrWB, 16_000)] {
    let workload = RTPWorkload(count: packetCount / 4, streams: streamCount, reorderEvery: reorderEvery, codec: codec, loseEvery: 40)
    var silent = [ReassemblerRun](), concealed = [ReassemblerRun]()
    for _ in 0..<repetitions {
        // An advance every 64 packets (16 a stream): the capture thread's is every 5 ms.
        silent.append(runReassembler(workload, batch: 64, warmup: warmupPackets / 4, sampleRate: rate))
        concealed.append(runReassembler(workload, batch: 64, warmup: warmupPackets / 4, sampleRate: rate, concealsLoss: true))
    }
    let packets = Double(silent[0].packets)
    let plain = silent.map { Double($0.cpuNanos) / packets }, filled = concealed.map { Double($0.cpuNanos) / packets }
    concealmentRows.append(["\(codec) at \(rate / 1000) kHz", format(plain.median, 1), format(filled.median, 1),
                            format(filled.median / plain.median, 3), grouped(Int(concealed[0].concealed)), grouped(Int(concealed[0].late)),
                            format(Double(concealed.map(\.allocations).max()!) / packets, 6)])
}
printTable("12c. Codec concealment (\(grouped(packetCount / 4)) datagrams a codec, 1 in 40 lost, 1 in \(reorderEvery) reordered; CPU ns/packet, medians of \(repetitions))",
    ["codec", "loss silent", "codec concealment", "ratio", "samples concealed", "late", "allocations/packet"], concealmentRows)

// 12d. Each stream's decoder state, as a stream opening with the codec allocates it.
var memoryRows: [[String]] = []
for codec in [AudioCodec.pcmu, .g729, .g726_32, .amr, .g722, .amrWB, .opus] {
    memoryRows.append([codec.description, grouped(decoderStateBytes(codec, sampleRate: 8_000)), grouped(decoderStateBytes(codec, sampleRate: 16_000))])
}
printTable("12d. Decoder state per stream (heap bytes per stream's decoders, made when it opens; 200 made)",
    ["codec", "into an 8 kHz master", "into a 16 kHz master"], memoryRows)
if codecsOnly { exit(0) }

// MARK: 13. SRTP (SRTPBench.swift)

printSRTPBench(packets: min(packetCount / 4, 200_000), repetitions: repetitions)
printSRTPDataPlane(packets: min(packetCount / 4, 200_000), repetitions: repetitions)

// MARK: 2. MP3

var directoryTemplate = Array("/tmp/siprecd-bench.XXXXXX".utf8CString)
guard let directoryPointer = mkdtemp(&directoryTemplate) else {
    fail("mkdtemp failed", status: 1)
}
let directory = String(cString: directoryPointer)
let wavPath = directory + "/signal.wav"
let oursPath = directory + "/ours.mp3"
let lamePath = directory + "/lame.mp3"
defer { for p in [wavPath, oursPath, lamePath] { unlink(p) }; rmdir(directory) }

let signal = TestSignal(seconds: signalSeconds)
do {
    let wav = try WAVWriter(path: wavPath, channels: 2, sampleRate: signal.sampleRate)
    try wav.append(interleaved: signal.interleaved, frames: signal.frames)
    try wav.finish()
} catch {
    fail("cannot write \(wavPath): \(error)", status: 1)
}

let lameAvailable = access(MP3Settings.lame, X_OK) == 0
var ours = [EncodeRun]()
var oursLong = [EncodeRun]()
var theirs = [EncodeRun]()
var theirsNoRG = [EncodeRun]()
do {
    for _ in 0..<repetitions {
        // Interleave the two so both see the same background load.
        ours.append(try runMP3Encoder(signal, path: oursPath))
        oursLong.append(try runMP3Encoder(signal, path: oursPath, chunk: MP3Settings.longChunkFrames))
        if lameAvailable {
            theirs.append(try runLameCLI(input: wavPath, output: lamePath))
            theirsNoRG.append(try runLameCLI(input: wavPath, output: lamePath, noReplayGain: true))
        }
    }
} catch {
    fail("\(error)", status: 1)
}

let audioSeconds = Double(signal.frames) / Double(signal.sampleRate)
func speed(_ run: EncodeRun) -> Double { audioSeconds / (Double(run.cpuNanos) / 1e9) }
let oursSpeed = ours.map(speed)
let theirsSpeed = theirs.map(speed)
let theirsNoRGSpeed = theirsNoRG.map(speed)
var mp3Rows: [[String]] = [
    ["MP3Encoder (libmp3lame, in process), \(MP3Settings.chunkFrames)-frame steps", format(oursSpeed.max()!, 0), format(oursSpeed.sorted()[oursSpeed.count / 2], 0),
     format(Double(ours.map(\.cpuNanos).min()!) / 1e6, 1), grouped(Int(ours[0].outputBytes))],
    ["MP3Encoder, \(MP3Settings.longChunkFrames)-frame steps", format(oursLong.map(speed).max()!, 0),
     format(oursLong.map(speed).sorted()[oursLong.count / 2], 0),
     format(Double(oursLong.map(\.cpuNanos).min()!) / 1e6, 1), grouped(Int(oursLong[0].outputBytes))],
]
if lameAvailable {
    mp3Rows.append(["lame CLI (\(MP3Settings.lame), child process)", format(theirsSpeed.max()!, 0),
                    format(theirsSpeed.sorted()[theirsSpeed.count / 2], 0),
                    format(Double(theirs.map(\.cpuNanos).min()!) / 1e6, 1), grouped(Int(theirs[0].outputBytes))])
    mp3Rows.append(["lame CLI --noreplaygain", format(theirsNoRGSpeed.max()!, 0),
                    format(theirsNoRGSpeed.sorted()[theirsNoRGSpeed.count / 2], 0),
                    format(Double(theirsNoRG.map(\.cpuNanos).min()!) / 1e6, 1), grouped(Int(theirsNoRG[0].outputBytes))])
    mp3Rows.append(["ratio MP3Encoder / lame CLI", format(oursSpeed.max()! / theirsSpeed.max()!, 2),
                    format(oursSpeed.sorted()[oursSpeed.count / 2] / theirsSpeed.sorted()[theirsSpeed.count / 2], 2), "", ""])
    mp3Rows.append(["ratio MP3Encoder / lame CLI --noreplaygain", format(oursSpeed.max()! / theirsNoRGSpeed.max()!, 2),
                    format(oursSpeed.sorted()[oursSpeed.count / 2] / theirsNoRGSpeed.sorted()[theirsNoRGSpeed.count / 2], 2), "", ""])
}
printTable("2. MP3, \(signalSeconds) s of 8 kHz stereo (440 Hz | 1 kHz + 2.5 kHz, + noise), \(MP3Settings.bitrate) kbit/s CBR, quality \(MP3Settings.quality); best and median of \(repetitions)",
           ["Encoder", "audio-s per CPU-s (best)", "median", "CPU ms (best)", "MP3 bytes"], mp3Rows)

let steadyChunks = ours.map(\.steadyChunks).reduce(0, +)
let steadyAllocations = ours.map(\.steadyAllocations).reduce(0, +)
var notes = [
    "MP3Encoder.encode heap allocations per \(MP3Settings.chunkFrames)-frame chunk: \(format(Double(steadyAllocations) / Double(max(steadyChunks, 1)), 3)) after the first chunk (\(steadyAllocations) in \(steadyChunks) chunks); first chunk of each encoder: \(ours.map { String($0.firstChunkAllocations) }.joined(separator: ", "))",
    "MP3Encoder CPU time covers init, \(signal.frames / MP3Settings.chunkFrames) encode calls, flush, tag and fsync; lame CLI CPU time (wait4 rusage) covers the whole process: exec, reading the WAV, and ReplayGain analysis unless --noreplaygain (MP3Encoder does none).",
]
if lameAvailable {
    notes.append("lame command: \(MP3Settings.lameArguments(input: wavPath, output: lamePath).joined(separator: " ")) (and the same with --noreplaygain); wall ms best: ours \(format(Double(ours.map(\.wallNanos).min()!) / 1e6, 1)), lame \(format(Double(theirs.map(\.wallNanos).min()!) / 1e6, 1)), lame --noreplaygain \(format(Double(theirsNoRG.map(\.wallNanos).min()!) / 1e6, 1))")
} else {
    notes.append("lame CLI not found at \(MP3Settings.lame) (Debian package `lame`; scripts/install-deps.sh test installs it): comparison skipped")
}
for note in notes { print(markdown ? "- \(note)" : note) }

// 2b. The MP3 of a 16 kHz master (a wideband session): LAME's MPEG-2 against the lame CLI on the same audio.
if lameAvailable {
    let wide = TestSignal(seconds: signalSeconds, sampleRate: 16_000)
    let widePath = directory + "/signal16.wav"
    defer { unlink(widePath) }
    do {
        let wav = try WAVWriter(path: widePath, channels: 2, sampleRate: 16_000)
        try wav.append(interleaved: wide.interleaved, frames: wide.frames)
        try wav.finish()
        var oursWide = [EncodeRun](), lameWide = [EncodeRun]()
        for _ in 0..<repetitions {
            oursWide.append(try runMP3Encoder(wide, path: oursPath, chunk: 2 * MP3Settings.chunkFrames))
            lameWide.append(try runLameCLI(input: widePath, output: lamePath, noReplayGain: true, sampleRate: 16_000))
        }
        let wideSeconds = Double(wide.frames) / 16_000
        let oursRate = oursWide.map { wideSeconds / (Double($0.cpuNanos) / 1e9) }.sorted()
        let lameRate = lameWide.map { wideSeconds / (Double($0.cpuNanos) / 1e9) }.sorted()
        printTable("2b. MP3 of a 16 kHz master, \(signalSeconds) s stereo, \(MP3Settings.bitrate) kbit/s CBR (MPEG-2), quality \(MP3Settings.quality); best and median of \(repetitions)",
                   ["Encoder", "audio-s per CPU-s (best)", "median", "CPU ms (best)", "MP3 bytes"], [
            ["MP3Encoder, \(2 * MP3Settings.chunkFrames)-frame steps (200 ms)", format(oursRate.last!, 0), format(oursRate[oursRate.count / 2], 0),
             format(Double(oursWide.map(\.cpuNanos).min()!) / 1e6, 1), grouped(Int(oursWide[0].outputBytes))],
            ["lame CLI --noreplaygain --resample 16", format(lameRate.last!, 0), format(lameRate[lameRate.count / 2], 0),
             format(Double(lameWide.map(\.cpuNanos).min()!) / 1e6, 1), grouped(Int(lameWide[0].outputBytes))],
            ["ratio MP3Encoder / lame CLI", format(oursRate.last! / lameRate.last!, 2),
             format(oursRate[oursRate.count / 2] / lameRate[lameRate.count / 2], 2), "", ""],
        ])
    } catch {
        fail("\(error)", status: 1)
    }
}

// MARK: 3. Capture (CaptureBench.swift)

runCaptureSection()

// MARK: 5. Store (StoreBench.swift); 4. and 6. are scripts/bench_replay.py and scripts/bench_control.py

runStoreSection()
