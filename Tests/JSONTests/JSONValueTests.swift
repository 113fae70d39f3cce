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
}
