import Platform
import Testing

@Suite("JSON writer")
struct JSONWriterTests {
    static func text(_ writer: JSONWriter) -> String {
        String(decoding: writer.bytes, as: UTF8.self)
    }

    @Test("commas and colons are placed automatically")
    func structure() {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("header")
        writer.beginObject()
        writer.key("revision")
        writer.numberAsString(Int64(42))
        writer.key(String("raft_term"))
        writer.numberAsString(UInt64.max)
        writer.endObject()
        writer.key("kvs")
        writer.beginArray()
        writer.bool(true)
        writer.null()
        writer.beginArray()
        writer.endArray()
        writer.number(Int64(-7))
        writer.endArray()
        writer.key("empty")
        writer.beginObject()
        writer.endObject()
        writer.endObject()
        #expect(writer.isComplete)
        #expect(
            Self.text(writer)
                == "{\"header\":{\"revision\":\"42\",\"raft_term\":\"18446744073709551615\"},"
                + "\"kvs\":[true,null,[],-7],\"empty\":{}}")
    }

    @Test("strings escape quote, backslash and control characters as \\u00XX (RFC 8259 §7)")
    func escaping() {
        var writer = JSONWriter()
        writer.string("q\"b\\c\u{1}\n\u{1F}/é😀\u{7F}")
        #expect(Self.text(writer) == "\"q\\\"b\\\\c\\u0001\\u000a\\u001f/é😀\u{7F}\"")
    }

    @Test("ill-formed UTF-8 bytes are written as U+FFFD so the output stays valid (RFC 8259 §8.1)")
    func invalidUTF8() throws {
        var writer = JSONWriter()
        writer.string(utf8: [0x61, 0xFF, 0x62, 0xED, 0xA0, 0x80, 0xC3, 0xA9, 0x22])
        let parsed = try JSONParser.parse(writer.bytes)
        #expect(parsed == "a\u{FFFD}b\u{FFFD}\u{FFFD}\u{FFFD}é\"")
    }

    @Test("base64 writes a padded standard base64 string (RFC 4648 §4)")
    func base64() {
        var writer = JSONWriter()
        writer.beginArray()
        writer.base64("foobar".utf8)
        writer.base64([UInt8]([0xFB, 0xFF]))
        writer.base64([UInt8]())
        writer.endArray()
        #expect(Self.text(writer) == "[\"Zm9vYmFy\",\"+/8=\",\"\"]")
    }

    @Test("doubles read back exactly; NaN and infinities become strings (protobuf JSON mapping)")
    func doubles() throws {
        for value in [0.1, -1.5, 1e-5, 1e300, 123456789.125, -0.0, Double.leastNonzeroMagnitude] {
            var writer = JSONWriter()
            writer.number(value)
            #expect(try JSONParser.parse(writer.bytes).doubleValue == value)
        }
        var writer = JSONWriter()
        writer.beginArray()
        writer.number(Double.nan)
        writer.number(Double.infinity)
        writer.number(-Double.infinity)
        writer.endArray()
        #expect(Self.text(writer) == "[\"NaN\",\"Infinity\",\"-Infinity\"]")
    }

    @Test("writer output parses back to the same values, int64 extremes included")
    func roundTrip() throws {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("min")
        writer.number(Int64.min)
        writer.key("max")
        writer.number(UInt64.max)
        writer.key("text")
        writer.string("tab\there \u{0} 😀")
        writer.key("id")
        writer.numberAsString(Int64.min)
        writer.endObject()
        let parsed = try JSONParser.parse(writer.bytes)
        #expect(parsed["min"]?.int64Value == .min)
        #expect(parsed["max"]?.uint64Value == .max)
        #expect(parsed["text"]?.stringValue == "tab\there \u{0} 😀")
        #expect(parsed["id"]?.int64Value == .min)
    }

    @Test(
        "random value trees survive writer -> parser unchanged (seeded, replayable)",
        arguments: [1, 2, 3, 42, 2026] as [UInt64])
    func randomRoundTrip(seed: UInt64) throws {
        var generator = SplitMix64(seed: seed)
        for round in 0..<50 {
            let value = Self.randomValue(depth: 0, &generator)
            var writer = JSONWriter()
            writer.value(value)
            let parsed = try JSONParser.parse(writer.bytes)
            #expect(parsed == value, "seed \(seed) round \(round)")
        }
    }

    static func randomValue(depth: Int, _ generator: inout SplitMix64) -> JSONValue {
        let kind = generator.next() % (depth > 4 ? 4 : 6)
        switch kind {
        case 0: return generator.next() % 2 == 0 ? .null : .bool(generator.next() % 2 == 0)
        case 1: return .number(String(Int64(bitPattern: generator.next())))
        case 2: return .number(String(Double(bitPattern: generator.next() >> 2)))
        case 3: return .string(randomString(&generator))
        case 4:
            return .array(
                (0..<generator.next() % 5).map { _ in randomValue(depth: depth + 1, &generator) })
        default:
            let members = (0..<generator.next() % 5).map { _ in
                (randomString(&generator), randomValue(depth: depth + 1, &generator))
            }
            return .object(JSONObject(members))
        }
    }

    static func randomString(_ generator: inout SplitMix64) -> String {
        let alphabet = Array("ab\"\\\u{0}\u{1F}\n é€😀/".unicodeScalars)
        let count = Int(generator.next() % 8)
        return String(
            String.UnicodeScalarView(
                (0..<count).map { _ in
                    alphabet[Int(generator.next() % UInt64(alphabet.count))]
                }))
    }
}

/// A tiny seeded generator (SplitMix64) so random tests replay exactly from their seed.
struct SplitMix64 {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
