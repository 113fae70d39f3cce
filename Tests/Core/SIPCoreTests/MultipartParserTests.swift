import Testing
@testable import SIPCore

@Suite("Splitting SIPREC multipart bodies")
struct MultipartParserTests {
    @Test("Every vendor fixture splits into its parts with the right content types", arguments: [
        ("acme-siprec-offer.txt", ["application/sdp", "application/rs-metadata+xml"]),
        ("cisco-siprec-offer.txt", ["application/sdp", "application/rs-metadata+xml", "application/gtd"]),
        ("procomm-siprec-offer.txt", ["application/sdp", "application/rs-metadata"]),
        ("broadworks-offer-2.txt", ["application/sdp", "application/rs-metadata+xml"]),
        ("connectel-offer.txt", ["application/sdp", "application/rs-metadata+xml"]),
        ("inactive-sdp-offer.txt", ["application/sdp", "application/rs-metadata+xml"]),
        ("sonus-siprec-offer.txt", ["application/sdp", "application/rs-metadata+xml"]),
    ])
    func fixtureParts(_ name: String, _ expected: [String]) throws {
        let parts = try Fixture.parts(name)
        #expect(parts.map { $0.contentType?.mediaType ?? "none" } == expected)
    }

    @Test("Part bodies keep their bytes, minus the line break before the next boundary")
    func partBodiesExact() throws {
        let parts = try Fixture.parts("acme-siprec-offer.txt")
        let sdp = String(decoding: parts.first?.body ?? [], as: UTF8.self)
        #expect(sdp.hasPrefix("v=0\n"))
        #expect(sdp.hasSuffix("a=sendonly\n"))
        let xml = String(decoding: parts.last?.body ?? [], as: UTF8.self)
        #expect(xml.hasPrefix("<?xml"))
        #expect(xml.hasSuffix("</recording>"))
        #expect(parts.last?.header("content-disposition") == "recording-session")
    }

    @Test("The damaged BroadWorks body does not crash and still yields the metadata first")
    func damagedBroadWorks() {
        let body = Fixture.bytes("broadworks-offer.txt")
        #expect(!body.isEmpty)
        // Either outcome is acceptable for damaged input; today it yields both parts.
        let parts = try? MultipartParser.parse(body, boundary: Fixture.boundary(of: body))
        #expect(parts?.count == 2)
        #expect(parts?.first?.header("Content-Disposition") == "recording-session")
        #expect(parts?.last?.contentType?.mediaType == "application/sdp")
    }

    @Test("CRLF bodies with preamble, padded boundaries and an epilogue split cleanly")
    func crlfWithPadding() throws {
        let body = "preamble\r\n--b1 \t\r\nContent-Type: text/plain\r\n\r\nfirst\r\n\r\n--b1\r\n"
            + "Content-Type: application/sdp\r\n\r\nv=0\r\n--b1-- \r\nepilogue\r\n"
        let parts = try MultipartParser.parse(Array(body.utf8), boundary: "b1")
        #expect(parts.map(\.body) == [Array("first\r\n".utf8), Array("v=0".utf8)])
    }

    @Test("A line that merely starts with the boundary text is content, not a boundary")
    func boundaryPrefixIsContent() throws {
        let body = "--b\nContent-Type: text/plain\n\n--bx not a boundary\n--b--\n"
        let parts = try MultipartParser.parse(Array(body.utf8), boundary: "b")
        #expect(parts.count == 1)
        #expect(parts.first?.body == Array("--bx not a boundary".utf8))
    }

    @Test("A part without a header/body separator, or a body without boundaries, is an error")
    func malformedParts() {
        let noSeparator = "--b\nContent-Type: text/plain\n--b--\n"
        let error = #expect(throws: SIPParseError.self) {
            try MultipartParser.parse(Array(noSeparator.utf8), boundary: "b")
        }
        #expect(error?.code == .invalidMultipart)
        #expect(throws: SIPParseError.self) { try MultipartParser.parse(Array("v=0\n".utf8), boundary: "b") }
        #expect(throws: SIPParseError.self) { try MultipartParser.parse(Array("--\n".utf8), boundary: "") }
    }

    @Test("Adjacent boundary lines give no empty parts (a repair), and headerless parts do not crash")
    func adjacentBoundaries() throws {
        var repairs: [String] = []
        #expect(try MultipartParser.parse(Array("--b\n--b\n--b--".utf8), boundary: "b", repairs: &repairs).isEmpty)
        #expect(repairs == ["2 empty multipart parts between stray boundary lines skipped"])
        let headerless = try MultipartParser.parse(Array("--b\n\nraw\n--b--".utf8), boundary: "b")
        #expect(headerless == [MIMEPart(headers: [], body: Array("raw".utf8))])
    }

    @Test("A boundary the body does not use, a missing boundary parameter and a missing closing line are repaired")
    func repairedBoundaries() throws {
        let body = Array("--real\nContent-Type: application/sdp\n\nv=0\n--real\n\n--real\nContent-Type: text/plain\n\nx\n".utf8)
        var repairs: [String] = []
        let parts = try MultipartParser.parse(body, boundary: "declared", repairs: &repairs)
        #expect(parts.map { $0.header("Content-Type") } == ["application/sdp", "text/plain"])
        #expect(repairs == [
            "no line of the multipart body uses the boundary \"declared\" of its Content-Type; the body's own \"--real\" was used",
            "1 empty multipart part between stray boundary lines skipped", "the multipart body has no closing boundary"])
        repairs = []
        #expect(try MultipartParser.parse(body, boundary: nil, repairs: &repairs).count == 2)
        #expect(repairs.first == "the multipart Content-Type has no boundary; the body's own \"--real\" was used")
        repairs = []
        _ = try MultipartParser.parse(Array("--b\n\nx\n--b--\n".utf8), boundary: "b", repairs: &repairs)
        #expect(repairs.isEmpty)
    }
}
