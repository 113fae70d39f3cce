import Testing
import TestSupport
@testable import SIPCore

@Suite("Answering SIPREC SDP offers")
struct SDPAnswererTests {
    func answer(_ offer: SDPSession, address: String = "192.0.2.10") -> (answer: SDPSession, plan: [SDPAnswerPlan]) {
        SDPAnswerer.answer(offer: offer, localAddress: address, ports: [40000, 40002, 40004],
                           sessionId: "123", sessionVersion: 1, decodable: recorderDecodable)
    }

    @Test("Each fixture gets one recvonly m-line per offered one, in order, with labels echoed", arguments: [
        "acme-siprec-offer.txt", "cisco-siprec-offer.txt", "procomm-siprec-offer.txt", "broadworks-offer-2.txt",
        "connectel-offer.txt", "sonus-siprec-offer.txt",
    ])
    func fixtureAnswers(_ name: String) throws {
        let offer = try Fixture.sdp(name)
        let (answer, plan) = answer(offer)
        #expect(answer.media.count == offer.media.count)
        #expect(answer.media.map(\.label) == offer.media.map(\.label))
        #expect(answer.media.map(\.port) == [40000, 40002])
        #expect(answer.media.allSatisfy { $0.direction == .recvonly })
        #expect(plan.map(\.accepted) == [true, true])
        #expect(plan.map(\.mLineIndex) == [0, 1])
        #expect(try SDPSession.parse(answer.serialized()) == answer)
    }

    @Test("Every offered PCMU/PCMA format is answered in the offer's order, with telephone-event kept and GSM named as undecodable")
    func codecChoice() throws {
        let (answer, plan) = answer(try Fixture.sdp("connectel-offer.txt"))
        #expect(plan.map(\.encoding) == ["PCMU", "PCMA"])
        #expect(plan.map(\.payloadType) == [0, 8])
        #expect(plan[0].audio.map(\.payloadType) == [0, 8])
        #expect(plan[1].audio.map(\.payloadType) == [8, 0])
        #expect(plan[0].undecodable == [SDPFormat(payloadType: 3, encoding: "GSM/8000")])
        #expect(plan.map(\.telephoneEventPT) == [101, 101])
        #expect(answer.media[0].formats == ["0", "8", "101"])
        #expect(answer.media[1].formats == ["8", "0", "101"])
        #expect(answer.media[0].attributes.contains(SDPAttribute(name: "rtpmap", value: "8 PCMA/8000")))
        #expect(answer.media[1].attributes.contains(SDPAttribute(name: "fmtp", value: "101 0-16")))
    }

    @Test("G.729 is answered next to G.711 in the offer's order, its Annex B fmtp echoed; GSM stays undecodable")
    func g729() throws {
        let text = """
            v=0
            o=src 1 1 IN IP4 192.0.2.1
            s=-
            c=IN IP4 192.0.2.1
            t=0 0
            m=audio 5000 RTP/AVP 18 0 3 101
            a=rtpmap:18 G729/8000
            a=fmtp:18 annexb=no
            a=rtpmap:101 telephone-event/8000
            a=sendonly
            a=label:1
            """
        let (answer, plan) = answer(try SDPSession.parse(Array(text.utf8)))
        #expect(plan[0].audio.map(\.encoding) == ["G729", "PCMU"])
        #expect(plan[0].undecodable == [SDPFormat(payloadType: 3, encoding: "GSM/8000")])
        #expect(answer.media[0].formats == ["18", "0", "101"])
        #expect(answer.media[0].attributes.contains(SDPAttribute(name: "rtpmap", value: "18 G729/8000")))
        #expect(answer.media[0].attributes.contains(SDPAttribute(name: "fmtp", value: "18 annexb=no")))
    }

