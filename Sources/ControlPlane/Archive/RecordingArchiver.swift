import Catalog
import Events
import Logging
import NIOCore

/// STORERECORDING and MERGERECORDINGS: finished recordings from the temporary store into buckets. Each
/// job runs on its destination bucket's thread (StoreLanes) and reports its outcome as an event.
///
/// Confined to the control event loop, like the recording service that hands it the commands it accepted.
public final class RecordingArchiver: @unchecked Sendable {
    // @unchecked: `settings` is confined to `eventLoop`; the jobs take a copy.
    let eventLoop: EventLoop
    let catalog: RecordingCatalog
    let publisher: EventPublisher
    let logger: Logger
    /// The threads that produce stored files (decoding, editing, encoding, writing), one per bucket.
    let storeLanes = StoreLanes()
    public var settings: ArchiveSettings

    public init(eventLoop: EventLoop, settings: ArchiveSettings, catalog: RecordingCatalog, publisher: EventPublisher, logger: Logger) {
        self.eventLoop = eventLoop
        self.settings = settings
        self.catalog = catalog
        self.publisher = publisher
        self.logger = logger
    }
}
