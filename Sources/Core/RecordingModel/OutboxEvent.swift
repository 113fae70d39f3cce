/// An event waiting to be delivered (or delivered) by webhook.
public struct OutboxEvent: Sendable, Equatable {
    public var eventId: String
    public var url: String
    /// The JSON body, exactly as it will be signed and sent.
    public var body: String
    public var createdAt: Int64
    public var attempts: Int
    public var nextAttemptAt: Int64
    public var deliveredAt: Int64?
    public var lastError: String?

    public init(eventId: String, url: String, body: String, createdAt: Int64) {
        self.eventId = eventId
        self.url = url
        self.body = body
        self.createdAt = createdAt
        attempts = 0
        nextAttemptAt = createdAt
    }
}
