import Catalog
import Config
import JSON
import Logging
import NIOCore
import NIOPosix
import RecordingModel

/// Where lifecycle events and alarms go: the live stream at once, and — with `[webhooks]` configured —
/// the catalog's outbox, from which `WebhookDispatcher` delivers them at least once.
///
/// Confined to the control event loop; outbox writes go to the catalog thread.
public final class EventPublisher: @unchecked Sendable {
    // @unchecked: mutable state is confined to `eventLoop`.
    private let eventLoop: EventLoop
    private let catalog: RecordingCatalog
    private let catalogWorker: NIOThreadPool
    private let logger: Logger
    /// Builds the event bodies (reply tokens, webhook URLs) for the settings in force.
    public private(set) var factory = EventFactory(settings: WebhooksSettings())
    /// Whether events go to the outbox too (a base URL or an alarms URL is configured).
    public private(set) var webhooksEnabled = false
    /// The live event stream's publisher: a body and the tenant (domain) allowed to see it.
    private var live: (@Sendable (String, String?) -> Void)?

    public init(eventLoop: EventLoop, catalog: RecordingCatalog, catalogWorker: NIOThreadPool, logger: Logger) {
        self.eventLoop = eventLoop
        self.catalog = catalog
        self.catalogWorker = catalogWorker
        self.logger = logger
    }

    /// Takes `[webhooks]` (at start and on reload) and, when given, the live stream.
    public func configure(_ settings: WebhooksSettings, live: (@Sendable (String, String?) -> Void)? = nil) {
        factory = EventFactory(settings: settings)
        webhooksEnabled = !settings.base.isEmpty || !settings.alarms.isEmpty
        if let live { self.live = live }
    }

    /// The events of `events` that belong in the outbox (webhooks on, and an http(s) URL to go to).
    public static func outbound(_ events: [OutboxEvent], webhooksEnabled: Bool) -> [OutboxEvent] {
        webhooksEnabled ? events.filter { $0.url.hasPrefix("http") } : []
    }

    /// Publishes an event on the live stream; returns it for the outbox when webhooks are configured.
    public func announce(_ event: OutboxEvent, tenant: String? = nil) -> [OutboxEvent] {
        publishLive(event, tenant: tenant)
        return EventPublisher.outbound([event], webhooksEnabled: webhooksEnabled)
    }

    /// Sends an event to the live stream's subscribers of its tenant: the body's `domain`, else `tenant` (the
    /// tenant whose command an alarm is about: reference 001's command alarms carry no domain), else
    /// admin subscribers only.
    public func publishLive(_ event: OutboxEvent, tenant: String? = nil) {
        var domain = tenant
        if case .string(let value)? = (try? JSONValue.parse(event.body))?["domain"] { domain = value }
        live?(event.body, domain)
    }

    /// Raises an alarm that belongs to no recording's state change: live stream, and the outbox. `tenant`:
    /// whose command failed (for alarms whose body names no domain).
    public func raise(_ alarm: Alarm, tenant: String? = nil) {
        let event = factory.alarm(alarm)
        let events = announce(event, tenant: tenant)
        // The alarm's tenant (when it is about one tenant's recording or command) goes with its log entry.
        var fields: Logger.Metadata = ["alarm": "\(event.body)"]
        if let tenant { fields["domain"] = "\(tenant.lowercased())" }
        if case .string(let domain)? = (try? JSONValue.parse(event.body))?["domain"] { fields["domain"] = "\(domain.lowercased())" }
        logger.warning("alarm \(alarm.type)", metadata: fields)
        guard !events.isEmpty else { return }
        let catalog = catalog
        let logger = logger
        catalogWorker.runIfActive(eventLoop: eventLoop) { try catalog.enqueue(events) }.whenFailure { error in
            logger.error("alarm not queued", metadata: ["error": "\(error)"])
        }
    }
}
