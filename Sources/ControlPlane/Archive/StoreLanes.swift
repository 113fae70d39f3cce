import NIOPosix
import Synchronization

/// One thread per destination bucket for STORERECORDING and MERGERECORDINGS (decode, edit, encode,
/// upload): jobs for one bucket run in order, and a bucket that hangs (unreachable, answering nothing
/// until the request times out) holds up only its own jobs, never another bucket's.
final class StoreLanes: Sendable {
    private let lanes = Mutex<[String: NIOThreadPool]>([:])
    /// Past this many buckets, the rest share one lane (a configuration has a handful).
    static let maximumLanes = 16
    static let shared = "\u{0}shared"

    func lane(for bucket: String) -> NIOThreadPool {
        lanes.withLock { lanes in
            let name = lanes[bucket] != nil || lanes.count < StoreLanes.maximumLanes ? bucket : StoreLanes.shared
            if let lane = lanes[name] { return lane }
            let lane = NIOThreadPool(numberOfThreads: 1)
            lane.start()
            lanes[name] = lane
            return lane
        }
    }
}
