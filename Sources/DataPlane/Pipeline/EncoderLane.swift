import Synchronization

/// One encoder thread and the recordings it owns. LAME is the costliest stage per call, so the engine
/// runs one lane per core it is given; a recording stays on the lane it was attached to.
final class EncoderLane: @unchecked Sendable {
    // @unchecked: `encoding` is touched only by the lane's thread; the rest is a mutex or atomics.
    let index: Int
    /// Recordings handed over by the control plane, picked up by the lane's next iteration.
    let queue = Mutex<[RecordingPipeline]>([])
    /// The lane's recordings (its thread only).
    var encoding: [RecordingPipeline] = []
    /// Loop iterations (the watchdog checks that every lane moves).
    let loops = Atomic<Int64>(0)
    /// Recordings on this lane, for placing the next one on the least busy lane.
    let assigned = Atomic<Int>(0)
    /// The chunk buffers the lane's recordings are encoded through (its thread only).
    let scratch = EncoderScratch()

    init(index: Int) {
        self.index = index
        encoding.reserveCapacity(1024)
    }
}
