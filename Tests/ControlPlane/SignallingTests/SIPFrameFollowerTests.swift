import SIPCore
import Testing
import TestSupport
import Wire
@testable import Signalling

@Suite("SIP frame follower (captured frames to SIP messages)")
struct SIPFrameFollowerTests {
    typealias Script = PassiveCallScript
    static let src = PassiveEndpoints.src
    static let srs = PassiveEndpoints.srs

    /// A SIPREC INVITE as CRLF text (about 1.4 KB: several fragments at a small fragment size).
    static let inviteText = Script.requestText("INVITE", callID: "wire-1", cseq: 1, extra: "Require: siprec\n",
                                               body: Script.multipart(sdp: Script.srcOffer()),
                                               contentType: SIPRECBody.contentType)
    static let okText = Script.responseText(200, "OK", callID: "wire-1", cseq: 1, body: Script.srsAnswer(),
                                            contentType: "application/sdp")
    static let byeText = Script.requestText("BYE", callID: "wire-1", cseq: 2)

    // MARK: UDP

    @Test("a SIP message in one UDP datagram is recognised with its addresses and ports")
    func udpMessage() throws {
        var feeder = PassiveFrameFeeder()
        let frame = FrameBuilder.udp(from: Self.src, to: Self.srs, payload: Array(Self.inviteText.utf8))
        let observed = try #require(try feeder.udp(frame))
        #expect(observed.message == (try Script.parse(Self.inviteText)))
        #expect(observed.message.method == "INVITE")
        #expect(observed.message.callID == "wire-1")
        #expect(observed.source == Self.src)
        #expect(observed.destination == Self.srs)
        #expect(observed.source.description == "192.0.2.10:5060")
        #expect(feeder.follower.unparsable == 0)
    }

    @Test("an RTP datagram is not taken for SIP and is not counted as unparsable")
    func udpRTPIgnored() throws {
        var feeder = PassiveFrameFeeder()
        let rtp = RTPPacketBuilder(payloadType: 0, sequenceNumber: 7, timestamp: 160,
                                   payload: Array(repeating: 0xFF, count: 160)).build()
        let frame = FrameBuilder.udp(from: EndpointKey(address: "192.0.2.10", port: 6000)!,
                                     to: EndpointKey(address: "192.0.2.20", port: 40000)!, payload: rtp)
        #expect(try feeder.udp(frame) == nil)
        #expect(feeder.follower.unparsable == 0)
    }

    @Test("a datagram that starts like SIP but does not parse is counted as unparsable")
    func udpUnparsableCounted() throws {
        var feeder = PassiveFrameFeeder()
        // Declares a longer body than it carries.
        let text = "INVITE sip:b@192.0.2.20 SIP/2.0\r\nCall-ID: x\r\nContent-Length: 500\r\n\r\nshort"
        #expect(try feeder.udp(FrameBuilder.udp(from: Self.src, to: Self.srs, payload: Array(text.utf8))) == nil)
        #expect(feeder.follower.unparsable == 1)
    }

    // MARK: IPv4 fragments

    static func inviteFragments() -> [[UInt8]] {
        FrameBuilder.ipv4Fragments(from: Self.src, to: Self.srs, udpPayload: Array(Self.inviteText.utf8),
                                   fragmentSize: 400, ipID: 0x4242)
    }

    @Test("a SIP INVITE split into IPv4 fragments comes back as one message when the last fragment arrives",
          arguments: [false, true])
    func fragmentedInvite(reversed: Bool) throws {
        var feeder = PassiveFrameFeeder()
        var frames = Self.inviteFragments()
        try #require(frames.count >= 3)
        if reversed { frames.reverse() }
        var results: [SIPFrameFollower.Observed] = []
        for (index, frame) in frames.enumerated() {
            let (packet, _) = try PassiveFrameFeeder.decode(frame)
            #expect(packet.fragment != nil)
            if let observed = try feeder.fragment(frame, nanos: Int64(index) * 1_000) {
                results.append(observed)
                #expect(index == frames.count - 1, "only the fragment that completes the datagram yields the message")
            }
        }
        try #require(results.count == 1)
        #expect(results[0].message == (try Script.parse(Self.inviteText)))
        #expect(results[0].source == Self.src, "the ports come back from the reassembled UDP header")
        #expect(results[0].destination == Self.srs)
        #expect(feeder.follower.unparsable == 0)
    }

    // MARK: TCP

