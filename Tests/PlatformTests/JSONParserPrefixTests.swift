import Platform
import Testing

@Suite("JSON parser: concatenated values")
struct JSONParserPrefixTests {
    static let stream =
        "{\"create_request\":{\"key\":\"Zm9v\",\"range_end\":\"AA==\"}}"
        + "\n[1,\"\\u00e9\",{}]  \"s😀\"\t-12.5e3 true{\"cancel_request\":{\"watch_id\":\"1\"}} "
    static let expected: [JSONValue] = [
        ["create_request": ["key": "Zm9v", "range_end": "AA=="]], [1, "é", [:]], "s😀",
        .number("-12.5e3"), true, ["cancel_request": ["watch_id": "1"]],
    ]

    /// Feeds pieces as a connection would, collecting every complete value.
    static func feed(_ pieces: [[UInt8]]) throws(JSONError) -> (values: [JSONValue], pending: Int) {
        var values: [JSONValue] = []
        var pending: [UInt8] = []
        for piece in pieces {
            pending += piece
            while true {
                let result = pending.withUnsafeBytes { buffer in
                    Result { () throws(JSONError) in try JSONParser.parsePrefix(buffer) }
                }
                let step = try result.get()
                pending.removeFirst(step.consumed)
                guard case .complete(let value, _) = step else { break }
                values.append(value)
            }
        }
        return (values, pending.count)
    }

    @Test("a stream of concatenated values gives the same values at every split point")
    func everySplitPoint() throws {
        let bytes = Array(Self.stream.utf8)
        let whole = try Self.feed([bytes])
        #expect(whole.values == Self.expected)
        #expect(whole.pending == 0)
        for split in 0...bytes.count {
            let outcome = try Self.feed([Array(bytes[..<split]), Array(bytes[split...])])
            #expect(outcome.values == Self.expected, "split at \(split)")
        }
        #expect(try Self.feed(bytes.map { [$0] }).values == Self.expected)
    }

    @Test("an incomplete value asks for more bytes and consumes only leading whitespace")
    func incomplete() throws {
        for text in ["  {\"a\":", " [1,2", "\"abc", "tr", "12", "-", "\"\\ud83d", "\"\\ud83d\\"] {
            let bytes = Array(text.utf8)
            let step = try bytes.withUnsafeBytes { try JSONParser.parsePrefix($0) }
            let leading = bytes.prefix { $0 == 0x20 }.count
            #expect(step == .needMoreBytes(consumed: leading), "\(text)")
        }
    }

    @Test("a top-level number completes only when a byte that cannot continue it follows")
    func numberNeedsTerminator() throws {
        let open = try Array("42".utf8).withUnsafeBytes { try JSONParser.parsePrefix($0) }
        #expect(open == .needMoreBytes(consumed: 0))
        let closed = try Array("42 ".utf8).withUnsafeBytes { try JSONParser.parsePrefix($0) }
        #expect(closed == .complete(42, consumed: 2))
    }

    @Test("invalid input in a stream is an error, not a request for more bytes")
    func invalidInStream() {
        for text in ["[1,]", "{\"a\" 1", "x", "\"\\q"] {
            #expect(throws: JSONError.self, "\(text)") {
                try Array(text.utf8).withUnsafeBytes { try JSONParser.parsePrefix($0) }
            }
        }
    }
}
