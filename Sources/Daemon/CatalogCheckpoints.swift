import Catalog
import Logging
import Pipeline
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The thread that checkpoints the catalog once a second (``CatalogCheckpointer``): fsyncs and page
/// copies happen here, never inside the commit of a recording's row.
final class CatalogCheckpoints: Sendable {
    private final class Flag: Sendable { let running = Atomic<Bool>(true) }
    private let flag = Flag()
    private let thread: pthread_t

    init(_ checkpointer: CatalogCheckpointer, logger: Logger) {
        thread = DedicatedThread.start(name: "siprecd-checkpoint") { [flag] in
            var lastError = ""
            var tick = 0
            while flag.running.load(ordering: .relaxed) {
                var pause = timespec(tv_sec: 0, tv_nsec: 100_000_000)
                nanosleep(&pause, nil)
                tick += 1
                guard tick % 10 == 0 else { continue }
                do {
                    try checkpointer.checkpoint()
                    lastError = ""
                } catch {
                    // Not fatal: the log keeps the data and grows until a checkpoint succeeds.
                    let message = "\(error)"
                    if message != lastError { logger.warning("catalog checkpoint failed", metadata: ["error": "\(message)"]) }
                    lastError = message
                }
            }
            _ = try? checkpointer.checkpoint()
        }
    }

    /// Stops the thread after one last checkpoint (once; later calls return at once).
    func stop() {
        guard flag.running.exchange(false, ordering: .relaxed) else { return }
        DedicatedThread.join(thread)
    }
}
