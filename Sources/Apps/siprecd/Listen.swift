import ArgumentParser
import Catalog
import Config
import ListenIn
import RecordingModel
import Storage

#if canImport(Glibc)
import Glibc
#endif

/// `siprecd monitor CALL|RECORDING`: listen in on a call being recorded, on this box's ALSA output.
struct Monitor: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Play a call being recorded to the ALSA output as it happens (under a second behind).",
        discussion: """
            CALL|RECORDING is a recording id or a call key (see `siprecd calls`). The audio comes from the \
            recording's master as the encoder writes it, caller on the left and callee on the right like \
            the MP3 (--mono: one channel). It ends when the recording ends, or on Ctrl-C.
            """)

    @OptionGroup var options: ConfigOptions
    @OptionGroup var listen: ListenOptions

    @Argument(help: "Recording id or call key of a call being recorded.")
    var call: String

    @Option(name: .customLong("max-lag"), help: "Seconds of audio that may wait before silence is dropped to catch up (after holds).")
    var maxLag: Double = 0.5

    func run() throws {
        let lookup = try RecordingLookup(config: try options.load(operatorCommand: true))
        let record = try lookup.live(call)
        let (player, reader, device) = try lookup.player(for: record, listen)
        printError("monitor: \(record.recordingId) (\(record.calledParty), \(record.domain)) on ALSA '\(device)'; Ctrl-C stops")
        let id = record.recordingId
        let report = try player.follow(maxLag: Int64(max(0.1, maxLag) * Double(reader.sampleRate)), originMillis: record.startTime) {
            guard let now = try? lookup.catalog.recording(id: id) else { return false }
            return RecordingLookup.liveStates.contains(now.state)
        }
        let delay = report.meanDelayMillis.map {
            " delay mean \($0) ms, median \(report.medianDelayMillis ?? $0) ms, p95 \(report.p95DelayMillis ?? $0) ms, max \(report.maxDelayMillis ?? $0) ms,"
        } ?? ""
        printError("monitor: recording ended; played \(Double(report.framesPlayed) / Double(reader.sampleRate)) s from \(Double(report.firstFrame) / Double(reader.sampleRate)) s,\(delay) underruns \(report.underruns), silence skipped \(Double(report.silenceSkipped) / Double(reader.sampleRate)) s")
    }
}

/// `siprecd play RECORDING`: play a finished recording from the temporary store.
struct Play: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Play a recording from the temporary store to the ALSA output.",
        discussion: "RECORDING is a recording id, or a call key (its newest recording).")

    @OptionGroup var options: ConfigOptions
    @OptionGroup var listen: ListenOptions

    @Option(help: "Start this many seconds in.")
    var from: Double = 0

    @Argument(help: "Recording id or call key.")
    var recording: String

    func run() throws {
        let lookup = try RecordingLookup(config: try options.load(operatorCommand: true))
        let record = try lookup.any(recording)
        let (player, reader, device) = try lookup.player(for: record, listen)
        printError("play: \(record.recordingId) (\(record.state), \(Double(reader.frames) / Double(reader.sampleRate)) s) on ALSA '\(device)'")
        let report = try player.play(from: Int64(max(0, from) * Double(reader.sampleRate)))
        printError("play: played \(Double(report.framesPlayed) / Double(reader.sampleRate)) s, underruns \(report.underruns)")
    }
}

struct ListenOptions: ParsableArguments {
    @Option(help: "ALSA playback device (default: [audio] device of the configuration, normally \"default\").")
    var device: String?

    @Flag(help: "Fold both sides into one channel instead of caller left, callee right.")
    var mono = false

}

/// Finds a recording by id or call key in the catalog and opens its master.
struct RecordingLookup {
    static let liveStates: Set<RecordingState> = [.recording, .paused]
    let catalog: RecordingCatalog
    let dataDir: String
    let defaultDevice: String

    init(config: SiprecdConfig) throws {
        dataDir = config.storage.dataDir
        defaultDevice = config.audio.device
        let path = "\(dataDir)/catalog.db"
        guard access(path, R_OK) == 0 else {
            throw CLIError("cannot read the catalog \(path): \(access(path, F_OK) == 0 ? "permission denied (run as root or the siprecd user)" : "no such file (has siprecd run with this data directory?)")")
        }
        do {
            catalog = try RecordingCatalog(path: path)
        } catch {
            throw CLIError("cannot open the catalog \(path): \(error)")
        }
    }

    /// A recording in progress, by id or call key.
    func live(_ name: String) throws -> RecordingRecord {
        if let record = try catalog.recording(id: name) {
            guard RecordingLookup.liveStates.contains(record.state) else {
                throw CLIError("recording \(record.recordingId) is \(record.state), not in progress: `siprecd play \(record.recordingId)` plays it")
            }
            return record
        }
        let live = try catalog.recordings(limit: 20, callKey: name).filter { RecordingLookup.liveStates.contains($0.state) }
        guard let record = live.first else {
            throw CLIError("no call in progress with recording id or call key '\(name)' (see `siprecd calls`)")
        }
        return record
    }

    /// Any recording, by id, or the newest of a call key.
    func any(_ name: String) throws -> RecordingRecord {
        if let record = try catalog.recording(id: name) { return record }
        guard let record = try catalog.recordings(limit: 1, callKey: name).first else {
            throw CLIError("no recording with id or call key '\(name)' (see `siprecd recordings`)")
        }
        return record
    }

    /// A player of the recording's master on the chosen ALSA device.
    func player(for record: RecordingRecord, _ listen: ListenOptions) throws -> (MasterPlayer, MasterReader, device: String) {
        let (reader, mix) = try open(record, mono: listen.mono)
        let device = listen.device ?? defaultDevice
        let output = try PCMOutput(device: device, channels: mix.outputChannels, sampleRate: reader.sampleRate)
        return (MasterPlayer(reader: reader, mix: mix, output: output), reader, device)
    }

    /// The master's reader and the mix of its channels (each stream's role decides its side).
    func open(_ record: RecordingRecord, mono: Bool) throws -> (MasterReader, ListenMix) {
        guard let master = record.masterPath else {
            throw CLIError("recording \(record.recordingId) has no audio on this box (\(record.state))")
        }
        let reader: MasterReader
        do {
            reader = try MasterReader(path: "\(dataDir)/\(master)")
        } catch {
            throw CLIError("\(error)")
        }
        var sides = Array(repeating: ListenMix.Side.left, count: reader.channels)
        for stream in record.streams where stream.channel < sides.count {
            sides[stream.channel] = stream.role == "callee" ? .right : .left
        }
        return (reader, ListenMix(sides: sides, mono: mono))
    }
}

/// A line on standard error (progress and reports; standard output stays for data).
func printError(_ line: String) {
    let bytes = Array((line + "\n").utf8)
    _ = bytes.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
}
