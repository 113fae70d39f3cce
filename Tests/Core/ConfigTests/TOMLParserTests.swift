import Testing
@testable import Config

@Suite("TOML parser")
struct TOMLParserTests {
    @Test("Comments, bare, quoted and dotted keys all land in the right tables")
    func keys() throws {
        let table = try TOMLParser.parse("""
            # leading comment
            title = "x" # trailing comment
            "quoted key" = 1
            'literal key' = 2
            a.b.c = true
            a . d = false
            """)
        #expect(table["title"] == .string("x"))
        #expect(table["quoted key"] == .integer(1))
        #expect(table["literal key"] == .integer(2))
        let a = try #require(table["a"]?.tableValue)
        #expect(a["b"] == .table(TOMLTable(["c": .bool(true)])))
        #expect(a["d"] == .bool(false))
        #expect(table.keys == ["title", "quoted key", "literal key", "a"])
    }

    @Test("Basic strings resolve escapes and literal strings keep backslashes")
    func strings() throws {
        let table = try TOMLParser.parse(#"""
            basic = "tab\there \"q\" back\\slash \u00E9 \U0001F600 nl\n"
            literal = 'C:\path\no\escape'
            multi = """
            line one
            line "two"\
               continued"""
            multiLiteral = '''
            raw \n ''quoted'' '''
            quotes = """a""\""""
            """#)
        #expect(table["basic"] == .string("tab\there \"q\" back\\slash é 😀 nl\n"))
        #expect(table["literal"] == .string(#"C:\path\no\escape"#))
        #expect(table["multi"] == .string("line one\nline \"two\"continued"))
        #expect(table["multiLiteral"] == .string(#"raw \n ''quoted'' "#))
        #expect(table["quotes"] == .string("a\"\"\""))
    }

    @Test("Integers with underscores, prefixes and signs, floats and booleans parse to their values")
    func numbers() throws {
        let table = try TOMLParser.parse("""
            a = 1_000_000
            b = -17
            c = +3
            d = 0xDEAD_beef
            e = 0o755
            f = 0b1010
            g = 3.25
            h = -1e-3
            i = 6.02E+23
            j = inf
            k = -inf
            l = 0
            m = 9_223_372_036_854_775_807
            """)
        #expect(table["a"] == .integer(1_000_000))
        #expect(table["b"] == .integer(-17))
        #expect(table["c"] == .integer(3))
        #expect(table["d"] == .integer(0xDEAD_BEEF))
        #expect(table["e"] == .integer(0o755))
        #expect(table["f"] == .integer(10))
        #expect(table["g"] == .float(3.25))
        #expect(table["h"] == .float(-0.001))
        #expect(table["i"] == .float(6.02e23))
        #expect(table["j"] == .float(.infinity))
        #expect(table["k"] == .float(-.infinity))
        #expect(table["l"] == .integer(0))
        #expect(table["m"] == .integer(.max))
        #expect(try TOMLParser.parse("n = nan")["n"]?.doubleValue?.isNaN == true)
    }

    @Test("Multi-line arrays with comments and a trailing comma, and inline tables, parse")
    func arraysAndInlineTables() throws {
        let table = try TOMLParser.parse("""
            list = [
              "a", # first
              "b",
              [1, 2],
            ]
            empty = []
            point = { x = 1, y.z = "deep" }
            none = {}
            """)
        #expect(table["list"] == .array([.string("a"), .string("b"), .array([.integer(1), .integer(2)])]))
        #expect(table["empty"] == .array([]))
        #expect(table["point"] == .table(TOMLTable(["x": .integer(1), "y": .table(TOMLTable(["z": .string("deep")]))])))
        #expect(table["none"] == .table(TOMLTable()))
    }

    @Test("Table headers, nested headers and arrays of tables build the documented structure")
    func tables() throws {
        let table = try TOMLParser.parse("""
            [server]
            port = 1
            [server.tls]
            on = true
            [a.b.c]
            [a]
            x = 1
            [[rules]]
            name = "one"
            [rules.match]
            user = "*"
            [[rules]]
            name = "two"
            [rules.match]
            user = "bob"
            """)
        #expect(table["server"] == .table(TOMLTable(["port": .integer(1), "tls": .table(TOMLTable(["on": .bool(true)]))])))
        #expect(table["a"]?.tableValue?["x"] == .integer(1))
        let rules = try #require(table["rules"]?.arrayValue)
        #expect(rules.count == 2)
        #expect(rules[1].tableValue?["match"]?.tableValue?["user"] == .string("bob"))
        #expect(table.line(forKey: "rules") == 8)
        #expect(table["server"]?.tableValue?.line(forKey: "tls") == 3)
    }

    @Test("Syntax errors name the line and what was expected", arguments: [
        ("a = 1\nb = 2\nlisten \"x\"", 3, "expected '=' after key 'listen', found '\"'"),
        ("a = \"open", 1, "unterminated string: expected '\"' before end of line"),
        ("a = 1 2", 1, "expected end of line after value of key 'a', found '2'"),
        ("\n\nx = [1, 2", 3, "array starting on this line is never closed"),
        ("x = 01", 1, "invalid number '01'"),
        ("x = 1__0", 1, "invalid number '1__0'"),
        ("x = 1979-05-27", 1, "dates and times are not supported in siprecd configuration; quote the value as a string"),
        ("x = \"\\q\"", 1, "invalid escape sequence '\\q' in string"),
        ("x = { a = 1, }", 1, "trailing comma is not allowed in an inline table"),
        ("[a\nx = 1", 1, "expected ']' to close table header [a], found end of line"),
        ("x = 99999999999999999999", 1, "integer '99999999999999999999' is out of range for 64 bits"),
        ("x = yes", 1, "expected a value (string, number, boolean, array or inline table), found 'y'"),
    ])
    func syntaxErrors(text: String, line: Int, message: String) {
        #expect(throws: TOMLError(line: line, message: message)) { try TOMLParser.parse(text) }
    }

    @Test("Keys and tables cannot be defined twice or reopened", arguments: [
        ("a = 1\na = 2", 2, "duplicate key 'a'"),
        ("[t]\nx = 1\n[t]", 3, "table [t] is defined more than once"),
        ("[t]\nx = 1\n[t]\nx = 2", 3, "table [t] is defined more than once"),
        ("a.b = 1\n[a]", 2, "table [a] was already defined with a key assignment"),
        ("a = { b = 1 }\n[a.c]", 2, "cannot define [a.c]: 'a' is a value and cannot be extended"),
        ("a = 1\n[[a]]", 2, "cannot define [[a]]: 'a' is already an integer"),
        ("[[a]]\n[a]", 2, "[a] is an array of tables; use [[a]]"),
        ("[a.b]\nx = 1\n[a]\nb.y = 2", 4, "cannot add key 'a.b.y': 'a.b' is already defined elsewhere"),
        ("x = { a = 1, a = 2 }", 1, "duplicate key 'a'"),
    ])
    func redefinitions(text: String, line: Int, message: String) {
        #expect(throws: TOMLError(line: line, message: message)) { try TOMLParser.parse(text) }
    }

    @Test("Windows line endings and a byte-order mark are accepted")
    func crlfAndBOM() throws {
        let table = try TOMLParser.parse("\u{FEFF}a = 1\r\n[t]\r\nb = \"\"\"\r\nx\r\ny\"\"\"\r\n")
        #expect(table["a"] == .integer(1))
        #expect(table["t"]?.tableValue?["b"] == .string("x\ny"))
    }

    @Test("Line numbers stay right after multi-line strings and arrays")
    func linesAfterMultilineValues() {
        let text = "a = \"\"\"\none\ntwo\"\"\"\nb = [\n1,\n2,\n]\nc = 1\nc = 2\n"
        #expect(throws: TOMLError(line: 9, message: "duplicate key 'c'")) { try TOMLParser.parse(text) }
    }

    @Test("A rendered document parses back to an equal table")
    func renderRoundTrip() throws {
        let text = """
            top = "a \\"quoted\\" \\u0001 é"
            "odd key" = [1, 2.5, true, { x = "y" }]
            [section]
            n = -3
            [section.deeper]
            flag = false
            [[items]]
            v = 1
            [[items]]
            v = 2
            [items.sub]
            w = "z"
            """
        let table = try TOMLParser.parse(text)
        let rendered = table.renderDocument()
        #expect(try TOMLParser.parse(rendered) == table)
    }
}
