import Testing
@testable import JSON

@Suite("JSON output")
struct JSONValueTests {
    @Test("strings with quotes, control characters and unicode are escaped so clients can parse them")
    func escaping() {
        let value = JSONValue.object([("name", .string("a\"b\\c\n\u{01}é")), ("n", .int(-5)), ("ok", .bool(true)), ("x", .null)])
        #expect(value.serialized() == #"{"name":"a\"b\\c\n\u0001é","n":-5,"ok":true,"x":null}"#)
    }

    @Test("object keys keep the order they were given in")
    func order() {
        let value = JSONValue.object([("z", .int(1)), ("a", .array([.int(2), .double(0.5)])), ("r", .raw("{}"))])
        #expect(value.serialized() == #"{"z":1,"a":[2,0.5],"r":{}}"#)
    }
}

@Suite("JSON input")
struct JSONParserTests {
    @Test("a request body round-trips through parse and serialise")
    func roundTrip() throws {
        let text = #"{"command":"start","callKey":"k\u00e9y","headers":[{"name":"X","value":"1"}],"n":1.5,"ok":false,"z":null}"#
        let value = try JSONValue.parse(text)
        #expect(value["command"] == .string("start"))
        #expect(value["callKey"] == .string("kéy"))
        #expect(value.serialized() == #"{"command":"start","callKey":"kéy","headers":[{"name":"X","value":"1"}],"n":1.5,"ok":false,"z":null}"#)
    }

    @Test("bad JSON gets an error with the byte offset, deep nesting is refused")
    func errors() {
        for bad in ["", "{", #"{"a":}"#, "[1,]", #""abc"#, "tru", "{} x", String(repeating: "[", count: 10_000)] {
            #expect(throws: JSONParseError.self) { try JSONValue.parse(bad) }
        }
    }

    @Test("surrogate escapes: a pair is one character, anything unpaired is U+FFFD, never a trap (fuzz finding)")
    func surrogates() throws {
        #expect(try JSONValue.parse(#""\ud83d\ude00""#) == .string("😀"))
        #expect(try JSONValue.parse(#""\ud800\ud800x""#) == .string("\u{FFFD}\u{FFFD}x"))
        #expect(try JSONValue.parse(#""\ud800\u0041""#) == .string("\u{FFFD}A"))
        #expect(try JSONValue.parse(#""\udc00""#) == .string("\u{FFFD}"))
        // The input libFuzzer found (Tests/fuzz/json/crash-surrogate-escape): an error, not a crash.
        #expect(throws: JSONParseError.self) { try JSONValue.parse("{\"\\ud800\\ud800\\ud\u{0}ud\u{0}?") }
    }
}
