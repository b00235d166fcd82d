/// Session IDs: random RFC 4122 version 4 UUIDs in the lowercase 8-4-4-4-12 form Consul
/// writes (`uuid.GenerateUUID`). The caller passes the generator, so this stays pure and
/// deterministic in tests; the server seeds one from the kernel.
public enum SessionID {
    /// Bytes in a UUID (RFC 4122 §4.1).
    static let byteCount = 16

    public static func random(using generator: inout some RandomNumberGenerator) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(byteCount)
        while bytes.count < byteCount {
            var word = generator.next()
            for _ in 0..<8 {
                bytes.append(UInt8(truncatingIfNeeded: word))
                word >>= 8
            }
        }
        // Version 4 in the high nibble of byte 6, variant 10 in the top bits of byte 8
        // (RFC 4122 §4.4).
        bytes[6] = bytes[6] & 0x0F | 0x40
        bytes[8] = bytes[8] & 0x3F | 0x80
        return format(bytes)
    }

    /// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`.
    static func format(_ bytes: [UInt8]) -> String {
        precondition(bytes.count == byteCount, "a UUID has 16 bytes")
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(36)
        for (index, byte) in bytes.enumerated() {
            if [4, 6, 8, 10].contains(index) { text.append(UInt8(ascii: "-")) }
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
