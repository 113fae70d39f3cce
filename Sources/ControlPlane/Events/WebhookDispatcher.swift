import Catalog
import Config
import HTTPClient
import JSON
import Logging
import Signatures
import Synchronization
import SystemLayer

/// Delivers the outbox at least once: oldest first, signed (`X-Siprecd-Signature: sha256=<HMAC of the
/// body>`), each with its stable `X-Siprecd-Event-Id` so receivers can de-duplicate. A failure is retried
/// with exponential back-off (1 s doubling to 60 s); the outbox lives in the catalog, so nothing is lost
/// across receiver outages or restarts. Runs on its own thread: SQLite and sockets block.
public final class WebhookDispatcher: @unchecked Sendable {
    /// Retries back off 1 s, 2 s, 4 s … up to this (milliseconds).
    public static let longestRetryDelay: Int64 = 60_000
    // @unchecked: mutable state is used by the dispatcher thread only.
    private let catalog: RecordingCatalog
    private let secret: [UInt8]
    private let factory: EventFactory
    private let logger: Logger
    private var loop: BackgroundLoop?
    public let delivered = Atomic<Int64>(0)
    public let failedAttempts = Atomic<Int64>(0)

    public init(catalog: RecordingCatalog, settings: WebhooksSettings, logger: Logger) {
        self.catalog = catalog
        secret = Array(settings.secret.utf8)
        factory = EventFactory(settings: settings)
        self.logger = logger
    }

    public func start() throws(Errno) {
        loop = try BackgroundLoop(name: "siprecd-webhooks", idlePause: .milliseconds(200)) { [self] isRunning in
            deliverDue(while: isRunning)
        }
    }

    public func stop() {
        loop?.stop()
        loop = nil
    }

    /// One pass over the due events (while `isRunning`); true when something was attempted.
    private func deliverDue(while isRunning: () -> Bool) -> Bool {
        let now = WallClock.unixMillis()
        guard let due = try? catalog.dueEvents(now: now, scheduledAfter: now + WebhookDispatcher.longestRetryDelay + 1_000, limit: 16),
              !due.isEmpty else { return false }
        for event in due where isRunning() {
            let signature = "sha256=" + HMACSHA256.authenticationCode(key: secret, message: Array(event.body.utf8)).hexString
            do {
                let status = try BlockingHTTP.post(url: event.url, body: event.body, headers: [
                    ("X-Siprecd-Event-Id", event.eventId), ("X-Siprecd-Signature", signature)])
                guard (200..<300).contains(status) else { throw BlockingHTTP.PostError(message: "HTTP \(status)") }
                try? catalog.markDelivered(eventId: event.eventId, at: WallClock.unixMillis())
                delivered.wrappingAdd(1, ordering: .relaxed)
            } catch {
                failedAttempts.wrappingAdd(1, ordering: .relaxed)
                let delay = min(WebhookDispatcher.longestRetryDelay, Int64(1_000 << min(event.attempts, 6)))
                try? catalog.markFailed(eventId: event.eventId, nextAttemptAt: WallClock.unixMillis() + delay,
                                        error: "\(error)")
                if event.attempts == 0, event.url != factory.settings.alarmsURL, !factory.settings.alarmsURL.isEmpty {
                    // First failure of an event (not of an alarm: that would loop): eventNotificationError.
                    let name: String
                    if case .string(let value)? = (try? JSONValue.parse(event.body))?["event"] { name = value } else { name = "event" }
                    try? catalog.enqueue([factory.alarm(.eventNotificationError(
                        event: "\(name) \(event.eventId)", error: "POST \(event.url): \(error)"))])
                }
                if event.attempts == 0 || event.attempts % 10 == 0 {
                    logger.warning("event delivery failed; will retry", metadata: [
                        "event_id": "\(event.eventId)", "url": "\(event.url)", "error": "\(error)",
                        "attempts": "\(event.attempts + 1)"])
                }
                // The receiver is down: stop this pass, the rest would fail the same way.
                return true
            }
        }
        return true
    }
}
