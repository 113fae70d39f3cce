/// The `[audio]` section: the box's own audio output, for `siprecd monitor` and `siprecd play`.
public struct AudioSettings: Sendable, Equatable {
    /// ALSA playback device (a PCM name: `default`, `hw:0,0`, `plughw:1`, a name from asoundrc).
    /// Default: `default`.
    public var device = "default"

    public init() {}

    static let keys = ["device"]

    mutating func apply(_ reader: SectionReader) throws(ConfigError) {
        if let value = try reader.string("device") {
            guard !value.isEmpty, value.count <= 200, !value.contains(where: { $0.isNewline }) else {
                throw reader.invalid("device", "must be an ALSA PCM name such as \"default\" or \"hw:0,0\", found \"\(value)\"")
            }
            device = value
        }
    }
}
