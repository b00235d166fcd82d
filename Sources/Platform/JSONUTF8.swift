/// UTF-8 well-formedness per Unicode Table 3-7 (no overlongs, no surrogates, nothing above
/// U+10FFFF), checked one sequence at a time so that errors carry a byte offset. RFC 8259 §8.1
/// requires JSON text to be UTF-8.
enum JSONUTF8 {
    enum Check: Equatable {
        case valid(length: Int)
        /// The bytes so far are a valid prefix, but the input ends before the sequence does.
        case truncated
        case invalid
    }

    /// Checks the sequence starting at `bytes[index]`, which must be a non-ASCII byte.
    static func check(_ bytes: UnsafeRawBufferPointer, at index: Int) -> Check {
        let lead = bytes[index]
        precondition(lead >= 0x80, "ASCII is handled by the caller's fast path")
        let length: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0:
            length = 3
            secondRange = 0xA0...0xBF
        case 0xED:
            length = 3
            secondRange = 0x80...0x9F
        case 0xE1...0xEF: length = 3
        case 0xF0:
            length = 4
            secondRange = 0x90...0xBF
        case 0xF4:
            length = 4
            secondRange = 0x80...0x8F
        case 0xF1...0xF3: length = 4
        default: return .invalid
        }
        for offset in 1..<length {
            guard index + offset < bytes.count else { return .truncated }
            let range = offset == 1 ? secondRange : 0x80...0xBF
            guard range.contains(bytes[index + offset]) else { return .invalid }
        }
        return .valid(length: length)
    }

    /// Appends the UTF-8 encoding of `scalar`.
    static func append(_ scalar: UInt32, to output: inout [UInt8]) {
        precondition(scalar <= 0x10FFFF && !(0xD800...0xDFFF).contains(scalar), "not a scalar")
        switch scalar {
        case 0..<0x80:
            output.append(UInt8(scalar))
        case 0x80..<0x800:
            output.append(UInt8(0xC0 | scalar >> 6))
            output.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            output.append(UInt8(0xE0 | scalar >> 12))
            output.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            output.append(UInt8(0x80 | scalar & 0x3F))
        default:
            output.append(UInt8(0xF0 | scalar >> 18))
            output.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            output.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            output.append(UInt8(0x80 | scalar & 0x3F))
        }
    }
}
