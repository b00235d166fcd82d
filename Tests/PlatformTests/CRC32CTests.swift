import Testing
import Platform

@Suite("CRC-32C")
struct CRC32CTests {
    @Test("the check value of \"123456789\" is 0xE3069283 (RFC 3720 §B.4 polynomial)")
    func checkValue() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
    }

    @Test("32 bytes of zeros give 0x8A9136AA (RFC 3720 §B.4 test vector)")
    func zeros() {
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
    }

    @Test("32 bytes of 0xFF give 0x62A8AB43 (RFC 3720 §B.4 test vector)")
    func ones() {
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
    }

    @Test("feeding bytes in pieces gives the same value as feeding them at once, at every split")
    func incremental() {
        let bytes = (0..<100).map { UInt8(truncatingIfNeeded: $0 &* 37) }
        let whole = CRC32C.checksum(bytes)
        for split in 0...bytes.count {
            var crc = CRC32C()
            crc.update(bytes[..<split])
            crc.update(bytes[split...])
            #expect(crc.value == whole, "split at \(split)")
        }
    }
}
