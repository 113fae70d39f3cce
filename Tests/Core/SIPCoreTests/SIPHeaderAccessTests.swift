import Testing
@testable import SIPCore

@Suite("Looking up and editing headers")
struct SIPHeaderAccessTests {
    let message: SIPMessage = {
        (try? SIPParser.parse(sipBytes(sampleInviteLines + ["Content-Length: 0"])))
            ?? SIPMessage(startLine: .request(method: "X", uri: "sip:x"))
    }()

    @Test("Compact header forms are found by their long names and vice versa")
    func compactForms() {
        #expect(message.header("Call-ID") == "call-123@example.com")
        #expect(message.header("i") == "call-123@example.com")
        #expect(message.header("Contact") != nil)
        #expect(message.header("l") == "0")
        #expect(message.header("f") == message.header("From"))
    }

    @Test("Header names match regardless of case")
    func caseInsensitiveNames() {
        #expect(message.header("call-id") == "call-123@example.com")
        #expect(message.header("CSEQ") == "1 INVITE")
        #expect(message.header("max-FORWARDS") == "70")
    }

    @Test("Via values are listed in order whether comma-joined or on separate lines")
    func multipleVia() {
        let vias = message.via
        #expect(vias.count == 3)
        #expect(vias.map(\.branch) == ["z9hG4bK-a1", "z9hG4bK-b2", "z9hG4bK-c3"])
        #expect(vias[0].host == "2001:db8::1")
        #expect(vias[0].port == 5060)
        #expect(vias[0].transport == "TCP")
        #expect(vias[1].rport == .some(nil))
        #expect(vias[2].received == "192.0.2.9")
        #expect(vias[2].rport == nil)
    }

    @Test("A quoted display name containing a comma stays one From value")
    func quotedDisplayNameWithComma() {
        #expect(message.headerValues("From").count == 1)
        #expect(message.from?.displayName == "Smith, John Jr.")
        #expect(message.from?.tag == "from-1")
        #expect(message.to?.tag == nil)
    }

    @Test("The Contact carries an IPv6 URI and the +sip.src feature tag")
    func contactWithFeatureTag() {
        let contact = message.contact
        #expect(contact.count == 1)
        #expect(contact.first?.uri?.host == "2001:db8::1")
        #expect(contact.first?.uri?.transport == "tcp")
        #expect(contact.first?.parameter("+sip.src") == .some(nil))
        #expect(contact.first?.parameter("+SIP.SRC") == .some(nil))
        #expect(contact.first?.parameter("tag") == nil)
    }

    @Test("The Request-URI with an IPv6 host, port and transport is parsed")
    func ipv6RequestURI() {
        let uri = message.requestURI
        #expect(uri?.user == "srs")
        #expect(uri?.host == "2001:db8::5")
        #expect(uri?.port == 5070)
        #expect(uri?.transport == "tcp")
        #expect(uri?.description == "sip:srs@[2001:db8::5]:5070;transport=tcp")
    }

    @Test("setHeader replaces every instance; addHeader appends; removingHeaders drops compact forms too")
    func editingHeaders() {
        var copy = message
        copy.setHeader("Via", "SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK-new")
        #expect(copy.headerValues("Via") == ["SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK-new"])
        copy.setHeader("X-New", "1")
        copy.addHeader("X-New", "2")
        #expect(copy.headerValues("x-new") == ["1", "2"])
        #expect(copy.removingHeaders("Call-ID").header("i") == nil)
    }
}