    static func tcpFrame(_ bytes: ArraySlice<UInt8>, sequence: UInt32, from: EndpointKey = src,
                         flags: TCPFlags = [.ack, .psh]) -> [UInt8] {
        FrameBuilder.tcp(from: from, to: srs, sequence: sequence, flags: flags, payload: Array(bytes))
    }

    /// The message cut into three segments at uneven places (inside a header, inside the body).
    static func threeSegments(_ text: String, base: UInt32) -> [[UInt8]] {
        let bytes = Array(text.utf8)
        let cuts = [0, 97, bytes.count - 211, bytes.count]
        return (0..<3).map { tcpFrame(bytes[cuts[$0]..<cuts[$0 + 1]], sequence: base &+ UInt32(cuts[$0])) }
    }

    @Test("a SIP message split across three TCP segments delivered out of order comes back whole")
    func tcpOutOfOrder() throws {
        var feeder = PassiveFrameFeeder()
        let segments = Self.threeSegments(Self.inviteText, base: 1_000)
        // The first segment anchors the stream (no SYN seen); the third overtakes the second.
        #expect(try feeder.tcp(segments[0]).isEmpty)
        #expect(try feeder.tcp(segments[2]).isEmpty)
        let messages = try feeder.tcp(segments[1])
        try #require(messages.count == 1)
        #expect(messages[0].message == (try Script.parse(Self.inviteText)))
        #expect(messages[0].source == Self.src && messages[0].destination == Self.srs)
        // A retransmission of the middle segment does not produce the message again.
        #expect(try feeder.tcp(segments[1]).isEmpty)
    }

    @Test("after a SYN, a message whose three segments arrive in reverse order comes back whole")
    func tcpReversedAfterSyn() throws {
        var feeder = PassiveFrameFeeder()
        let base: UInt32 = 0xFFFF_FF00 // the sequence wraps inside the message
        #expect(try feeder.tcp(Self.tcpFrame([], sequence: base &- 1, flags: [.syn])).isEmpty)
        let segments = Self.threeSegments(Self.inviteText, base: base)
        #expect(try feeder.tcp(segments[2]).isEmpty)
        #expect(try feeder.tcp(segments[1]).isEmpty)
        let messages = try feeder.tcp(segments[0])
        #expect(messages.map(\.message) == [try Script.parse(Self.inviteText)])
    }

    @Test("two SIP messages in one TCP segment come back as two messages, in order")
    func tcpTwoInOneSegment() throws {
        var feeder = PassiveFrameFeeder()
        let bytes = Array((Self.okText + Self.byeText).utf8)
        let messages = try feeder.tcp(Self.tcpFrame(bytes[...], sequence: 5_000))
        try #require(messages.count == 2)
        #expect(messages[0].message.statusCode == 200)
        #expect(messages[1].message.method == "BYE")
        #expect(messages[0].message == (try Script.parse(Self.okText)))
        #expect(messages[1].message == (try Script.parse(Self.byeText)))
    }

    @Test("a message and the start of the next in one segment: the second comes back when its rest arrives")
    func tcpMessageStraddlingSegments() throws {
        var feeder = PassiveFrameFeeder()
        let bytes = Array((Self.okText + Self.byeText).utf8)
        let cut = Self.okText.utf8.count + 40
        let first = try feeder.tcp(Self.tcpFrame(bytes[..<cut], sequence: 100))
        #expect(first.map(\.message.statusCode) == [200])
        let second = try feeder.tcp(Self.tcpFrame(bytes[cut...], sequence: 100 + UInt32(cut)))
        #expect(second.map(\.message.method) == ["BYE"])
    }

    @Test("garbage that breaks a TCP stream is counted, and later messages (same flow or a fresh one) still come back")
    func tcpGarbageThenRecovery() throws {
        var feeder = PassiveFrameFeeder()
        // A SIP-looking header block without Content-Length cannot be framed on a stream.
        let garbage = Array("OPTIONS sip:b@192.0.2.20 SIP/2.0\r\nCall-ID: junk\r\n\r\n".utf8)
        #expect(try feeder.tcp(Self.tcpFrame(garbage[...], sequence: 10)).isEmpty)
        #expect(feeder.follower.unparsable == 1)

        // A fresh flow (another SRC port) is unaffected.
        let fresh = try feeder.tcp(Self.tcpFrame(Array(Self.inviteText.utf8)[...], sequence: 77, from: PassiveEndpoints.otherSrc))
        #expect(fresh.map(\.message.method) == ["INVITE"])
        #expect(fresh.first?.source == PassiveEndpoints.otherSrc)

        // The broken flow starts over with the next bytes.
        let next = try feeder.tcp(Self.tcpFrame(Array(Self.byeText.utf8)[...], sequence: 10 + UInt32(garbage.count)))
        #expect(next.map(\.message.method) == ["BYE"])
        #expect(feeder.follower.unparsable == 1)
    }

