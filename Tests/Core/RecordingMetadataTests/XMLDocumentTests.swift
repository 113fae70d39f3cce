import Testing
@testable import RecordingMetadata

/// The minimal XML parser under the metadata model.
@Suite("XML parsing")
struct XMLDocumentTests {
    func parse(_ text: String) throws -> XMLElement {
        try XMLDocument.parse(text).root
    }

    func failure(_ text: String) -> MetadataError? {
        #expect(throws: MetadataError.self) { try XMLDocument.parse(text) }
    }

    @Test("Namespace prefixes are split off element and attribute names, raw names kept")
    func prefixes() throws {
        let root = try parse("<tns:recording xmlns:tns='urn:x'><tns:name xml:lang=\"en\">A</tns:name></tns:recording>")
        #expect(root.prefix == "tns")
        #expect(root.localName == "recording")
        #expect(root.name == "tns:recording")
        let name = try #require(root.firstChild("NAME"))
        #expect(name.attributes.first?.name == "xml:lang")
        #expect(name.attributes.first?.prefix == "xml")
        #expect(name.attribute("LANG") == "en")
        #expect(name.text == "A")
    }

    @Test("Predefined entities and decimal and hex character references are decoded")
    func entities() throws {
        let root = try parse("<a v='&quot;&#65;&#x42;&apos;'>&lt;sip:x&gt; &amp; &#233;</a>")
        #expect(root.text == "<sip:x> & é")
        #expect(root.attribute("v") == "\"AB'")
    }

    @Test("The XML declaration, comments, processing instructions and a BOM are skipped; CDATA is text")
    func markup() throws {
        let root = try parse("\u{FEFF}<?xml version='1.0'?>\r\n<!-- c --><?pi x?><a>x<!-- y --><![CDATA[<&>]]><?p?>z</a><!-- end -->\n")
        #expect(root.text == "x<&>z")
        #expect(root.children.isEmpty)
    }

    @Test("CRLF and LF documents give the same text, with line ends normalised to LF")
    func lineEnds() throws {
        let crlf = try parse("<a>\r\n<b>1\r\n2\r3</b>\r\n</a>")
        let lf = try parse("<a>\n<b>1\n2\n3</b>\n</a>")
        #expect(crlf.children == lf.children)
        #expect(crlf.firstChild("b")?.text == "1\n2\n3")
    }

    @Test("Self-closing elements and single or double quoted attributes parse")
    func selfClosing() throws {
        let root = try parse("<a><b x='1' y = \"2\"/><c/></a>")
        #expect(root.children.map(\.localName) == ["b", "c"])
        #expect(root.children.first?.attributes.map(\.value) == ["1", "2"])
        #expect(root.children.last?.line == 1)
    }

    @Test("An unclosed element is reported with its name and line")
    func unclosed() {
        let error = failure("<recording>\n<participant>\n<nameID/>\n")
        #expect(error?.code == .unclosedElement)
        #expect(error?.message == "unclosed element <participant> at line 2")
    }

    @Test("A mismatched end tag names both tags and both lines")
    func mismatched() {
        let error = failure("<a>\n<b>\n</a>")
        #expect(error?.code == .mismatchedTag)
        #expect(error?.message == "end tag </a> at line 3 does not match <b> opened at line 2")
    }

    @Test("Malformed documents are rejected with a message saying what was wrong", arguments: [
        ("", "document is empty"),
        ("hello", "expected '<' at byte 0"),
        ("<a><b></a>", "does not match"),
        ("<a x=1/>", "not quoted"),
        ("<a x='1' x='2'/>", "duplicate attribute 'x'"),
        ("<a x='1'y='2'/>", "expected whitespace"),
        ("<a x='<'/>", "'<' inside the value"),
        ("<a/><b/>", "second root element"),
        ("<a/>trailing", "after the root element"),
        ("text<a/>", "expected '<' at byte 0"),
        ("<a><!ELEMENT a ANY></a>", "unexpected '<!'"),
        ("<a><1/></a>", "expected element name"),
        ("<a></ >", "expected end tag name"),
        ("<a x='1", "unterminated value"),
        ("<a><![CDATA[x</a>", "unterminated CDATA"),
        ("<a><?pi </a>", "unterminated processing instruction"),
        ("<a b", "no '='"),
        ("</a>", "without a matching start tag"),
    ])
    func malformed(input: String, mentions: String) {
        let error = failure(input)
        #expect(error?.message.contains(mentions) == true, "\(String(describing: error))")
    }

    @Test("A '&' that starts no valid entity or character reference is kept as text and reported as a repair", arguments: [
        ("<a>&nbsp;</a>", "&nbsp;"), ("<a>&amp</a>", "&amp"), ("<a>&#xD800;</a>", "&#xD800;"), ("<a>&#0;</a>", "&#0;"),
        ("<a>&#x110000;</a>", "&#x110000;"), ("<a>&#;</a>", "&#;"), ("<a>&#xZZ;</a>", "&#xZZ;"),
        ("<a>&#99999999999999;</a>", "&#99999999999999;"), ("<a>DENVER CITY&CNT</a>", "DENVER CITY&CNT"),
        ("<a>A & B &amp; C</a>", "A & B & C"),
    ])
    func bareAmpersand(input: String, text: String) throws {
        let document = try XMLDocument.parse(input)
        #expect(document.root.text == text)
        #expect(document.repairs.count == 1)
        #expect(document.repairs.first?.contains("line 1") == true)
    }

    @Test("A bare '&' in an attribute is kept too, and several are counted in one repair")
    func bareAmpersandsCounted() throws {
        let document = try XMLDocument.parse("<a v='R&D'>\n<b>x & y</b><b>&bogus;</b></a>")
        #expect(document.root.attribute("v") == "R&D")
        #expect(document.repairs == ["3 '&' that start no entity or character reference (the first at line 1) were read as text"])
        #expect(try XMLDocument.parse("<a>&lt;clean&gt;</a>").repairs.isEmpty)
    }
}
