import Synchronization
#if canImport(Glibc)
import Glibc
#endif

extension MediaEngine {
    /// The encoder thread: every 50 ms, encode what each recording's streams have released.
    func encoderLoop() {
        while running.load(ordering: .relaxed) || !encoding.isEmpty {
            if let added = encoderQueue.withLockIfAvailable({ queue -> [RecordingPipeline] in
                defer { queue.removeAll(keepingCapacity: true) }
                return queue
            }) {
                encoding.append(contentsOf: added)
            }
            var index = 0
            while index < encoding.count {
                if let outcome = encoding[index].encodeAvailable() {
                    let pipeline = encoding.remove(at: index)
                    onFinish(pipeline, outcome)
                } else {
                    index += 1
                }
            }
            encoderLoops.wrappingAdd(1, ordering: .relaxed)
            if !running.load(ordering: .relaxed) && !encoding.isEmpty {
                // Shutting down: recordings still open are closed by the capture side no more; stop here.
                break
            }
            var pause = timespec(tv_sec: 0, tv_nsec: 50_000_000)
            nanosleep(&pause, nil)
        }
    }
}
