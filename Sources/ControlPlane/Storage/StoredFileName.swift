import JSON

/// File names a STORERECORDING may write: one path component, no `..`, no control characters (C0, C1,
/// DEL), no bidirectional or zero-width characters, no backslashes, at most 200 bytes, ending in `.mp3` or
/// `.wav` (which picks the format).
public enum StoredFileName {
    public enum Format: String, Sendable { case mp3, wav }

    public static func validate(_ name: String) throws(StorageError) -> Format {
        guard !name.isEmpty, name.utf8.count <= 200 else { throw StorageError("fileName must be 1 to 200 bytes long") }
        guard !name.contains("/"), !name.contains("\\") else { throw StorageError("fileName must not contain a path separator") }
        guard name != ".", name != "..", !name.hasPrefix(".") else { throw StorageError("fileName must not start with a dot") }
        guard !name.unicodeScalars.contains(where: DisplayText.isControl) else {
            throw StorageError("fileName must not contain control characters")
        }
        guard !name.unicodeScalars.contains(where: DisplayText.isInvisibleFormatting) else {
            throw StorageError("fileName must not contain bidirectional-override or zero-width characters")
        }
        let lower = name.lowercased()
        if lower.hasSuffix(".mp3") { return .mp3 }
        if lower.hasSuffix(".wav") { return .wav }
        throw StorageError("fileName must end in .mp3 or .wav (the format is taken from it)")
    }

    /// `<yyMMdd>-<recordingId>.mp3` (the product's default).
    public static func defaultName(day: String, recordingId: String) -> String { "\(day)-\(recordingId).mp3" }
}
