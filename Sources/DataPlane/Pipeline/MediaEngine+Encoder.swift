import Synchronization
import SystemLayer
#if canImport(Glibc)
import Glibc
#endif

extension MediaEngine {
    /// An encoder thread: every 50 ms, encode what each of its lane's recordings have released.
    ///
    /// Recordings whose capture has closed (the call ended) are finished first, and looked for again
    /// every 32 live recordings: their RECORDINGREADY waits on this thread, while a live recording has
    /// its ring's slack (8 s). Without this, a call that ended waited for the whole pass over the lane's
    /// live calls (≈ 100 ms with 300 MP3 calls on a busy core) — the BYE→READY tail when many calls end
    /// together.
    func encoderLoop(_ lane: EncoderLane) {
        DedicatedThread.lowerPriority(by: 5)
        while running.load(ordering: .relaxed) || !lane.encoding.isEmpty {
            if let added = lane.queue.withLockIfAvailable({ queue -> [RecordingPipeline] in
                defer { queue.removeAll(keepingCapacity: true) }
                return queue
            }) {
                lane.encoding.append(contentsOf: added)
            }
            _ = finishClosed(lane, before: 0)
            var index = 0, sinceCheck = 0
            while index < lane.encoding.count {
                if let outcome = lane.encoding[index].encodeAvailable(using: lane.scratch) {
                    finished(lane.encoding.remove(at: index), outcome, lane)
                } else {
                    index += 1
                }
                sinceCheck += 1
                if sinceCheck == 32 {
                    sinceCheck = 0
                    index -= finishClosed(lane, before: index)
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

    /// Finishes every recording of the lane whose capture has closed. Returns how many of them were
    /// at an index below `position` (so the caller's index stays on the same recording).
    private func finishClosed(_ lane: EncoderLane, before position: Int) -> Int {
        var removedBefore = 0, removed = 0
        var index = 0
        while index < lane.encoding.count {
            let pipeline = lane.encoding[index]
            if pipeline.captureClosed.load(ordering: .acquiring), let outcome = pipeline.encodeAvailable(using: lane.scratch) {
                finished(lane.encoding.remove(at: index), outcome, lane)
                if index + removed < position { removedBefore += 1 }   // its place before the removals
                removed += 1
            } else {
                index += 1
            }
        }
        return removedBefore
    }

    private func finished(_ pipeline: RecordingPipeline, _ outcome: RecordingOutcome, _ lane: EncoderLane) {
        lane.assigned.wrappingSubtract(1, ordering: .relaxed)
        onFinish(pipeline, outcome)
    }
}
