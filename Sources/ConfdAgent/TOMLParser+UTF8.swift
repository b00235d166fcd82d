/// UTF-8 well-formedness (Unicode Table 3-7: no overlongs, no surrogates, nothing above
/// U+10FFFF). TOML documents must be valid UTF-8 (toml.io/en/v1.0.0#spec).
extension TOMLParser {
    /// The offset of the first byte that starts an ill-formed sequence, or nil.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            guard let length = sequenceLength(bytes, at: index) else { return index }
            index += length
        }
        return nil
    }

    private static func sequenceLength(_ bytes: [UInt8], at index: Int) -> Int? {
        let length: Int
        var second: ClosedRange<UInt8> = 0x80...0xBF
        switch bytes[index] {
        case 0xC2...0xDF: length = 2
        case 0xE0: (length, second) = (3, 0xA0...0xBF)
        case 0xED: (length, second) = (3, 0x80...0x9F)
        case 0xE1...0xEF: length = 3
        case 0xF0: (length, second) = (4, 0x90...0xBF)
        case 0xF4: (length, second) = (4, 0x80...0x8F)
        case 0xF1...0xF3: length = 4
        default: return nil
        }
        for offset in 1..<length {
            guard index + offset < bytes.count else { return nil }
            let range = offset == 1 ? second : 0x80...0xBF
            guard range.contains(bytes[index + offset]) else { return nil }
        }
        return length
    }
}
