import Signalling
import TestSupport
import Wire

/// Feeds frames built by `FrameBuilder` through `PacketDecoder` into a `SIPFrameFollower`, the way
/// passive mode and replay do.
struct PassiveFrameFeeder {
    var follower = SIPFrameFollower()

    /// Decodes one Ethernet frame; fails the test (by throwing) if it does not decode.
    static func decode(_ frame: [UInt8]) throws -> (packet: DecodedPacket, payload: [UInt8]) {
        try frame.withUnsafeBytes { bytes in
            let packet = try PacketDecoder.decode(bytes, linkType: .ethernet).get()
            return (packet, Array(frame[packet.payloadOffset..<(packet.payloadOffset + packet.payloadLength)]))
        }
    }

    /// A whole UDP frame.
    mutating func udp(_ frame: [UInt8]) throws -> SIPFrameFollower.Observed? {
        let (packet, payload) = try Self.decode(frame)
        return payload.withUnsafeBytes { follower.udp(source: packet.source, destination: packet.destination, payload: $0) }
    }

    /// An IPv4 fragment frame.
    mutating func fragment(_ frame: [UInt8], nanos: Int64 = 0) throws -> SIPFrameFollower.Observed? {
        let (packet, payload) = try Self.decode(frame)
        return payload.withUnsafeBytes { follower.fragment(packet, payload: $0, nanos: nanos) }
    }

    /// A TCP segment frame.
    mutating func tcp(_ frame: [UInt8]) throws -> [SIPFrameFollower.Observed] {
        let (packet, payload) = try Self.decode(frame)
        return payload.withUnsafeBytes { follower.tcpSegment(packet, payload: $0) }
    }
}

enum PassiveEndpoints {
    static let src = EndpointKey(address: "192.0.2.10", port: 5060)!
    static let srs = EndpointKey(address: "192.0.2.20", port: 5060)!
    static let otherSrc = EndpointKey(address: "192.0.2.11", port: 5070)!
}
