import TestSupport
@testable import Wire

/// Decodes an array-held frame.
func decode(_ frame: [UInt8], _ link: LinkType) -> Result<DecodedPacket, DecodeFailure> {
    frame.withUnsafeBytes { PacketDecoder.decode($0, linkType: link) }
}

/// The payload bytes a decoded packet points at.
func payload(of packet: DecodedPacket, in frame: [UInt8]) -> [UInt8] {
    Array(frame[packet.payloadOffset..<(packet.payloadOffset + packet.payloadLength)])
}

let alice = EndpointKey(address: "192.0.2.10", port: 40_000)!
let bob = EndpointKey(address: "198.51.100.20", port: 40_002)!
let alice6 = EndpointKey(address: "2001:db8::10", port: 40_000)!
let bob6 = EndpointKey(address: "2001:db8:1::20", port: 40_002)!

/// Link types that carry IPv4 and IPv6 alike.
let mixedLinks: [LinkType] = [.ethernet, .linuxSLL, .linuxSLL2, .raw, .rawAlt, .null]
/// Link types that take VLAN tags.
let taggableLinks: [LinkType] = [.ethernet, .linuxSLL, .linuxSLL2]
