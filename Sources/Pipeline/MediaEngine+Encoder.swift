import Synchronization
#if canImport(Glibc)
import Glibc
#endif

extension MediaEngine {
    /// An encoder thread: every 50 ms, encode what each of its lane's recordings have released.
    func encoderLoop(_ lane: EncoderLane) {
        DedicatedThread.lowerPriority(by: 5)
        while running.load(ordering: .relaxed) || !lane.encoding.isEmpty {
            if let added = lane.queue.withLockIfAvailable({ queue -> [RecordingPipeline] in
                defer { queue.removeAll(keepingCapacity: true) }
                return queue
            }) {
                lane.encoding.append(contentsOf: added)
            }
            var index = 0
            while index < lane.encoding.count {
                if let outcome = lane.encoding[index].encodeAvailable(using: lane.scratch) {
                    let pipeline = lane.encoding.remove(at: index)
                    lane.assigned.wrappingSubtract(1, ordering: .relaxed)
                    onFinish(pipeline, outcome)
                } else {
                    index += 1
                }
            }
            lane.loops.wrappingAdd(1, ordering: .relaxed)
            if !running.load(ordering: .relaxed) && !lane.encoding.isEmpty {
                // Shutting down: recordings still open are closed by the capture side no more; stop here.
                break
            }
            var pause = timespec(tv_sec: 0, tv_nsec: 50_000_000)
            nanosleep(&pause, nil)
        }
    }
}
