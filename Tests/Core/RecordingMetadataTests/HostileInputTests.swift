import Testing
@testable import RecordingMetadata

/// Untrusted metadata must be refused cheaply, never crash or blow up memory.
@Suite("Hostile input")
struct HostileInputTests {
    func failure(_ bytes: [UInt8]) -> MetadataError? {
        #expect(throws: MetadataError.self) { try RecordingMetadata.parse(bytes) }
    }

    @Test("10,000 levels of nesting are refused at the depth limit")
    func deepNesting() {
        let text = String(repeating: "<a>", count: 10_000) + String(repeating: "</a>", count: 10_000)
        let error = failure(Array(text.utf8))
        #expect(error?.code == .limitExceeded)
        #expect(error?.message.contains("nested deeper than 64") == true)
    }

    @Test("A 1 MB document is refused by size before parsing")
    func oversized() {
        let error = failure(Array(String(repeating: "<a>", count: 350_000).utf8))
        #expect(error?.code == .limitExceeded)
        #expect(error?.message.contains("larger than the 262144-byte limit") == true)
    }

    @Test("Too many elements within the size limit are refused")
    func tooManyElements() {
        let text = "<recording>" + String(repeating: "<a/>", count: 20_000) + "</recording>"
        let error = failure(Array(text.utf8))
        #expect(error?.code == .limitExceeded)
        #expect(error?.message.contains("more than 10000 elements") == true)
    }

    @Test("Too many attributes on one element are refused")
    func tooManyAttributes() {
        let attributes = (0..<100).map { " a\($0)='x'" }.joined()
        #expect(failure(Array("<recording\(attributes)/>".utf8))?.code == .limitExceeded)
    }

    @Test("A DOCTYPE with entity definitions (billion laughs) is refused outright")
    func doctype() {
        let text = """
            <?xml version="1.0"?>
            <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>
            <recording>&lol2;</recording>
            """
        let error = failure(Array(text.utf8))
        #expect(error?.code == .doctypeForbidden)
        #expect(error?.message == "DOCTYPE declarations are not allowed in metadata (line 2)")
    }

    @Test("An unterminated comment is reported with its starting line")
    func unterminatedComment() {
        let error = failure(Array("<recording>\n<!-- never closed <participant/>".utf8))
        #expect(error?.code == .malformed)
        #expect(error?.message == "unterminated comment starting at line 2")
    }

    @Test("An unknown entity in metadata is kept as text, never expanded, and reported with its line")
    func unknownEntity() throws {
        let (metadata, repairs) = try RecordingMetadata.parseReporting(Array("<recording>\n<datamode>&foo;</datamode></recording>".utf8))
        #expect(metadata.dataMode == .complete)
        #expect(repairs == ["a '&' that starts no entity or character reference (line 2) was read as text"])
    }

    @Test("Invalid UTF-8 and control bytes never crash the parser")
    func garbage() {
        var generator = SplitMix(seed: 7865)
        let alphabet = Array("<>/='\"&;#x!-?[]CDATA recording a b \n".utf8) + [0x00, 0xFF, 0xC3, 0x80]
        for _ in 0..<2_000 {
            let length = Int(generator.next() % 80)
            let bytes = (0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }
            _ = try? RecordingMetadata.parse(bytes)
        }
        // Non-UTF-8 bytes inside text are replaced, not fatal.
        let parsed = try? RecordingMetadata.parse(Array("<recording><datamode>".utf8) + [0xFF, 0xFE] + Array("</datamode></recording>".utf8))
        #expect(parsed != nil)
    }
}

/// Small deterministic generator so the fuzz loop is reproducible.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
