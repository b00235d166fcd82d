import Platform
import Testing

@Suite("HMAC-SHA-256 (RFC 2104, RFC 4231 test cases)")
struct HMACSHA256Tests {
    static let largeKey = [UInt8](repeating: 0xAA, count: 131)

    /// RFC 4231 §4.2-§4.8: key, data, HMAC-SHA-256 (test case 5 is truncated to 128 bits).
    static let cases: [(name: String, key: [UInt8], data: [UInt8], mac: String)] = [
        (
            "1", [UInt8](repeating: 0x0B, count: 20), Array("Hi There".utf8),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        ),
        (
            "2 (key shorter than the MAC)", Array("Jefe".utf8),
            Array("what do ya want for nothing?".utf8),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        ),
        (
            "3", [UInt8](repeating: 0xAA, count: 20), [UInt8](repeating: 0xDD, count: 50),
            "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"
        ),
        (
            "4", Array(1...25), [UInt8](repeating: 0xCD, count: 50),
            "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"
        ),
        (
            "5 (truncated to 128 bits)", [UInt8](repeating: 0x0C, count: 20),
            Array("Test With Truncation".utf8), "a3b6167473100ee06e0c796c2955552b"
        ),
        (
            "6 (key larger than a block: hashed first)", largeKey,
            Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        ),
        (
            "7 (key and data larger than a block)", largeKey,
            Array(
                ("This is a test using a larger than block-size key and a larger than "
                    + "block-size data. The key needs to be hashed before being used by the "
                    + "HMAC algorithm.").utf8),
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"
        ),
    ]

    @Test("RFC 4231 test cases 1 to 7 give the published HMAC-SHA-256 values")
    func rfc4231() {
        for testCase in Self.cases {
            let mac = HMACSHA256.authenticate(key: testCase.key, message: testCase.data)
            let expectedBytes = testCase.mac.count / 2
            #expect(hex(Array(mac.prefix(expectedBytes))) == testCase.mac, "case \(testCase.name)")
        }
    }

    @Test("RFC 4231 test case 7 fed in two pieces gives the same MAC at every split point")
    func everySplitPoint() {
        let testCase = Self.cases[6]
        for split in 0...testCase.data.count {
            var mac = HMACSHA256(key: testCase.key)
            mac.update(Array(testCase.data[..<split]))
            mac.update(Array(testCase.data[split...]))
            #expect(hex(mac.finalize()) == testCase.mac, "split at \(split)")
        }
    }

    @Test("a keyed value copied per message gives independent MACs (RFC 2104 §4 precomputation)")
    func copiesAreIndependent() {
        let keyed = HMACSHA256(key: Self.cases[1].key)
        var first = keyed
        first.update(Self.cases[1].data)
        var second = keyed
        second.update(Array("something else".utf8))
        #expect(hex(first.finalize()) == Self.cases[1].mac)
        #expect(first.finalize() != second.finalize())
        #expect(keyed.finalize() == HMACSHA256.authenticate(key: Self.cases[1].key, message: []))
    }

    @Test("constant-time comparison: equal only for the same length and every byte the same")
    func constantTimeEquals() {
        let mac = HMACSHA256.authenticate(key: Array("k".utf8), message: Array("m".utf8))
        #expect(HMACSHA256.constantTimeEquals(mac, mac))
        #expect(!HMACSHA256.constantTimeEquals(mac, Array(mac.prefix(31))))
        #expect(HMACSHA256.constantTimeEquals([], []))
        for index in mac.indices {
            var flipped = mac
            flipped[index] ^= 0x01
            #expect(!HMACSHA256.constantTimeEquals(mac, flipped), "byte \(index)")
        }
    }
}
