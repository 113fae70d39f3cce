import Testing
import TestSupport
@testable import Wire

@Suite("Packet decoding")
struct PacketDecoderTests {
    /// Every link type that can carry the family, with the VLAN stacks that link allows.
    static func variants(ipv6: Bool) -> [(LinkType, [UInt16])] {
        var result: [(LinkType, [UInt16])] = []
        for link in mixedLinks + [ipv6 ? .ipv6 : .ipv4] {
            let stacks: [[UInt16]] = taggableLinks.contains(link) ? [[], [100], [200, 300]] : [[]]
            for tags in stacks { result.append((link, tags)) }
        }
        return result
    }

    @Test("UDP over IPv4 is found on every link type, with 0, 1 and 2 VLAN tags")
    func udpIPv4() throws {
        let message = Array("INVITE sip:rec@example.com SIP/2.0\r\n".utf8)
        for (link, tags) in Self.variants(ipv6: false) {
            let frame = FrameBuilder.udp(from: alice, to: bob, payload: message, link: link, vlanTags: tags)
            let packet = try decode(frame, link).get()
            #expect(packet.source == alice && packet.destination == bob, "\(link) \(tags)")
            #expect(packet.transport == .udp && !packet.isFragment)
            #expect(payload(of: packet, in: frame) == message, "\(link) \(tags)")
        }
    }

    @Test("UDP over IPv6 is found on every link type, also behind extension headers")
    func udpIPv6() throws {
        let message: [UInt8] = Array(0..<200)
        let extensionSets: [[UInt8]] = [[], [0], [0, 43, 60], [51], [44]]
        for (link, tags) in Self.variants(ipv6: true) {
            for extensions in extensionSets {
                let frame = FrameBuilder.udp(from: alice6, to: bob6, payload: message, link: link,
                                             vlanTags: tags, ipv6Extensions: extensions)
                let packet = try decode(frame, link).get()
                #expect(packet.source == alice6 && packet.destination == bob6, "\(link) \(extensions)")
                #expect(payload(of: packet, in: frame) == message, "\(link) \(tags) \(extensions)")
                #expect(!packet.isFragment, "an atomic fragment is a whole packet")
            }
        }
    }

    @Test("TCP segments report ports, sequence, flags and only the data after the header")
    func tcp() throws {
        let data = Array("SIP/2.0 200 OK\r\n\r\n".utf8)
        for (from, to) in [(alice, bob), (alice6, bob6)] {
            for (link, tags) in Self.variants(ipv6: !from.isIPv4) {
                let frame = FrameBuilder.tcp(from: from, to: to, sequence: 0xFFFF_FFF0, flags: [.ack, .psh],
                                             payload: data, link: link, vlanTags: tags)
                let packet = try decode(frame, link).get()
                #expect(packet.transport == .tcp && packet.source == from && packet.destination == to)
                #expect(packet.tcpSequence == 0xFFFF_FFF0 && TCPFlags(rawValue: packet.tcpFlags) == [.ack, .psh])
                #expect(payload(of: packet, in: frame) == data, "\(link) \(tags)")
            }
        }
    }

    @Test("Ethernet padding after a short datagram never leaks into its payload")
    func padding() throws {
        for size in [0, 1, 4, 17] {
            let frame = FrameBuilder.udp(from: alice, to: bob, payload: Array(repeating: 0x41, count: size))
            #expect(frame.count == 60, "short frames are padded to the Ethernet minimum")
            let packet = try decode(frame, .ethernet).get()
            #expect(payload(of: packet, in: frame) == Array(repeating: 0x41, count: size))
            let tcpFrame = FrameBuilder.tcp(from: alice, to: bob, sequence: 1, payload: [])
            #expect(try decode(tcpFrame, .ethernet).get().payloadLength == 0)
        }
    }

    @Test("IPv4 fragments are reported as fragments, including the first one that holds the UDP header")
    func ipv4FragmentsReported() throws {
        let frames = FrameBuilder.ipv4Fragments(from: alice, to: bob, udpPayload: Array(repeating: 7, count: 3000),
                                                fragmentSize: 1480, ipID: 0x1234)
        #expect(frames.count == 3)
        var expectedOffset = 0
        for (index, frame) in frames.enumerated() {
            let packet = try decode(frame, .ethernet).get()
            let fragment = try #require(packet.fragment)
            #expect(fragment.identification == 0x1234 && fragment.offset == expectedOffset)
            #expect(fragment.moreFragments == (index < 2) && fragment.protocolNumber == 17)
            #expect(packet.source == alice.withoutPort && packet.destination == bob.withoutPort)
            expectedOffset += packet.payloadLength
        }
        #expect(expectedOffset == 3008)
    }

    @Test("IPv6 fragments are reported with their identification and offset")
    func ipv6FragmentReported() throws {
        var frame = FrameBuilder.udp(from: alice6, to: bob6, payload: Array(repeating: 1, count: 64),
                                     link: .raw, ipID: 0x55, ipv6Extensions: [44])
        frame[40 + 3] = 0x01 // more fragments
        let packet = try decode(frame, .raw).get()
        #expect(packet.ipv6Fragment == IPv6Fragment(identification: 0x55, offset: 0, moreFragments: true, nextHeader: 17))
        #expect(packet.payloadOffset == 48 && packet.payloadLength == 72 && packet.destination.port == 0)
    }

    @Test("Non-IP frames and other transports are refused with the reason")
    func refusals() {
        var arp = FrameBuilder.udp(from: alice, to: bob, payload: [1, 2, 3])
        arp[12] = 0x08; arp[13] = 0x06
        #expect(decode(arp, .ethernet) == .failure(.notIP))
        var icmp = FrameBuilder.udp(from: alice, to: bob, payload: [1, 2, 3], link: .raw)
        icmp[9] = 1
        #expect(decode(icmp, .raw) == .failure(.unsupportedTransport))
        var badLength = FrameBuilder.udp(from: alice, to: bob, payload: [1, 2, 3], link: .raw)
        badLength[24] = 0xFF // UDP length beyond the IP payload
        #expect(decode(badLength, .raw) == .failure(.badHeader))
        #expect(decode([0x45], .raw) == .failure(.truncated))
        #expect(decode([0x00, 0x00, 0x00, 0x07] + Array(repeating: 0, count: 40), .null) == .failure(.notIP))
        let fiveTags = FrameBuilder.udp(from: alice, to: bob, payload: [1], vlanTags: [1, 2, 3, 4, 5])
        #expect(decode(fiveTags, .ethernet) == .failure(.notIP))
        #expect(DecodeFailure.truncated.description.contains("truncated"))
    }

    @Test("A big-endian BSD loopback header is understood too")
    func bigEndianNull() throws {
        var frame = FrameBuilder.udp(from: alice6, to: bob6, payload: [9], link: .null)
        frame[0] = 0; frame[3] = 24
        #expect(try decode(frame, .null).get().destination == bob6)
    }
}
