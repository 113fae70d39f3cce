import Catalog
import Logging
import SystemLayer

/// The thread that checkpoints the catalog once a second (``CatalogCheckpointer``): fsyncs and page
/// copies happen here, never inside the commit of a recording's row.
final class CatalogCheckpoints: Sendable {
    /// Used by the loop's thread only.
    private final class Progress: @unchecked Sendable {
        var tick = 0
        var lastError = ""
    }
    private let loop: BackgroundLoop

    init(_ checkpointer: CatalogCheckpointer, logger: Logger) throws(Errno) {
        let progress = Progress()
        // Ticks of 100 ms, so stop() is prompt; a checkpoint every tenth.
        loop = try BackgroundLoop(name: "siprecd-checkpoint", idlePause: .milliseconds(100), step: { _ in
            progress.tick += 1
            guard progress.tick % 10 == 0 else { return false }
            do {
                try checkpointer.checkpoint()
                progress.lastError = ""
            } catch {
                // Not fatal: the log keeps the data and grows until a checkpoint succeeds.
                let message = "\(error)"
                if message != progress.lastError { logger.warning("catalog checkpoint failed", metadata: ["error": "\(message)"]) }
                progress.lastError = message
            }
            return false
        }, finally: { _ = try? checkpointer.checkpoint() })
    }

    /// Stops the thread after one last checkpoint (once; later calls return at once).
    func stop() {
        loop.stop()
    }
}
