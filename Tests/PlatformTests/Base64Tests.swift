import Platform
import Testing

@Suite("Base64 (RFC 4648)")
struct Base64Tests {
    static let vectors = [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="),
        ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy"),
    ]

    @Test("the RFC 4648 §10 test vectors encode with padding", arguments: vectors)
    func encodeVectors(plain: String, encoded: String) {
        #expect(Base64.encode(plain.utf8) == encoded)
        #expect(Base64.encodeBytes(Array(plain.utf8)) == Array(encoded.utf8))
    }

    @Test("the RFC 4648 §10 test vectors decode, padded and unpadded (§3.2)", arguments: vectors)
    func decodeVectors(plain: String, encoded: String) throws {
        #expect(try Base64.decode(encoded) == Array(plain.utf8))
        let unpadded = encoded.filter { $0 != "=" }
        #expect(try Base64.decode(utf8: Array(unpadded.utf8)) == Array(plain.utf8))
    }

    @Test("the URL-safe alphabet decodes too (RFC 4648 §5), as Go's protojson accepts it")
    func urlSafe() throws {
        #expect(Base64.encode([0xFB, 0xFF, 0xBF]) == "+/+/")
        #expect(try Base64.decode("-_-_") == [0xFB, 0xFF, 0xBF])
        #expect(try Base64.decode("-_8=") == [0xFB, 0xFF])
        #expect(try Base64.decode("-_8") == [0xFB, 0xFF])
    }

    @Test("non-zero leftover bits in the last character are ignored (Go's non-strict decoding)")
    func leftoverBits() throws {
        #expect(try Base64.decode("Zh==") == Array("f".utf8))
        #expect(try Base64.decode("Zm9=") == Array("fo".utf8))
    }

    @Test(
        "foreign characters, impossible lengths and broken padding are rejected (RFC 4648 §3.3)",
        arguments: [
            ("Zm9v!", Base64Error.invalidCharacter(offset: 4)),
            ("Zm 9v", .invalidCharacter(offset: 2)),
            ("Zm=v", .invalidCharacter(offset: 2)), ("Z", .invalidLength(1)),
            ("Zm9vY", .invalidLength(5)), ("Zg=", .invalidPadding), ("Zm9v=", .invalidPadding),
            ("Z===", .invalidCharacter(offset: 1)), ("=", .invalidPadding),
            ("Zm9v\n", .invalidCharacter(offset: 4)),
        ])
    func invalid(text: String, error: Base64Error) {
        #expect(throws: error) { try Base64.decode(text) }
    }

    @Test("every length from 0 to 64 round-trips through both alphabets, padded or not")
    func roundTrip() throws {
        var generator = SplitMix64(seed: 4648)
        for length in 0...64 {
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            let encoded = Base64.encode(bytes)
            #expect(encoded.utf8.count == Base64.encodedCount(length))
            #expect(try Base64.decode(encoded) == bytes)
            let urlSafe = String(
                encoded.map { $0 == "+" ? "-" : $0 == "/" ? "_" : $0 }.filter { $0 != "=" })
            #expect(try Base64.decode(urlSafe) == bytes, "length \(length)")
        }
    }

    @Test("decoding a non-contiguous collection gives the same bytes")
    func nonContiguous() throws {
        #expect(
            try Base64.decode(utf8: "Zm9vYmFy".utf8.reversed().reversed()) == Array("foobar".utf8))
    }
}
