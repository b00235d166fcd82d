import Platform
import Testing

/// Lower-case hex of `bytes`, the way the FIPS and RFC documents print digests.
func hex(_ bytes: [UInt8]) -> String {
    bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
}

@Suite("SHA-256 (FIPS 180-4)")
struct SHA256Tests {
    @Test("\"abc\" hashes to ba7816bf… (FIPS 180-4 example, one block)")
    func abc() {
        #expect(
            hex(SHA256.hash(Array("abc".utf8)))
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test("the empty message hashes to e3b0c442… (NIST CAVP SHA256ShortMsg, Len = 0)")
    func empty() {
        #expect(
            hex(SHA256.hash([]))
                == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    static let twoBlockMessage = Array(
        "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)

    @Test("the 448-bit message hashes to 248d6a61… (FIPS 180-4 example, padding spills a block)")
    func twoBlocks() {
        #expect(Self.twoBlockMessage.count * 8 == 448)
        #expect(
            hex(SHA256.hash(Self.twoBlockMessage))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test("the 896-bit message hashes to cf5b16a7… (NIST additional SHA-256 example)")
    func longerMessage() {
        let message = Array(
            ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
                + "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu").utf8)
        #expect(
            hex(SHA256.hash(message))
                == "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")
    }

    @Test("one million \"a\"s, fed in uneven pieces, hash to cdc76e5c… (FIPS 180-4 example)")
    func millionAs() {
        let piece = [UInt8](repeating: UInt8(ascii: "a"), count: 999)
        var hasher = SHA256()
        var fed = 0
        while fed < 1_000_000 {
            let count = min(piece.count, 1_000_000 - fed)
            piece.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
            fed += count
        }
        #expect(
            hex(hasher.finalize())
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("the 448-bit message fed in two pieces hashes the same at every split point")
    func everySplitPoint() {
        let message = Self.twoBlockMessage + Self.twoBlockMessage
        let whole = SHA256.hash(message)
        for split in 0...message.count {
            var hasher = SHA256()
            hasher.update(Array(message[..<split]))
            hasher.update(Array(message[split...]))
            #expect(hasher.finalize() == whole, "split at \(split)")
        }
    }

    @Test("messages of 0 to 130 bytes fed byte by byte hash as fed at once (every padding case)")
    func byteAtATime() {
        let message = (0..<130).map { UInt8(truncatingIfNeeded: $0 &* 61 &+ 7) }
        for length in 0...message.count {
            var hasher = SHA256()
            for byte in message[..<length] { hasher.update([byte]) }
            #expect(hasher.finalize() == SHA256.hash(Array(message[..<length])), "\(length)")
        }
    }

    @Test("finalize does not disturb the running hash: more input continues the same message")
    func finalizeIsNonMutating() {
        var hasher = SHA256()
        hasher.update(Array("ab".utf8))
        _ = hasher.finalize()
        hasher.update(Array("c".utf8))
        #expect(hasher.finalize() == SHA256.hash(Array("abc".utf8)))
    }
}
