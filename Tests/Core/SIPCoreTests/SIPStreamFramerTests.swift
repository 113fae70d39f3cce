import Testing
@testable import SIPCore

@Suite("Framing SIP over TCP")
struct SIPStreamFramerTests {
    let options = sipBytes(["OPTIONS sip:srs@example.com SIP/2.0", "Call-ID: one", "Content-Length: 0"])
    let message = sipBytes(["MESSAGE sip:srs@example.com SIP/2.0", "Call-ID: two", "Content-Length: 5"], body: "hello")

    @Test("Two messages arriving in one chunk come out as two messages")
    func twoInOneChunk() throws {
        var framer = SIPStreamFramer()
        framer.append(options + message)
        #expect(try framer.next()?.callID == "one")
        let second = try framer.next()
        #expect(second?.callID == "two")
        #expect(second?.body == Array("hello".utf8))
        #expect(try framer.next() == nil)
        #expect(framer.bufferedByteCount == 0)
    }

    @Test("A message delivered one byte at a time is framed exactly once, when complete")
    func byteByByte() throws {
        var framer = SIPStreamFramer()
        var received: [SIPMessage] = []
        for byte in message + options {
            framer.append([byte])
            while let next = try framer.next() { received.append(next) }
        }
        #expect(received.map(\.callID) == ["two", "one"])
        #expect(received.first?.body == Array("hello".utf8))
    }

    @Test("CRLF keep-alives between messages are skipped")
    func keepAlives() throws {
        var framer = SIPStreamFramer()
        framer.append(Array("\r\n\r\n".utf8))
        #expect(try framer.next() == nil)
        framer.append(options + Array("\r\n\r\n\r\n".utf8) + message + Array("\r\n".utf8))
        #expect(try framer.next()?.callID == "one")
        #expect(try framer.next()?.callID == "two")
        #expect(try framer.next() == nil)
    }

    @Test("A stream message without Content-Length is an error")
    func missingContentLength() {
        var framer = SIPStreamFramer()
        framer.append(sipBytes(["OPTIONS sip:a@b SIP/2.0", "Call-ID: x"]))
        let error = #expect(throws: SIPParseError.self) { try framer.next() }
        #expect(error?.code == .missingContentLength)
    }

    @Test("An endless header block or an oversized Content-Length is an error")
    func oversize() {
        var framer = SIPStreamFramer(maxMessageSize: 1_000)
        framer.append(Array("OPTIONS sip:a@b SIP/2.0\r\n".utf8) + Array(repeating: UInt8(ascii: "a"), count: 2_000))
        #expect(throws: SIPParseError.self) { try framer.next() }

        var second = SIPStreamFramer(maxMessageSize: 1_000)
        second.append(sipBytes(["OPTIONS sip:a@b SIP/2.0", "Content-Length: 5000"]))
        let error = #expect(throws: SIPParseError.self) { try second.next() }
        #expect(error?.code == .messageTooLarge)
    }
}

@Suite("SIP/TCP keep-alives")
struct SIPKeepAliveTests {
    @Test("Each double-CRLF ping is counted once, also split across reads and between messages")
    func pings() throws {
        var framer = SIPStreamFramer()
        framer.append(Array("\r\n\r\n\r\n".utf8))
        #expect(try framer.next() == nil)
        #expect(framer.takeKeepAlivePings() == 1)
        framer.append(Array("\r\n".utf8))
        #expect(framer.takeKeepAlivePings() == 1)
        #expect(framer.takeKeepAlivePings() == 0)
        framer.append(Array("OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\nFrom: <sip:x@y>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: c\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n".utf8))
        #expect(try framer.next()?.method == "OPTIONS")
        #expect(framer.takeKeepAlivePings() == 0)
    }
}
