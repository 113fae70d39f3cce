import Testing
import TestSupport
@testable import Wire

@Suite("IPv4 fragment reassembly")
struct IPv4FragmentReassemblerTests {
    /// (fragment, IP payload) pairs as the capture path would see them.
    static func pieces(_ payload: [UInt8], size: Int = 1480, ipID: UInt16 = 7, from: EndpointKey = alice)
        -> [(IPv4Fragment, [UInt8])] {
        FrameBuilder.ipv4Fragments(from: from, to: bob, udpPayload: payload, fragmentSize: size, ipID: ipID).map { frame in
            let packet = try! decode(frame, .ethernet).get()
            return (packet.fragment!, Array(frame[packet.payloadOffset..<(packet.payloadOffset + packet.payloadLength)]))
        }
    }

    static let body: [UInt8] = (0..<4000).map { UInt8(truncatingIfNeeded: $0 &* 7) }

    func feed(_ reassembler: inout IPv4FragmentReassembler, _ pieces: [(IPv4Fragment, [UInt8])],
              from: EndpointKey = alice, time: Int64 = 0) -> [ReassembledDatagram] {
        pieces.compactMap { fragment, bytes in
            bytes.withUnsafeBytes {
                reassembler.add(fragment, source: from, destination: bob, payload: $0, timeNanos: time)
            }
        }
    }

    @Test("A fragmented SIP datagram comes back whole, in order or reversed")
    func inOrderAndReversed() throws {
        for order in [Self.pieces(Self.body), Self.pieces(Self.body).reversed()] {
            var reassembler = IPv4FragmentReassembler(capacity: 4)
            let done = feed(&reassembler, Array(order))
            #expect(done.count == 1)
            let udp = try #require(IPv4FragmentReassembler.udp(fromReassembled: done[0]))
            #expect(udp.payload == Self.body && udp.source == alice && udp.destination == bob)
            #expect(reassembler.inFlight == 0 && reassembler.counters.reassembled == 1)
        }
    }

    @Test("Duplicated and overlapping fragments are tolerated")
    func duplicates() {
        var pieces = Self.pieces(Self.body, size: 512)
        pieces.insert(pieces[2], at: 1)
        // An overlapping copy covering pieces 3 and 4 at once.
        let overlap = IPv4Fragment(identification: 7, offset: pieces[4].0.offset, moreFragments: true, protocolNumber: 17)
        pieces.insert((overlap, pieces[4].1 + pieces[5].1), at: 0)
        var reassembler = IPv4FragmentReassembler(capacity: 2)
        let done = feed(&reassembler, pieces)
        #expect(done.count == 1 && IPv4FragmentReassembler.udp(fromReassembled: done[0])?.payload == Self.body)
    }

    @Test("A datagram missing a piece never completes and expires after the timeout")
    func missingPieceExpires() {
        var pieces = Self.pieces(Self.body)
        pieces.remove(at: 1)
        var reassembler = IPv4FragmentReassembler(capacity: 2, timeoutNanos: 30_000_000_000)
        #expect(feed(&reassembler, pieces).isEmpty && reassembler.inFlight == 1)
        #expect(feed(&reassembler, [], time: 0).isEmpty)
        // Any later fragment (here of another datagram) triggers expiry of the stale one.
        _ = feed(&reassembler, [Self.pieces(Self.body, ipID: 9)[0]], time: 31_000_000_000)
        #expect(reassembler.counters.expired == 1 && reassembler.inFlight == 1)
    }

    @Test("When every slot is busy the oldest datagram is evicted")
    func eviction() {
        var reassembler = IPv4FragmentReassembler(capacity: 2)
        for id in UInt16(1)...3 {
            _ = feed(&reassembler, [Self.pieces(Self.body, ipID: id)[0]], time: Int64(id))
        }
        #expect(reassembler.counters.evicted == 1 && reassembler.inFlight == 2)
        // Datagram 1 was evicted: its remaining pieces alone cannot complete it.
        #expect(feed(&reassembler, Array(Self.pieces(Self.body, ipID: 1).dropFirst()), time: 4).isEmpty)
        #expect(feed(&reassembler, Array(Self.pieces(Self.body, ipID: 3).dropFirst()), time: 5).count == 1)
    }

    @Test("Fragments with impossible offsets or contradicting ends are dropped and counted")
    func badInput() {
        var reassembler = IPv4FragmentReassembler(capacity: 2)
        let bytes = [UInt8](repeating: 0, count: 16)
        let cases = [
            IPv4Fragment(identification: 1, offset: 65_528, moreFragments: false, protocolNumber: 17), // ends past 65,535
            IPv4Fragment(identification: 1, offset: 4, moreFragments: true, protocolNumber: 17),       // misaligned
        ]
        for fragment in cases {
            #expect(bytes.withUnsafeBytes { reassembler.add(fragment, source: alice, destination: bob, payload: $0, timeNanos: 0) } == nil)
        }
        #expect(reassembler.counters.malformedFragments == 2 && reassembler.inFlight == 0)
        // A "last" fragment ending before data already received contradicts it.
        var pieces = Self.pieces(Self.body)
        pieces[0].0.moreFragments = false
        #expect(feed(&reassembler, [pieces[1], pieces[0]]).isEmpty)
        #expect(reassembler.counters.inconsistentDatagrams == 1 && reassembler.inFlight == 0)
    }

    @Test("Fragments from different senders with the same identification stay apart")
    func separateSenders() {
        let carol = EndpointKey(address: "203.0.113.5", port: 40_000)!
        var reassembler = IPv4FragmentReassembler(capacity: 4)
        let a = Self.pieces(Self.body), c = Self.pieces(Array(Self.body.reversed()), from: carol)
        #expect(feed(&reassembler, [a[0]]).isEmpty)
        #expect(feed(&reassembler, Array(c), from: carol).count == 1)
        #expect(feed(&reassembler, Array(a.dropFirst())).first?.source == alice.withoutPort)
    }
}
