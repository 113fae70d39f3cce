import Testing
import TestSupport
@testable import Wire

@Suite("Packet decoding of hostile input")
struct PacketDecoderRobustnessTests {
    /// Frames of every shape the builder makes, with the length below which they are incomplete.
    static func sampleFrames(link: LinkType) -> [(frame: [UInt8], meaningful: Int)] {
        var frames: [[UInt8]] = []
        let tagSets: [[UInt16]] = taggableLinks.contains(link) ? [[], [10, 20]] : [[]]
        for tags in tagSets {
            if link != .ipv6 {
                frames.append(FrameBuilder.udp(from: alice, to: bob, payload: Array(0..<30), link: link, vlanTags: tags))
                frames.append(FrameBuilder.tcp(from: alice, to: bob, sequence: 9, payload: Array(0..<30), link: link, vlanTags: tags))
                frames += FrameBuilder.ipv4Fragments(from: alice, to: bob, udpPayload: Array(0..<40), fragmentSize: 24,
                                                     link: link, vlanTags: tags)
            }
            if link != .ipv4 {
                frames.append(FrameBuilder.udp(from: alice6, to: bob6, payload: Array(0..<30), link: link,
                                               vlanTags: tags, ipv6Extensions: [0, 43, 51, 60]))
                frames.append(FrameBuilder.tcp(from: alice6, to: bob6, sequence: 9, payload: [1], link: link, vlanTags: tags))
            }
        }
        // Ethernet padding may be cut without harm, so only lengths inside the real content must fail.
        return frames.map { frame in
            let packet = try! decode(frame, link).get()
            return (frame, packet.payloadOffset + packet.payloadLength)
        }
    }

    @Test("A frame cut at any length is refused, never crashes and never reads past its end", arguments: LinkType.allCases)
    func truncationAtEveryLength(link: LinkType) {
        for (frame, meaningful) in Self.sampleFrames(link: link) {
            for length in 0..<meaningful {
                // An exactly-sized copy lets the sanitizer-free build still catch overreads via bounds checks.
                let cut = Array(frame[0..<length])
                switch decode(cut, link) {
                case .success(let packet):
                    Issue.record("\(link): a \(length)-byte prefix of \(frame.count) decoded as \(packet)")
                case .failure:
                    break
                }
            }
        }
    }

    @Test("20,000 random and mutated frames per link type decode without crashing", arguments: LinkType.allCases)
    func fuzz(link: LinkType) {
        var random = SeededGenerator(seed: 0x5EED_0000 | UInt64(UInt32(bitPattern: link.rawValue)))
        let seeds = Self.sampleFrames(link: link).map(\.frame)
        var decoded = 0
        for round in 0..<20_000 {
            var frame: [UInt8]
            if round % 2 == 0 {
                frame = random.bytes(Int(random.next() % 120))
            } else {
                // Mutating valid frames reaches the deep header paths random bytes never get to.
                frame = seeds[Int(random.next() % UInt64(seeds.count))]
                for _ in 0..<(1 + random.next() % 4) where !frame.isEmpty {
                    frame[Int(random.next() % UInt64(frame.count))] = UInt8(truncatingIfNeeded: random.next())
                }
                frame = Array(frame.prefix(Int(random.next() % UInt64(frame.count + 1))))
            }
            if case .success(let packet) = decode(frame, link) {
                decoded += 1
                #expect(packet.payloadOffset >= 0 && packet.payloadLength >= 0
                        && packet.payloadOffset + packet.payloadLength <= frame.count)
            }
        }
        #expect(decoded > 0, "some mutated frames should still decode")
    }
}
