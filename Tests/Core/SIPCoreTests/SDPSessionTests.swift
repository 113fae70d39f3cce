import Testing
@testable import SIPCore

@Suite("Parsing SDP offers")
struct SDPSessionTests {
    @Test("The SDP of every fixture parses with two audio m-lines and labels", arguments: [
        "acme-siprec-offer.txt", "cisco-siprec-offer.txt", "procomm-siprec-offer.txt", "broadworks-offer-2.txt",
        "connectel-offer.txt", "inactive-sdp-offer.txt", "sonus-siprec-offer.txt",
    ])
    func fixtureSDP(_ name: String) throws {
        let session = try Fixture.sdp(name)
        #expect(session.media.count == 2)
        #expect(session.media.allSatisfy { $0.type == "audio" && $0.proto == "RTP/AVP" && $0.label != nil })
        #expect(session.origin != nil)
    }

    @Test("Connectel's offer has no c= line at all and still parses")
    func connectelWithoutConnection() throws {
        let session = try Fixture.sdp("connectel-offer.txt")
        #expect(session.connection == nil)
        #expect(session.media.allSatisfy { $0.connection == nil })
        #expect(session.media[0].formats == ["0", "8", "3", "101"])
        #expect(session.media[0].rtpMaps[101] == SDPRTPMap(encodingName: "telephone-event", clockRate: 8000))
        #expect(session.media[0].fmtp(for: 101) == "0-16")
    }

    @Test("Procomm's a=direction:both is not a direction; a=sendonly is")
    func procommDirection() throws {
        let session = try Fixture.sdp("procomm-siprec-offer.txt")
        #expect(session.media.map(\.direction) == [.sendonly, .sendonly])
        #expect(session.media.map(\.label) == ["a_leg", "b_leg"])
        #expect(session.media[0].connection?.address == "89.185.131.7")
    }

    @Test("Static payload types resolve without an rtpmap line")
    func staticPayloadTypes() throws {
        let media = SDPMedia(type: "audio", port: 4000, proto: "RTP/AVP", formats: ["0", "8", "18"])
        #expect(media.encoding(for: 0)?.encodingName == "PCMU")
        #expect(media.encoding(for: 8)?.encodingName == "PCMA")
        #expect(media.encoding(for: 18)?.encodingName == "G729")
        #expect(media.encoding(for: 96) == nil)
    }

    @Test("Session-level direction applies when the m-line has none")
    func sessionLevelDirection() throws {
        let text = "v=0\no=- 1 1 IN IP4 192.0.2.1\ns=-\nt=0 0\na=inactive\nm=audio 4000 RTP/AVP 0\n"
        let session = try SDPSession.parse(Array(text.utf8))
        #expect(session.media[0].direction == .sendrecv)
        #expect(session.media[0].effectiveDirection(session: session) == .inactive)
    }

    @Test("Serialising uses CRLF and parses back to the same session")
    func roundTrip() throws {
        let session = try Fixture.sdp("cisco-siprec-offer.txt")
        let bytes = session.serialized()
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix("v=0\r\no=CiscoSystemsSIP-GW-UserAgent 1247 9367 IN IP4 172.31.93.236\r\ns=SIP Call\r\n"))
        #expect(try SDPSession.parse(bytes) == session)
    }
}
