import JSON
import SystemLayer

/// Polls a libpcap frame source on a thread of its own and hands each batch of frames to `onFrames`
/// on that thread, stamped on the monotonic clock the media timeline runs on (libpcap stamps wall
/// clock). Passive mode follows SIP this way; what the frames mean is the handler's business.
public final class FrameCaptureLoop: @unchecked Sendable {
    // @unchecked: `source` is used only by the loop's own thread.
    public struct Frame {
        /// When it was captured (CLOCK_MONOTONIC ns).
        public var nanos: Int64
        public var bytes: [UInt8]
    }

    private let source: PcapFrameSource
    private let name: String
    private let onFrames: ([Frame]) -> Void
    private var loop: BackgroundLoop?

    public init(source: PcapFrameSource, name: String, onFrames: @escaping ([Frame]) -> Void) {
        self.source = source
        self.name = name
        self.onFrames = onFrames
    }

    public func start() throws(Errno) {
        // The step blocks up to 100 ms in poll(2) itself: no pause between steps.
        loop = try BackgroundLoop(name: name) { [self] _ in
            step()
            return true
        }
    }

    public func stop() {
        loop?.stop()
        loop = nil
    }

    private func step() {
        let frames = source.poll(timeoutMillis: 100)
        guard !frames.isEmpty else { return }
        let offset = WallClock.unixNanos() - monotonicNanos()
        onFrames(frames.map { Frame(nanos: $0.nanos - offset, bytes: $0.bytes) })
    }
}
