import Synchronization

/// The live event stream (`GET /api/v1/events`, Server-Sent Events): every lifecycle event, as the JSON
/// body the webhooks carry, to every connected dashboard. Publishing never waits: a slow subscriber's
/// buffer keeps the newest 256 events and drops older ones.
public final class EventBroadcaster: Sendable {
    private struct Subscriber {
        /// Only this tenant's events; nil = every event.
        var domain: String?
        var continuation: AsyncStream<String>.Continuation
    }

    private let subscribers = Mutex<[Int: Subscriber]>([:])
    private let nextID = Atomic<Int>(0)

    public init() {}

    /// Sends one event body to every subscriber that may see the tenant `domain` (nil: device-wide
    /// events such as some alarms, for all-tenant subscribers only).
    public func publish(_ body: String, domain: String?) {
        let targets = subscribers.withLock { Array($0.values) }
        let tenant = domain?.lowercased()
        for target in targets where target.domain == nil || target.domain == tenant { target.continuation.yield(body) }
    }

    /// A new subscription, limited to one tenant's events when `domain` is set; it ends when the
    /// consumer stops iterating.
    public func subscribe(domain: String? = nil) -> AsyncStream<String> {
        let id = nextID.wrappingAdd(1, ordering: .relaxed).newValue
        let (stream, continuation) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(256))
        continuation.onTermination = { [weak self] _ in
            _ = self?.subscribers.withLock { $0.removeValue(forKey: id) }
        }
        subscribers.withLock { $0[id] = Subscriber(domain: domain?.lowercased(), continuation: continuation) }
        return stream
    }

    public var subscriberCount: Int { subscribers.withLock { $0.count } }
}