    @Test("a SIP message carried in the segment that also carries FIN is not lost")
    func tcpMessageWithFin() throws {
        // TCPStreamReassembler returns the segment's bytes and forgets the flow in the same call when the
        // FIN completes it: those bytes must still be framed (a BYE often rides the FIN).
        var feeder = PassiveFrameFeeder()
        let messages = try feeder.tcp(Self.tcpFrame(Array(Self.byeText.utf8)[...], sequence: 300, flags: [.ack, .psh, .fin]))
        #expect(messages.map(\.message.method) == ["BYE"])
    }

    @Test("the end of a message arriving with FIN completes it")
    func tcpMessageCompletedByFin() throws {
        var feeder = PassiveFrameFeeder()
        let bytes = Array(Self.byeText.utf8)
        #expect(try feeder.tcp(Self.tcpFrame(bytes[..<50], sequence: 300)).isEmpty)
        let messages = try feeder.tcp(Self.tcpFrame(bytes[50...], sequence: 350, flags: [.ack, .fin]))
        #expect(messages.map(\.message.method) == ["BYE"])
    }

    // MARK: looksLikeSIP

    struct SniffCase: Sendable, CustomTestStringConvertible {
        var name: String
        var bytes: [UInt8]
        var isSIP: Bool
        var testDescription: String { name }
    }

    static let sniffCases: [SniffCase] = [
        SniffCase(name: "SIP/2.0 200 OK", bytes: Array("SIP/2.0 200 OK\r\n".utf8), isSIP: true),
        SniffCase(name: "INVITE sip:", bytes: Array("INVITE sip:bob@example.com SIP/2.0\r\n".utf8), isSIP: true),
        SniffCase(name: "BYE sip:", bytes: Array("BYE sip:bob@example.com SIP/2.0\r\n".utf8), isSIP: true),
        SniffCase(name: "SUBSCRIBE sip:", bytes: Array("SUBSCRIBE sip:bob@example.com SIP/2.0\r\n".utf8), isSIP: true),
        SniffCase(name: "RTP header", bytes: RTPPacketBuilder(payloadType: 0, sequenceNumber: 1, timestamp: 160,
                                                               payload: Array(repeating: 0xD5, count: 160)).build(), isSIP: false),
        SniffCase(name: "RTP header with marker, PT 8", bytes: RTPPacketBuilder(payloadType: 8, marker: true,
                                                                                 payload: Array(repeating: 0x55, count: 20)).build(), isSIP: false),
        SniffCase(name: "lower-case method", bytes: Array("invite sip:bob@example.com SIP/2.0\r\n".utf8), isSIP: false),
        SniffCase(name: "two-letter word", bytes: Array("OK sip:bob@example.com SIP/2.0\r\n".utf8), isSIP: false),
        SniffCase(name: "too short", bytes: Array("SIP/2.0 200".utf8), isSIP: false),
        SniffCase(name: "CRLF keep-alive", bytes: Array("\r\n\r\n\r\n\r\n\r\n\r\n".utf8), isSIP: false),
        SniffCase(name: "empty", bytes: [], isSIP: false),
    ]

    @Test("looksLikeSIP recognises SIP start lines and rejects RTP and other bytes", arguments: sniffCases)
    func sniff(_ sample: SniffCase) {
        #expect(sample.bytes.withUnsafeBytes { SIPFrameFollower.looksLikeSIP($0) } == sample.isSIP)
    }

    @Test("looksLikeSIP rejects random bytes (2,000 seeded samples)")
    func sniffRandom() {
        var generator = SeededGenerator(seed: 0x5150)
        var accepted = 0
        for _ in 0..<2_000 {
            let bytes = generator.bytes(Int.random(in: 12...200, using: &generator))
            if bytes.withUnsafeBytes({ SIPFrameFollower.looksLikeSIP($0) }) { accepted += 1 }
        }
        #expect(accepted == 0)
    }
}