    @Test("AMR and AMR-WB are answered in the offer's order with their fmtp echoed; AMR with CRCs is named as undecodable")
    func amr() throws {
        let text = """
            v=0
            o=src 1 1 IN IP4 192.0.2.1
            s=-
            c=IN IP4 192.0.2.1
            t=0 0
            m=audio 5000 RTP/AVP 98 96 97 99 8
            a=rtpmap:98 AMR/8000
            a=fmtp:98 octet-align=1; crc=1
            a=rtpmap:96 AMR/8000
            a=fmtp:96 octet-align=1; mode-set=0,2,5,7
            a=rtpmap:97 AMR/8000/1
            a=rtpmap:99 AMR-WB/16000
            a=sendonly
            a=label:1
            """
        let (answer, plan) = answer(try SDPSession.parse(Array(text.utf8)))
        #expect(plan[0].audio == [SDPFormat(payloadType: 96, encoding: "AMR", parameters: "octet-align=1; mode-set=0,2,5,7"),
                                  SDPFormat(payloadType: 97, encoding: "AMR", channels: 1),
                                  SDPFormat(payloadType: 99, encoding: "AMR-WB", clockRate: 16_000), SDPFormat(payloadType: 8, encoding: "PCMA")])
        #expect(answer.media[0].attributes.contains(SDPAttribute(name: "rtpmap", value: "97 AMR/8000/1")))
        #expect(plan[0].undecodable == [SDPFormat(payloadType: 98, encoding: "AMR/8000")])
        #expect(answer.media[0].formats == ["96", "97", "99", "8"])
        #expect(answer.media[0].attributes.contains(SDPAttribute(name: "rtpmap", value: "99 AMR-WB/16000")))
        #expect(answer.media[0].attributes.contains(SDPAttribute(name: "fmtp", value: "96 octet-align=1; mode-set=0,2,5,7")))
        #expect(!answer.media[0].attributes.contains { $0.name == "fmtp" && $0.value?.hasPrefix("97") == true })
    }

    @Test("Opus is answered as offered (opus/48000/2 and its fmtp) with telephone-event on its 48 kHz clock; Opus at another clock is not decoded")
    func opus() throws {
        let text = """
            v=0
            o=src 1 1 IN IP4 192.0.2.1
            s=-
            c=IN IP4 192.0.2.1
            t=0 0
            m=audio 5000 RTP/AVP 111 112 101
            a=rtpmap:111 opus/48000/2
            a=fmtp:111 useinbandfec=1; sprop-stereo=1; maxplaybackrate=16000
            a=rtpmap:112 opus/16000
            a=rtpmap:101 telephone-event/48000
            a=sendonly
            a=label:1
            """
        let (answer, plan) = answer(try SDPSession.parse(Array(text.utf8)))
        #expect(plan[0].audio.map(\.payloadType) == [111] && plan[0].telephoneEvents == [101])
        #expect(plan[0].undecodable == [SDPFormat(payloadType: 112, encoding: "opus/16000")])
        #expect(answer.media[0].formats == ["111", "101"])
        #expect(answer.media[0].attributes.contains(SDPAttribute(name: "rtpmap", value: "111 opus/48000/2")))
        #expect(answer.media[0].attributes.contains(SDPAttribute(name: "fmtp", value: "111 useinbandfec=1; sprop-stereo=1; maxplaybackrate=16000")))
        #expect(answer.media[0].attributes.contains(SDPAttribute(name: "rtpmap", value: "101 telephone-event/48000")))
    }

    @Test("AMR-WB with telephone-event/16000 and CN/16000: both answered on the audio's clock; CN/22050 is not")
    func wideEventsAndNoise() throws {
        let text = """
            v=0
            o=src 1 1 IN IP4 192.0.2.1
            s=-
            c=IN IP4 192.0.2.1
            t=0 0
            m=audio 5000 RTP/AVP 98 100 105 106
            a=rtpmap:98 AMR-WB/16000
            a=rtpmap:100 telephone-event/16000
            a=rtpmap:105 CN/16000
            a=rtpmap:106 CN/22050
            a=sendonly
            a=label:1
            """
        let (answer, plan) = answer(try SDPSession.parse(Array(text.utf8)))
        #expect(plan[0].audio.map(\.payloadType) == [98] && plan[0].telephoneEvents == [100] && plan[0].comfortNoise == [105])
        #expect(answer.media[0].formats == ["98", "100", "105"])
        #expect(answer.media[0].attributes.contains(SDPAttribute(name: "rtpmap", value: "100 telephone-event/16000")))
        #expect(answer.media[0].attributes.contains(SDPAttribute(name: "rtpmap", value: "105 CN/16000")))
        #expect(plan[0].undecodable == [SDPFormat(payloadType: 106, encoding: "CN/22050")])
    }

    @Test("A 0.0.0.0 connection address holds the stream like a=inactive (RFC 2543 hold); recvonly and port 0 too")
    func oldStyleHolds() throws {
        let text = """
            v=0
            o=- 1 2 IN IP4 192.0.2.1
            s=-
            c=IN IP4 0.0.0.0
            t=0 0
            m=audio 5000 RTP/AVP 0
            a=sendonly
            m=audio 5002 RTP/AVP 8
            c=IN IP4 192.0.2.1
            a=recvonly
            m=audio 0 RTP/AVP 8
            """
        let (answer, plan) = answer(try SDPSession.parse(Array(text.utf8)))
        #expect(plan.map(\.hold) == [.nullAddress, .recvonly, .portZero])
        #expect(plan.map(\.accepted) == [true, true, false])
        #expect(answer.media.map(\.direction) == [.inactive, .inactive, .sendrecv])
        #expect(answer.media.map(\.port) == [40000, 40002, 0])
    }

    @Test("An inactive offer gets an inactive answer, keeping CN and ptime")
    func inactiveOffer() throws {
        let (answer, plan) = answer(try Fixture.sdp("inactive-sdp-offer.txt"))
        #expect(answer.media.map(\.direction) == [.inactive, .inactive])
        #expect(plan.map(\.comfortNoisePT) == [19, 19])
        #expect(answer.media[0].formats == ["0", "101", "19"])
        #expect(answer.media[0].attributes.contains(SDPAttribute(name: "ptime", value: "20")))
    }

    @Test("A GSM-only, video or port-0 m-line is rejected with port 0 and its first format")
    func rejections() throws {
        let text = """
            v=0
            o=- 1 1 IN IP4 192.0.2.1
            s=-
            c=IN IP4 192.0.2.1
            t=0 0
            m=audio 5000 RTP/AVP 3
            a=label:gsm
            m=video 5002 RTP/AVP 96
            m=audio 0 RTP/AVP 0
            """
        let (answer, plan) = answer(try SDPSession.parse(Array(text.utf8)))
        #expect(answer.media.map(\.port) == [0, 0, 0])
        #expect(answer.media.map(\.formats) == [["3"], ["96"], ["0"]])
        #expect(answer.media.map(\.type) == ["audio", "video", "audio"])
        #expect(plan.map(\.accepted) == [false, false, false])
        #expect(plan.first?.label == "gsm")
    }

    @Test("The session lines carry siprecd, the local address and the given session id")
    func sessionLines() throws {
        let (answer, _) = answer(try Fixture.sdp("acme-siprec-offer.txt"), address: "2001:db8::10")
        let text = String(decoding: answer.serialized(), as: UTF8.self)
        #expect(text.hasPrefix("v=0\r\no=- 123 1 IN IP6 2001:db8::10\r\ns=siprecd\r\nc=IN IP6 2001:db8::10\r\nt=0 0\r\n"))
    }
}
