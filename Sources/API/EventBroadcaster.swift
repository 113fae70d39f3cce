import Synchronization

/// The live event stream (`GET /api/v1/events`, Server-Sent Events): every lifecycle event, as the JSON
/// body the webhooks carry, to every connected dashboard. Publishing never waits: a slow subscriber's
/// buffer keeps the newest 256 events and drops older ones.
public final class EventBroadcaster: Sendable {
    private let subscribers = Mutex<[Int: AsyncStream<String>.Continuation]>([:])
    private let nextID = Atomic<Int>(0)

    public init() {}

    /// Sends one event body to every subscriber.
    public func publish(_ body: String) {
        let continuations = subscribers.withLock { Array($0.values) }
        for continuation in continuations { continuation.yield(body) }
    }

    /// A new subscription; it ends when the consumer stops iterating.
    public func subscribe() -> AsyncStream<String> {
        let id = nextID.wrappingAdd(1, ordering: .relaxed).newValue
        let (stream, continuation) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(256))
        continuation.onTermination = { [weak self] _ in
            _ = self?.subscribers.withLock { $0.removeValue(forKey: id) }
        }
        subscribers.withLock { $0[id] = continuation }
        return stream
    }

    public var subscriberCount: Int { subscribers.withLock { $0.count } }
}
