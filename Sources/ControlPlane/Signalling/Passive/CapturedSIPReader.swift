import Wire

/// Reads SIP out of captured frames for passive mode: each frame is decoded (link, IP, UDP/TCP) and
/// followed (fragments, TCP streams); what it completes is kept until `take`. Used by one capture thread.
public final class CapturedSIPReader: @unchecked Sendable {
    // @unchecked: used only by the capture thread that owns it.
    private let linkType: LinkType
    private var follower = SIPFrameFollower()
    private var messages: [(SIPFrameFollower.Observed, Int64)] = []
    private var sightings: [SIPFrameFollower.TLSSighting] = []

    public init(linkType: LinkType) {
        self.linkType = linkType
    }

    /// One frame, captured at `nanos` (CLOCK_MONOTONIC).
    public func read(_ frame: UnsafeRawBufferPointer, nanos: Int64) {
        guard case .success(let packet) = PacketDecoder.decode(frame, linkType: linkType) else { return }
        let payload = UnsafeRawBufferPointer(rebasing: frame[packet.payloadOffset..<(packet.payloadOffset + packet.payloadLength)])
        for observed in follower.follow(packet, payload: payload, nanos: nanos) { messages.append((observed, nanos)) }
        if packet.transport != .udp { sightings += follower.takeTLSSightings() }
    }

    /// The SIP messages (with their capture times) and TLS sightings read since the last call.
    public func take() -> (messages: [(SIPFrameFollower.Observed, Int64)], sightings: [SIPFrameFollower.TLSSighting]) {
        defer {
            messages = []
            sightings = []
        }
        return (messages, sightings)
    }
}
