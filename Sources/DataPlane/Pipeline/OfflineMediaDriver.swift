import MediaCore
import Wire

/// The data plane without threads, for replaying a capture file at full speed: the caller's clock is the
/// capture's timestamps, and capture, release and encoding run in lockstep on the caller's thread with
/// exactly the code the live threads use.
public final class OfflineMediaDriver {
    private var table: StreamTable
    private var live: [RecordingPipeline] = []
    private var closing: [(pipeline: RecordingPipeline, endNanos: Int64)] = []
    public private(set) var unknownStreamPackets: Int64 = 0
    private let scratch = EncoderScratch()
    private let packetScratch = PacketScratch()

    public init(maximumStreams: Int = 8192) {
        table = StreamTable(capacity: maximumStreams)
    }

    /// Starts capturing a recording's streams by their destination keys.
    public func attach(_ pipeline: RecordingPipeline) {
        live.append(pipeline)
        for stream in pipeline.streams {
            if let key = stream.key { _ = table.insert(stream, for: key) }
        }
    }

    /// Hands one datagram to the stream it is addressed to; false when no stream takes it.
    @discardableResult
    public func deliver(destination: EndpointKey, source: EndpointKey, payload: UnsafeRawBufferPointer, atNanos nanos: Int64) -> Bool {
        guard let stream = table.stream(for: destination) else {
            unknownStreamPackets += 1
            return false
        }
        stream.receive(payload, from: source, nowNanos: nanos, scratch: packetScratch)
        return true
    }

    /// Ends a recording at `nanos` (capture time).
    public func finish(_ pipeline: RecordingPipeline, atNanos nanos: Int64) {
        guard let index = live.firstIndex(where: { $0 === pipeline }) else { return }
        live.remove(at: index)
        for stream in pipeline.streams {
            if let key = stream.key { table.remove(key, ifPointingAt: stream) }
        }
        closing.append((pipeline, nanos))
    }

    /// Moves the clock: releases audio, encodes what is ready, and returns the recordings whose files
    /// are now closed.
    public func advance(toNanos nanos: Int64) -> [(RecordingPipeline, RecordingOutcome)] {
        for pipeline in live {
            pipeline.advanceCapture(nowNanos: nanos, horizonNanos: nanos)
            _ = pipeline.encodeAvailable(using: scratch)
        }
        var finished: [(RecordingPipeline, RecordingOutcome)] = []
        for (pipeline, endNanos) in closing {
            while true {
                let closed = pipeline.closeCapture(endNanos: endNanos)
                if let outcome = pipeline.encodeAvailable(using: scratch) {
                    finished.append((pipeline, outcome))
                    break
                }
                // Not closed yet: the encoder just made room; try again (bounded by the ring size).
                if closed { continue }
            }
        }
        closing.removeAll()
        return finished
    }
}
