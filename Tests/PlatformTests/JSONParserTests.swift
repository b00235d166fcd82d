import Platform
import Testing

@Suite("JSON parser (RFC 8259)")
struct JSONParserTests {
    static func parse(
        _ bytes: [UInt8], limits: JSONLimits = JSONLimits()
    ) -> Result<JSONValue, JSONError> {
        Result { () throws(JSONError) in try JSONParser.parse(bytes, limits: limits) }
    }

    static let valid: [(String, JSONValue)] = [
        ("null", .null), ("true", true), ("false", false), (" \t\r\n1 \n", .number("1")),
        ("-0", .number("-0")), ("0.5", .number("0.5")), ("1e10", .number("1e10")),
        ("1E+2", .number("1E+2")), ("-1.5e-3", .number("-1.5e-3")), ("\"a\"", "a"),
        ("\"\\u0041\\u00e9\"", "Aé"), ("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\\/\u{8}\u{c}\n\r\t"),
        ("\"\\ud83d\\ude00\"", "😀"), ("\"\\uD83D\\uDE00x\"", "😀x"), ("\"é😀\"", "é😀"),
        ("\"\\u0000\"", "\u{0}"), ("[]", []), ("[1,[2,[3]]]", [1, [2, [3]]]), ("{}", [:]),
        ("{\"a\":1,\"b\":{\"c\":[]}}", ["a": 1, "b": ["c": []]]),
        ("{ \"a\" : 1 , \"a\" : 2 }", .object(JSONObject([("a", 1), ("a", 2)]))),
        ("[\"\\u20ac\",\"€\"]", ["€", "€"]),
    ]

    @Test("valid texts parse to the expected values (RFC 8259 §2-§7)", arguments: valid)
    func validTexts(text: String, expected: JSONValue) throws {
        #expect(try Self.parse(Array(text.utf8)).get() == expected)
    }

    static let invalid: [([UInt8], Int)] =
        [
            ("", 0), ("   ", 3), ("[1,]", 3), ("{\"a\":1,}", 7), ("01", 1), ("-", 1), ("-a", 1),
            ("1.", 2), ("1.e5", 2), (".5", 0), ("+1", 0), ("1e", 2), ("1e+", 3), ("tru", 3),
            ("True", 0), ("nul", 3), ("\"abc", 4), ("\"\\x\"", 1), ("\"\\u12\"", 1),
            ("\"\\ud800\"", 1), ("\"\\udc00\"", 1), ("\"\\ud800\\u0041\"", 1), ("\"\\ud800x\"", 1),
            ("\"a\u{1}\"", 2), ("\"a\nb\"", 2), ("// c\n1", 0), ("[1 2]", 3), ("{\"a\" 1}", 5),
            ("{1:2}", 1), ("1 2", 2), ("'a'", 0), ("NaN", 0), ("[", 1), ("{\"a\":", 5),
            ("[1,2", 4), ("Infinity", 0), ("[-]", 2), ("{\"a\":1 \"b\":2}", 7),
        ].map { (Array($0.0.utf8), $0.1) } + [
            ([0xEF, 0xBB, 0xBF, 0x31], 0),  // BOM (RFC 8259 §8.1: MUST NOT be added)
            ([0x22, 0xC0, 0xAF, 0x22], 1),  // overlong "/"
            ([0x22, 0x61, 0xED, 0xA0, 0x80, 0x22], 2),  // UTF-8-encoded surrogate
            ([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], 1),  // above U+10FFFF
            ([0x22, 0xE2, 0x82, 0x22], 1),  // truncated sequence
            ([0x22, 0x80, 0x22], 1),  // lone continuation byte
            ([0x22, 0xFF, 0x22], 1),
            ([0x22, 0x5C, 0x6E, 0xC3, 0x28, 0x22], 3),  // bad UTF-8 after an escape
        ]

    @Test(
        "invalid texts are rejected with the offset of the offending byte (RFC 8259)",
        arguments: invalid)
    func invalidTexts(bytes: [UInt8], offset: Int) {
        switch Self.parse(bytes) {
        case .success(let value): Issue.record("accepted as \(value)")
        case .failure(let error): #expect(error.offset == offset, "\(error)")
        }
    }

    @Test("nesting of depthMax levels is accepted, one more is rejected at the extra bracket")
    func depthLimit() {
        let limit = JSONLimits().depthMax
        #expect(limit == 64)
        let atLimit = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
        #expect((try? Self.parse(Array(atLimit.utf8)).get()) != nil)
        let overLimit =
            String(repeating: "[", count: limit + 1) + String(repeating: "]", count: limit + 1)
        #expect(throws: JSONError(offset: limit, message: "nesting deeper than 64 levels")) {
            try Self.parse(Array(overLimit.utf8)).get()
        }
        let objects =
            String(repeating: "{\"a\":", count: limit + 1) + "1"
            + String(repeating: "}", count: limit + 1)
        #expect(throws: JSONError.self) { try Self.parse(Array(objects.utf8)).get() }
    }

    @Test("a string of stringBytesMax decoded bytes is accepted, one more is rejected")
    func stringLimit() throws {
        var limits = JSONLimits()
        limits.stringBytesMax = 8
        #expect(try Self.parse(Array("\"12345678\"".utf8), limits: limits).get() == "12345678")
        #expect(throws: JSONError.self) {
            try Self.parse(Array("\"123456789\"".utf8), limits: limits).get()
        }
        // Escapes count as the bytes they decode to: "\n" is one byte.
        #expect(try Self.parse(Array("\"1234567\\n\"".utf8), limits: limits).get() == "1234567\n")
        #expect(throws: JSONError.self) {
            try Self.parse(Array("\"12345678\\n\"".utf8), limits: limits).get()
        }
    }

    @Test("a number of numberBytesMax characters is accepted, one more is rejected")
    func numberLimit() throws {
        var limits = JSONLimits()
        limits.numberBytesMax = 5
        #expect(try Self.parse(Array("[12345]".utf8), limits: limits).get() == [12345])
        #expect(throws: JSONError(offset: 1, message: "number longer than 5 bytes")) {
            try Self.parse(Array("[123456]".utf8), limits: limits).get()
        }
    }

    @Test("the error description names the offset")
    func errorDescription() {
        #expect(JSONError(offset: 3, message: "x").description == "invalid JSON at byte 3: x")
    }
}
