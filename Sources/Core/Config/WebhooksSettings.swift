/// The `[webhooks]` section: where events, alarms and newCall decisions go.
public struct WebhooksSettings: Sendable, Equatable {
    /// `http://host[:port]/path`; events go to `{base}/recordingStarted`, …, decisions to `{base}/newCall`.
    /// Empty: no webhooks (events still reach the live stream). Default: empty.
    public var base = ""
    /// Where alarms are POSTed. Default: `{base}/alarms`.
    public var alarms = ""
    /// HMAC-SHA256 key of the `X-Siprecd-Signature` header and of reply tokens. Default: empty.
    public var secret = ""
    /// How long call setup waits for the newCall answer. Default: 2 s.
    public var newCallTimeout: Duration = .seconds(2)
    /// Whether to record when the newCall webhook does not answer in time or fails. Default: true.
    public var newCallDefault = true
    /// The SIP final response when the application answers `recordCall: false`. Default: 603 (Decline).
    public var newCallReject = 603

    static let keys = ["base", "alarms", "secret", "newCallTimeout", "newCallDefault", "newCallReject"]

    public init() {}

    /// The alarms URL in effect.
    public var alarmsURL: String { alarms.isEmpty ? (base.isEmpty ? "" : "\(base)/alarms") : alarms }

    mutating func apply(_ reader: SectionReader) throws(ConfigError) {
        if let value = try reader.string("base") {
            guard value.isEmpty || value.hasPrefix("http://") else {
                throw reader.invalid("base", "must be an http://host[:port]/path URL, found \"\(value)\"")
            }
            base = value.hasSuffix("/") ? String(value.dropLast()) : value
        }
        if let value = try reader.string("alarms") {
            guard value.isEmpty || value.hasPrefix("http://") else {
                throw reader.invalid("alarms", "must be an http://host[:port]/path URL, found \"\(value)\"")
            }
            alarms = value
        }
        if let value = try reader.string("secret") { secret = value }
        if let value = try reader.duration("newCallTimeout") {
            guard value > .zero, value <= .seconds(30) else { throw reader.invalid("newCallTimeout", "must be between 1ms and 30s") }
            newCallTimeout = value
        }
        if let value = try reader.bool("newCallDefault") { newCallDefault = value }
        if let value = try reader.integer("newCallReject", in: 400...699) { newCallReject = value }
    }
}
