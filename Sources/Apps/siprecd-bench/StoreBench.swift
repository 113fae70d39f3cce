import LibCrypto
import Storage
#if canImport(Glibc)
import Glibc
#endif

/// 5. STORERECORDING's work on the box: the store job (read the master, trim, beep-mask one channel,
/// encode the MP3) next to the lame CLI encoding the same WAV, in the same run; and AES-256-GCM sealing.
@MainActor
func runStoreSection() {
    let bucket = directory + "/bucket"
    mkdir(bucket, 0o755)
    let seconds = Double(signalSeconds)
    let edit = AudioEdit(trim: 8_000..<Int64(signal.frames - 8_000),
                         masks: [.init(channels: [0], range: 80_000..<160_000, fill: .beep)])
    let job = StoreJob(masterPath: wavPath, edit: edit, format: .mp3, callerChannels: [true, false],
                       mp3Bitrate: MP3Settings.bitrate, mp3Quality: MP3Settings.quality)
    var store: [Int64] = [], lame: [Int64] = [], seal: [Int64] = []
    for round in 0..<repetitions {
        let name = "stored-\(round).mp3"
        let cpu0 = Measure.cpu()
        do {
            try DirectoryBucket(path: bucket, overwrite: true).store(name: name) { (path: String) throws(StorageError) in
                _ = try job.write(to: path)
            }
        } catch {
            fail("store job failed: \(error)")
        }
        store.append(Measure.cpu() - cpu0)
        if lameAvailable, let run = try? runLameCLI(input: wavPath, output: lamePath, noReplayGain: true) { lame.append(run.cpuNanos) }
        let sealed = bucket + "/sealed-\(round)"
        let s0 = Measure.cpu()
        do {
            try SealedFile.seal(source: wavPath, destination: sealed, key: [UInt8](repeating: 7, count: 32), keyId: "bench")
        } catch {
            fail("seal failed: \(error)")
        }
        seal.append(Measure.cpu() - s0)
        unlink(sealed)
        unlink(bucket + "/" + name)
    }
    rmdir(bucket)
    let stored = seconds - 2
    let best = Double(store.min()!) / 1e9
    var rows = [["store job (trim + beep mask + MP3, in process)", format(stored / best, 0), format(best * 1000, 1)]]
    if let theirs = lame.min() {
        let lameBest = Double(theirs) / 1e9
        rows.append(["lame CLI --noreplaygain (whole WAV, child process)", format(seconds / lameBest, 0), format(lameBest * 1000, 1)])
        rows.append(["ratio store job / lame CLI (audio-s per CPU-s)", format((stored / best) / (seconds / lameBest), 2), ""])
    }
    let wavBytes = Double(signal.frames * 4 + 44)
    let sealBest = Double(seal.min()!) / 1e9
    rows.append(["AES-256-GCM seal of the \(Int(seconds)) s master (\(Int(wavBytes / 1000)) kB)", format(seconds / sealBest, 0),
                 format(sealBest * 1000, 2) + " ms = " + format(wavBytes / sealBest / 1e6, 0) + " MB/s"])
    printTable("5. Store: \(Int(stored)) s of the \(signalSeconds) s stereo signal, beep over 10 s of one channel, \(MP3Settings.bitrate) kbit/s MP3; best of \(repetitions)",
               ["Job", "audio-s per CPU-s", "CPU ms (best)"], rows)
}
