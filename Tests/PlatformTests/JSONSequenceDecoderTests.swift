import Platform
import Testing

/// JSON values back to back in a stream (grpc-gateway's streaming request bodies).
@Suite("JSON sequence decoder")
struct JSONSequenceDecoderTests {
    /// Every value `pieces` yield, then what `finish` adds; or the error.
    static func values(
        _ pieces: [[UInt8]], valueBytesMax: Int = 1024
    ) -> Result<[JSONValue], JSONError> {
        var decoder = JSONSequenceDecoder(valueBytesMax: valueBytesMax)
        var values: [JSONValue] = []
        do throws(JSONError) {
            for piece in pieces {
                var rest = piece[...]
                while !rest.isEmpty {
                    let step = try rest.withBytes { (bytes) throws(JSONError) in
                        try decoder.decode(bytes)
                    }
                    rest = rest.dropFirst(step.consumed)
                    if case .complete(let value, _) = step { values.append(value) }
                }
            }
            if let last = try decoder.finish() { values.append(last) }
        } catch {
            return .failure(error)
        }
        return .success(values)
    }

    static let sequence =
        #" {"ID":"9"}{"a":[1,{"b":"}]\"{"}]} "x\"}" [] 12 true{"c":null}"# + "\n\t"

    @Test(
        "values back to back, with brackets and escapes inside strings, come out the same at every split point (RFC 8259 §2, §7)"
    )
    func everySplitPoint() throws {
        let whole = try Self.values([Array(Self.sequence.utf8)]).get()
        #expect(whole.count == 7)
        #expect(whole.first == (try JSONParser.parse(#"{"ID":"9"}"#)))
        #expect(whole[2] == .string(#"x"}"#))
        #expect(whole[4] == (try JSONParser.parse("12")))
        for pieces in Self.splits(Array(Self.sequence.utf8)) {
            #expect((try? Self.values(pieces).get()) == whole, "pieces \(pieces.map(\.count))")
        }
    }

    @Test("a number at the end of the stream is complete only at finish: 12 may become 123")
    func trailingNumber() throws {
        var decoder = JSONSequenceDecoder(valueBytesMax: 16)
        let step = try Array("12".utf8).withBytes { (bytes) throws(JSONError) in
            try decoder.decode(bytes)
        }
        #expect(step == .needMoreBytes(consumed: 2))
        #expect(!decoder.isBetweenValues)
        #expect(try decoder.finish() == (try JSONParser.parse("12")))
    }

    @Test("a stream that ends inside a value is an error at finish")
    func cutShort() {
        guard case .failure(let error) = Self.values([Array(#"{"ID":"1"} {"ID""#.utf8)]) else {
            Issue.record("expected an error")
            return
        }
        #expect(error.message == "the stream ends inside a value")
    }

    @Test("a value of valueBytesMax bytes is read; one byte more is refused")
    func valueLimit() {
        let atLimit = "{" + String(repeating: " ", count: 62) + "}"
        #expect(atLimit.utf8.count == 64)
        #expect((try? Self.values([Array(atLimit.utf8)], valueBytesMax: 64).get())?.count == 1)
        let over = "{" + String(repeating: " ", count: 63) + "}"
        guard case .failure(let error) = Self.values([Array(over.utf8)], valueBytesMax: 64)
        else {
            Issue.record("expected the limit to refuse the value")
            return
        }
        #expect(error.message == "a value is larger than 64 bytes")
        // Whitespace between values is not part of any value.
        let spaced = String(repeating: " ", count: 500) + atLimit
        #expect((try? Self.values([Array(spaced.utf8)], valueBytesMax: 64).get())?.count == 1)
    }

    @Test("a bad value is reported at its offset in the stream; a stray bracket too")
    func errorsCarryStreamOffsets() {
        guard case .failure(let bad) = Self.values([Array(#"{"a":1} {"b":}"#.utf8)]) else {
            Issue.record("expected an error")
            return
        }
        #expect(bad.offset == 13)
        guard case .failure(let stray) = Self.values([Array("{} }".utf8)]) else {
            Issue.record("expected an error")
            return
        }
        #expect(stray.offset == 3)
    }

    /// Every cut in two, plus one byte at a time.
    static func splits(_ bytes: [UInt8]) -> [[[UInt8]]] {
        var result = (0...bytes.count).map { [Array(bytes[..<$0]), Array(bytes[$0...])] }
        result.append(bytes.map { [$0] })
        return result
    }
}
