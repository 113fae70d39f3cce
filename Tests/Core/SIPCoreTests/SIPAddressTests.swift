import Testing
@testable import SIPCore

@Suite("URIs, name-addrs, Via, CSeq and Content-Type values")
struct SIPAddressTests {
    @Test("URIs round-trip through their description", arguments: [
        "sip:srs@[2001:db8::5]:5070;transport=tcp",
        "sips:alice:secret@example.com:5061;lr;maddr=10.0.0.1?subject=hi",
        "sip:+15551234567;npdi@gw.example.com;user=phone",
        "sip:192.0.2.4",
        "tel:+1-201-555-0123;phone-context=example.com",
    ])
    func uriRoundTrip(_ text: String) {
        #expect(SIPURI(parsing: text)?.description == text)
    }

    @Test("Malformed or unsupported URIs are refused", arguments: [
        "", "sip:", "http://example.com", "sip:a@", "sip:[2001:db8::1", "sip:host:99999", "sip:host:-1", "sip:@host",
        "sip:ho st",
    ])
    func badURIs(_ text: String) {
        #expect(SIPURI(parsing: text) == nil)
    }

    @Test("Parameters of a bare addr-spec belong to the header, not the URI")
    func addrSpecParameters() {
        let value = SIPNameAddr(parsing: "sip:a@b;tag=x")
        #expect(value?.tag == "x")
        #expect(value?.uri?.parameters == [])
        #expect(value?.description == "<sip:a@b>;tag=x")
    }

    @Test("Display names are unquoted and re-quoted with escapes")
    func displayNames() {
        let quotedName = SIPNameAddr(parsing: #""Name, \"Jr.\"" <sip:a@b>;tag=1"#)
        #expect(quotedName?.displayName == #"Name, "Jr.""#)
        #expect(quotedName?.description == #""Name, \"Jr.\"" <sip:a@b>;tag=1"#)
        #expect(SIPNameAddr(parsing: "Bob <sip:bob@b>")?.displayName == "Bob")
        #expect(SIPNameAddr(parsing: "*")?.rawURI == "*")
    }

    @Test("An IPv6 Contact with +sip.src keeps the flag when re-serialised")
    func ipv6Contact() {
        let contact = SIPNameAddr(parsing: "<sip:[2001:db8::1]:5060>;+sip.src")
        #expect(contact?.uri?.host == "2001:db8::1")
        #expect(contact?.uri?.port == 5060)
        #expect(contact?.description == "<sip:[2001:db8::1]:5060>;+sip.src")
    }

    @Test("Broken name-addrs are refused", arguments: [
        "", "\"unterminated <sip:a@b>", "<sip:a@b", "<>", "Bob <sip:a@b> trailing", "no-scheme",
    ])
    func badNameAddrs(_ text: String) {
        #expect(SIPNameAddr(parsing: text) == nil)
    }

    @Test("Via values parse with spaces around slashes and serialise with IPv6 brackets")
    func viaParsing() {
        var via = SIPVia(parsing: "SIP / 2.0 / tcp [2001:db8::9]:5070;branch=z9hG4bK1;rport=5071")
        #expect(via?.transport == "TCP")
        #expect(via?.rport == .some(5071))
        via?.setParameter("received", "2001:db8::10")
        #expect(via?.description == "SIP/2.0/TCP [2001:db8::9]:5070;branch=z9hG4bK1;rport=5071;received=2001:db8::10")
        #expect(SIPVia(parsing: "SIP/2.0/UDP") == nil)
        #expect(SIPVia(parsing: "HTTP/1.1/UDP host") == nil)
    }

    @Test("CSeq rejects numbers beyond 32 bits and non-token methods")
    func cseqBounds() {
        #expect(SIPCSeq(parsing: "4294967295 BYE")?.number == UInt32.max)
        #expect(SIPCSeq(parsing: "4294967296 BYE") == nil)
        #expect(SIPCSeq(parsing: "1") == nil)
        #expect(SIPCSeq(parsing: "1 IN<VITE") == nil)
    }

    @Test("Content-Type lowercases the media type and unquotes the boundary")
    func contentType() {
        let type = SIPContentType(parsing: #"Multipart/Mixed ; Boundary="unique boundary;1""#)
        #expect(type?.mediaType == "multipart/mixed")
        #expect(type?.parameter("boundary") == "unique boundary;1")
        #expect(type?.description == #"multipart/mixed;Boundary="unique boundary;1""#)
        #expect(SIPContentType(parsing: "application") == nil)
    }

    @Test("Generated tokens are alphanumeric, of the requested length, and differ")
    func tokens() {
        let first = generateSIPToken(length: 16)
        #expect(first.count == 16)
        #expect(first.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) })
        #expect(first != generateSIPToken(length: 16))
        #expect(generateSIPToken(length: -3) == "")
    }
}
