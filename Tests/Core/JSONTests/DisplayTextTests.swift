import Testing
import JSON

@Suite("Network text shown to humans")
struct DisplayTextTests {
    @Test("C0/C1 controls, DEL, bidi overrides and zero-width characters become escapes; the rest is untouched")
    func escapes() {
        #expect(DisplayText.escaped("plain Call-ID 42@host ü") == "plain Call-ID 42@host ü")
        #expect(DisplayText.escaped("a\u{1B}[2Kb") == "a\\u{1B}[2Kb")
        #expect(DisplayText.escaped("x\r\ny\t\u{7F}\u{85}") == "x\\u{D}\\u{A}y\\u{9}\\u{7F}\\u{85}")
        #expect(DisplayText.escaped("invoice\u{202E}fdp.exe\u{200B}") == "invoice\\u{202E}fdp.exe\\u{200B}")
        #expect(DisplayText.escaped("back\\slash\u{0}") == "back\\\\slash\\u{0}")
    }
}
