import Config
import RecordingModel
import Storage

/// Turns STORERECORDING times into master frames (at the master's rate): seconds from the start, or Unix ms.
enum StoreEdit {
    static func make(_ parameters: StoreParameters, record: RecordingRecord, frames: Int64) throws(StorageError) -> AudioEdit {
        let rate = Double(record.sampleRate)
        func frame(_ time: Double) -> Int64 {
            parameters.absoluteTimes ? Int64(((time - Double(record.startTime)) * rate / 1000).rounded()) : Int64((time * rate).rounded())
        }
        func range(_ span: StoreParameters.Span, _ name: String) throws(StorageError) -> Range<Int64> {
            let lower = frame(span.from), upper = frame(span.to)
            guard lower >= 0, upper > lower, upper <= frames else {
                throw StorageError("\(name) \(span.from)–\(span.to) is outside the recording (\(Double(frames) / rate) s)")
            }
            return lower..<upper
        }
        let trim = try parameters.trim.map { (span) throws(StorageError) in try range(span, "trim") } ?? 0..<frames
        let channels = record.streams
        let fill: AudioEdit.Fill = parameters.maskFill == "silence" ? .silence : .beep
        var masks: [AudioEdit.Mask] = []
        for (role, spans) in [("caller", parameters.maskCaller), ("callee", parameters.maskCallee)] {
            let covered = channels.filter { $0.role == role }.map(\.channel)
            for span in spans { masks.append(AudioEdit.Mask(channels: covered, range: try range(span, "mask.\(role)"), fill: fill)) }
        }
        return AudioEdit(trim: trim, masks: masks, sampleRate: record.sampleRate)
    }
}

/// STORERECORDING's `encryptionKey`: a `[keys]` name, or (with `[storage] inlineKeys`) the base64 of a
/// 256-bit key, which is then recorded as key id "inline".
enum EncryptionKey {
    static func resolve(_ value: String, _ settings: ArchiveSettings) throws(StorageError) -> (id: String, bytes: [UInt8]) {
        if let key = settings.keys[value] { return (value, key) }
        if let bytes = KeySettings.decodeBase64(value), bytes.count == 32 {
            guard settings.inlineKeys else {
                throw StorageError("encryptionKey carries a key, but inline keys are not allowed ([storage] inlineKeys = false)")
            }
            return ("inline", bytes)
        }
        throw StorageError("encryptionKey '\(value.prefix(32))' is not a key of [keys]")
    }
}
